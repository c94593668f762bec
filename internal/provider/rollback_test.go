package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// TestAccRollback_oldContentIsANewHigherVersion follows the guide "Roll back
// a release": content A is released (version 1), then content B (version 2),
// then A is put back, from a folder as `git checkout v1.2.0 -- web/` leaves
// it and from the older zip. Each H5App gets a third, higher version with
// A's content_sha256, and clients receive it: mPaaS clients never take a
// lower version, so a rollback is new version of old content. Whether the
// release is replaced or updated in place is not asserted; what clients
// receive is.
func TestAccRollback_oldContentIsANewHigherVersion(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	web := filepath.Join(dir, "web")
	releaseA := map[string]string{"www/index.html": "<html>release 1.2.0</html>", "www/app.js": "console.log('1.2.0')"}
	releaseB := map[string]string{"www/index.html": "<html>release 1.3.0</html>", "www/app.js": "console.log('1.3.0')", "www/new.js": "new"}
	zipA := writeZip(t, dir, "portal-1.2.0.zip", underFolder("40000002", releaseA))
	zipB := writeZip(t, dir, "portal-1.3.0.zip", underFolder("40000002", releaseB))

	config := func(zip string) string {
		return env.config(fmt.Sprintf(`
resource "mpaas_offline_package" "web" {
  h5app_id                = "40000001"
  create_h5app_if_missing = true
  resource_type           = "normal"
  source_dir              = %[1]q
  android                 = { min_version = "10.1.0" }
}

resource "mpaas_offline_package" "zip" {
  h5app_id                = "40000002"
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = %[2]q
  android                 = { min_version = "10.1.0" }
}

resource "mpaas_offline_package_release" "web" {
  package_id = mpaas_offline_package.web.id
  memo       = "Everyone"
  type       = "official"
}

resource "mpaas_offline_package_release" "zip" {
  package_id = mpaas_offline_package.zip.id
  memo       = "Everyone"
  type       = "official"
}
`, web, zip) + previewBlock("web", "web", `  platform = "android"
  client_version = "10.1.0"`) + previewBlock("zip", "zip", `  platform = "android"
  client_version = "10.1.0"`))
	}
	checkout := func(files map[string]string) func() {
		return func() {
			if err := os.RemoveAll(web); err != nil {
				t.Fatal(err)
			}
			writeTree(t, web, files)
		}
	}
	contentA := map[string]string{}
	released := func(version string) resource.TestCheckFunc {
		return resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr("mpaas_offline_package.web", "version", version),
			resource.TestCheckResourceAttr("mpaas_offline_package.zip", "version", version),
			env.expectDeliveredVersion("40000001", version),
			env.expectDeliveredVersion("40000002", version),
		)
	}
	var checks []statecheck.StateCheck
	checks = append(checks, expectDelivered("web", "0.0.0.3", "official release")...)
	checks = append(checks, expectDelivered("zip", "0.0.0.3", "official release")...)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: checkout(releaseA),
				Config:    config(zipA),
				Check: resource.ComposeAggregateTestCheckFunc(released("0.0.0.1"),
					rememberAttribute("mpaas_offline_package.web", "content_sha256", contentA, "web"),
					rememberAttribute("mpaas_offline_package.zip", "content_sha256", contentA, "zip")),
			},
			{
				PreConfig: checkout(releaseB),
				Config:    config(zipB),
				Check:     released("0.0.0.2"),
			},
			{
				// The rollback: A's files and A's zip again.
				PreConfig:         checkout(releaseA),
				Config:            config(zipA),
				ConfigStateChecks: checks,
				Check: resource.ComposeAggregateTestCheckFunc(released("0.0.0.3"),
					expectAttributeFrom("mpaas_offline_package.web", "content_sha256", contentA, "web"),
					expectAttributeFrom("mpaas_offline_package.zip", "content_sha256", contentA, "zip"),
					env.expectVersions("40000001", "0.0.0.1", "0.0.0.2", "0.0.0.3"),
					env.expectVersions("40000002", "0.0.0.1", "0.0.0.2", "0.0.0.3"),
					env.expectDeliveredContent("40000001", contentA, "web"),
					env.expectDeliveredContent("40000002", contentA, "zip"),
					env.expectCalls(map[string]int64{"oss:PostObject": 6, mpaas.ActionCreateNebulaResource: 6})),
			},
			{Config: config(zipA), PlanOnly: true},
		},
	})
}

// underFolder puts a package folder's files below "<h5app_id>/", as in its zip.
func underFolder(h5AppID string, files map[string]string) map[string]string {
	entries := make(map[string]string, len(files))
	for name, content := range files {
		entries[h5AppID+"/"+name] = content
	}
	return entries
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func rememberAttribute(address, attribute string, into map[string]string, key string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		into[key] = rs.Primary.Attributes[attribute]
		if into[key] == "" {
			return fmt.Errorf("%s has no %s", address, attribute)
		}
		return nil
	}
}

func expectAttributeFrom(address, attribute string, from map[string]string, key string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return resource.TestCheckResourceAttr(address, attribute, from[key])(s)
	}
}

// deliveryTo asks the emulator's GET /emulator/delivery what an Android
// 10.1.0 client receives from the H5App.
func (e *testEnv) deliveryTo(h5AppID string) (emulator.Delivery, error) {
	query := url.Values{"app_id": {testAppID}, "workspace_id": {testWorkspaceID}, "tenant_id": {testTenantID},
		"platform": {"android"}, "client_version": {"10.1.0"}, "h5app_id": {h5AppID}}
	resp, err := http.Get(e.server.URL + "/emulator/delivery?" + query.Encode())
	if err != nil {
		return emulator.Delivery{}, err
	}
	defer resp.Body.Close()
	var answer emulator.DeliveryResponse
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return emulator.Delivery{}, err
	}
	if len(answer.Deliveries) != 1 {
		return emulator.Delivery{}, fmt.Errorf("H5App %s delivers %d packages (skipped: %+v), want 1", h5AppID, len(answer.Deliveries), answer.Skipped)
	}
	return answer.Deliveries[0], nil
}

func (e *testEnv) expectDeliveredVersion(h5AppID, version string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		delivery, err := e.deliveryTo(h5AppID)
		if err != nil {
			return err
		}
		if delivery.H5Version != version || delivery.Reason != "official release" {
			return fmt.Errorf("H5App %s delivers %s (%s), want %s (official release)", h5AppID, delivery.H5Version, delivery.Reason, version)
		}
		return nil
	}
}

// expectDeliveredContent downloads what clients receive and compares its
// content digest with the one recorded under key.
func (e *testEnv) expectDeliveredContent(h5AppID string, contents map[string]string, key string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		delivery, err := e.deliveryTo(h5AppID)
		if err != nil {
			return err
		}
		resp, err := http.Get(delivery.DownloadUrl)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		file, err := os.CreateTemp(e.t.TempDir(), "delivered-*.zip")
		if err != nil {
			return err
		}
		defer file.Close()
		if _, err := io.Copy(file, resp.Body); err != nil {
			return err
		}
		digest, err := offlinepkg.ScanZip(file)
		if err != nil {
			return err
		}
		if digest.Content != contents[key] {
			return fmt.Errorf("H5App %s delivers content %s, want %s", h5AppID, digest.Content, contents[key])
		}
		return nil
	}
}

// expectCalls checks the emulator's call counts since it started.
func (e *testEnv) expectCalls(want map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stats := e.emulator.Stats()
		var wrong []string
		for action, count := range want {
			if stats[action] != count {
				wrong = append(wrong, fmt.Sprintf("%s: %d calls, want %d", action, stats[action], count))
			}
		}
		if len(wrong) > 0 {
			return fmt.Errorf("%s", strings.Join(wrong, "; "))
		}
		return nil
	}
}
