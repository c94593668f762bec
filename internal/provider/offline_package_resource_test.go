package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// pkgArgs renders an mpaas_offline_package block; body holds the arguments
// beyond h5app_id and source.
func pkgBlock(name, h5AppID, source, body string) string {
	return fmt.Sprintf(`
resource "mpaas_offline_package" %q {
  h5app_id = %q
  source   = %q
%s
}
`, name, h5AppID, filepath.ToSlash(source), body)
}

const androidOnly = `
  resource_type = "normal"
  android       = { min_version = "10.1.68" }
`

func appBlock(name, h5AppID string) string {
	return fmt.Sprintf(`
resource "mpaas_h5app" %q {
  h5app_id      = %q
  name          = "app %s"
  force_destroy = true
}
`, name, h5AppID, h5AppID)
}

func (e *testEnv) expectVersions(h5AppID string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		items, err := e.client.ListPackages(context.Background(), h5AppID)
		if err != nil {
			return err
		}
		got := make([]string, 0, len(items))
		for _, item := range items {
			got = append(got, item.Version)
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("H5App %s holds versions %v, want %v", h5AppID, got, want)
		}
		return nil
	}
}

func TestAccOfflinePackage_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	first := writeZip(t, dir, "v1.zip", map[string]string{"12345678/www/index.html": "v1"})
	moved := filepath.Join(dir, "moved", "same-content.zip")
	if err := os.MkdirAll(filepath.Dir(moved), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, first, moved)
	second := writeZip(t, dir, "v2.zip", map[string]string{"12345678/www/index.html": "v2"})
	firstDigest, _ := offlinepkg.HashFile(first)

	body := androidOnly + `
  ios             = { min_version = "10.2.0" }
  main_url        = "/www/index.html"
  extend_info     = { asyncReqRate = "1800", launchParams = "{\"enableTabBar\":\"NO\"}" }
  download_policy = "all_networks"
  install_policy  = "preload"
`
	config := func(source string) string {
		return env.config(appBlock("app", "12345678") + strings.Replace(pkgBlock("pkg", "12345678", source, body),
			`h5app_id = "12345678"`, `h5app_id = mpaas_h5app.app.id`, 1))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(first),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.1")),
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("source_sha256"), knownvalue.StringExact(firstDigest.SHA256)),
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("file_size"), knownvalue.Int64Exact(firstDigest.Size)),
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("android").AtMapKey("min_version"), knownvalue.StringExact("10.1.68")),
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("ios").AtMapKey("max_version"), knownvalue.Null()),
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("extend_info").AtMapKey("asyncReqRate"), knownvalue.StringExact("1800")),
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("download_url"), knownvalue.StringRegexp(regexp.MustCompile(`12345678_0\.0\.0\.1\.amr$`))),
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
					statecheck.ExpectKnownValue("mpaas_h5app.app", tfjsonpath.New("resource_type"), knownvalue.Null()),
				},
			},
			{
				ResourceName:            "mpaas_offline_package.pkg",
				ImportState:             true,
				ImportStateId:           "12345678/0.0.0.1",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"source", "source_sha256", "content_sha256"},
			},
			{
				// The same bytes at another path: an in-place update of source, no new version.
				Config: config(moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_offline_package.pkg", plancheck.ResourceActionUpdate)},
				},
				Check: env.expectVersions("12345678", "0.0.0.1"),
			},
			{
				// Different bytes: a replacement that gets the next version.
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_offline_package.pkg", plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.2")),
					statecheck.ExpectKnownValue("mpaas_h5app.app", tfjsonpath.New("resource_type"), knownvalue.StringExact("normal")),
				},
				Check: env.expectVersions("12345678", "0.0.0.1", "0.0.0.2"),
			},
		},
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	content, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAccOfflinePackage_pinnedVersionAndGlobal(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	global := writeZip(t, dir, "global.zip", map[string]string{
		"23456789/mcube-prod.mpaascloud.com/ONEX_default/js/lib.js": "lib",
	})
	changed := writeZip(t, dir, "global2.zip", map[string]string{
		"23456789/mcube-prod.mpaascloud.com/ONEX_default/js/lib.js": "lib v2",
	})
	pinned := func(source, version string) string {
		return env.config(pkgBlock("global", "23456789", source, fmt.Sprintf(`
  resource_type           = "global"
  version                 = %q
  ios                     = { min_version = "1.0", max_version = "99.0" }
  create_h5app_if_missing = true
  h5app_name              = "Shared resources"
`, version)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: pinned(global, "1.0.0.9"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.global", tfjsonpath.New("version"), knownvalue.StringExact("1.0.0.9")),
					statecheck.ExpectKnownValue("mpaas_offline_package.global", tfjsonpath.New("resource_type"), knownvalue.StringExact("global")),
				},
			},
			{
				// R19: a change with the same pinned version must bump it.
				Config:      pinned(changed, "1.0.0.9"),
				ExpectError: expectError("Version 1.0.0.9 already exists", "Bump version (for example to 1.0.0.10)"),
			},
			{
				Config: pinned(changed, "1.0.0.10"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_offline_package.global", plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: env.expectVersions("23456789", "1.0.0.9", "1.0.0.10"),
			},
		},
	})
	app, err := env.client.FindApp(context.Background(), "23456789")
	if err != nil || app == nil || app.Name != "Shared resources" {
		t.Fatalf("create_h5app_if_missing made %+v, %v", app, err)
	}
}

func TestAccOfflinePackage_concurrentAutoVersions(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	var config strings.Builder
	config.WriteString(appBlock("app", "34567890"))
	for i := 0; i < 4; i++ {
		zipPath := writeZip(t, dir, fmt.Sprintf("p%d.zip", i), map[string]string{"34567890/www/index.html": fmt.Sprint("page ", i)})
		block := pkgBlock(fmt.Sprintf("p%d", i), "34567890", zipPath, androidOnly)
		config.WriteString(strings.Replace(block, `h5app_id = "34567890"`, `h5app_id = mpaas_h5app.app.id`, 1))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(config.String()),
			Check:  env.expectVersions("34567890", "0.0.0.1", "0.0.0.2", "0.0.0.3", "0.0.0.4"),
		}},
	})
}

func TestAccOfflinePackage_driftAppDeleted(t *testing.T) {
	env := newTestEnv(t)
	zipPath := normalPackageZip(t, "45678901")
	config := env.config(pkgBlock("pkg", "45678901", zipPath, androidOnly+"  create_h5app_if_missing = true\n"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := env.client.DeleteApp(context.Background(), "45678901"); err != nil {
						t.Fatal(err)
					}
				},
				// The version is gone with its H5App: replaced above it (versions only rise).
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_offline_package.pkg", plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: env.expectVersions("45678901", "0.0.0.2"),
			},
		},
	})
}

// A file rewritten between plan and apply: Terraform re-plans each resource
// at apply, sees another source_sha256 and stops before anything is uploaded.
func TestAccOfflinePackage_fileChangedAfterPlan(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	zipPath := writeZip(t, dir, "pkg.zip", map[string]string{"56789012/www/index.html": "planned"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(pkgBlock("pkg", "56789012", zipPath, androidOnly+"  create_h5app_if_missing = true\n")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{rewriteFile(zipPath, map[string]string{"56789012/www/index.html": "changed after plan"})},
			},
			ExpectError: expectError("inconsistent final plan", ".content_sha256"),
		}},
	})
	if stats := env.emulator.Stats(); stats["oss:PostObject"] != 0 || stats["CreateMcubeNebulaResource"] != 0 {
		t.Fatalf("nothing may be uploaded or registered after a changed file: %v", stats)
	}
}

// A file that changes after the final plan (while the apply runs) is caught
// by the hash taken as the bytes are uploaded.
func TestOfflinePackageUploadDetectsChangedFile(t *testing.T) {
	env := newTestEnv(t)
	zipPath := writeZip(t, t.TempDir(), "pkg.zip", map[string]string{"56789012/www/index.html": "uploaded bytes"})
	planned := types.StringValue(strings.Repeat("ab", 32))
	r := &offlinePackageResource{data: newProviderData(env.client)}
	_, err := r.upload(context.Background(), packageFile{path: zipPath, uploadName: "pkg.zip", sha256: planned.ValueString()})
	if !errors.Is(err, errChangedSincePlan) {
		t.Fatalf("upload of a changed file: %v", err)
	}
}

// rewriteFile is a plan check that replaces the zip between plan and apply.
type rewriteFileCheck struct {
	path    string
	entries map[string]string
}

func rewriteFile(path string, entries map[string]string) plancheck.PlanCheck {
	return rewriteFileCheck{path: path, entries: entries}
}

func (c rewriteFileCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if err := buildZip(c.path, c.entries); err != nil {
		resp.Error = err
	}
}

// An apply retried after a failure that registered the package without
// recording it adopts that package instead of uploading a duplicate version.
func TestAccOfflinePackage_adoptsIdenticalUnrecordedPackage(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("67890123", "interrupted")
	zipPath := normalPackageZip(t, "67890123")
	env.registerZip(zipPath, "67890123", "0.0.0.1", "normal")
	pinnedZip := writeZip(t, t.TempDir(), "pinned.zip", map[string]string{"67890123/www/index.html": "pinned"})
	env.registerZip(pinnedZip, "67890123", "2.0.0.0", "normal")
	auto := pkgBlock("auto", "67890123", normalPackageZip(t, "67890123"), `
  resource_type = "normal"
  android       = { min_version = "1.0.0" }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The highest version (2.0.0.0) has other content: a new version.
				Config: env.config(auto),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.auto", tfjsonpath.New("version"), knownvalue.StringExact("2.0.0.1")),
				},
			},
			{
				// The pinned version exists with this exact content and settings: adopted.
				Config: env.config(auto + pkgBlock("pinned", "67890123", pinnedZip, `
  resource_type = "normal"
  version       = "2.0.0.0"
  android       = { min_version = "1.0.0" }
`)),
				Check: env.expectVersions("67890123", "0.0.0.1", "2.0.0.0", "2.0.0.1"),
			},
		},
	})
}
