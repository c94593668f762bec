package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// adoptedBlock is an mpaas_offline_package with the settings registerZip
// uses and no version (the next one is assigned), plus extra arguments.
func adoptedBlock(name, h5AppID, extra string) string {
	return fmt.Sprintf(`
resource "mpaas_offline_package" %q {
  h5app_id      = %q
  resource_type = "normal"
  android       = { min_version = "1.0.0" }
%s
}
`, name, h5AppID, extra)
}

func importByID(name, id string) string {
	return fmt.Sprintf("\nimport {\n  to = mpaas_offline_package.%s\n  id = %q\n}\n", name, id)
}

// writeSnapshot counts the emulator's write calls (writeActions).
func (e *testEnv) writeSnapshot() map[string]int64 {
	stats := e.emulator.Stats()
	counts := make(map[string]int64, len(writeActions))
	for _, action := range writeActions {
		counts[action] = stats[action]
	}
	return counts
}

func packageIdentity(h5AppID, version string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"h5app_id": knownvalue.StringExact(h5AppID), "version": knownvalue.StringExact(version)}
}

// writesSince is a check that the emulator saw exactly the given write
// calls (writeActions) since snapshot was taken; others must be zero.
func (e *testEnv) writesSince(snapshot *map[string]int64, want map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for action, count := range e.writeSnapshot() {
			if made := count - (*snapshot)[action]; made != want[action] {
				return fmt.Errorf("%s: %d calls, want %d", action, made, want[action])
			}
		}
		return nil
	}
}

// Versions made in the console are imported without their zips and kept as
// they are; a zip (or folder) with the bytes mPaaS reports is then recorded
// in place, and other content makes exactly one new version.
func TestAccOfflinePackage_importedWithoutZip(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	sameZip := writeZip(t, dir, "same.zip", map[string]string{"41000001/www/index.html": "console"})
	otherZip := writeZip(t, dir, "other.zip", map[string]string{"41000002/www/index.html": "console"})
	changedZip := writeZip(t, dir, "changed.zip", map[string]string{"41000002/www/index.html": "rebuilt"})
	folder := filepath.Join(dir, "site")
	writeFolder(t, folder, map[string]string{"www/index.html": "from a folder"})
	folderZip, folderContent, err := offlinepkg.BuildZipFile(folder, "41000003", dir)
	if err != nil {
		t.Fatal(err)
	}
	for h5AppID, zipPath := range map[string]string{"41000001": sameZip, "41000002": otherZip, "41000003": folderZip} {
		env.createAppOutOfBand(h5AppID, "console "+h5AppID)
		env.registerZip(zipPath, h5AppID, "0.0.0.1", "normal")
	}
	sameCopy := filepath.Join(dir, "copy", "41000001.zip")
	if err := os.MkdirAll(filepath.Dir(sameCopy), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, sameZip, sameCopy)
	sameDigest, err := offlinepkg.DefaultDigestCaches().Zips.HashFile(sameZip)
	if err != nil {
		t.Fatal(err)
	}
	sameMD5, _ := offlinepkg.MD5File(sameZip)

	imports := importByID("same", "41000001/0.0.0.1") + importByID("other", "41000002/0.0.0.1") + importByID("folder", "41000003/0.0.0.1")
	withoutZips := adoptedBlock("same", "41000001", "") + adoptedBlock("other", "41000002", "") + adoptedBlock("folder", "41000003", "")
	withZips := adoptedBlock("same", "41000001", fmt.Sprintf("  source = %q", filepath.ToSlash(sameCopy))) +
		adoptedBlock("other", "41000002", fmt.Sprintf("  source = %q", filepath.ToSlash(changedZip))) +
		adoptedBlock("folder", "41000003", fmt.Sprintf("  source_dir = %q", filepath.ToSlash(folder)))
	snapshot := env.writeSnapshot()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(imports + withoutZips),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mpaas_offline_package.same", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("mpaas_offline_package.other", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("mpaas_offline_package.folder", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.same", tfjsonpath.New("file_md5"), knownvalue.StringExact(sameMD5)),
					statecheck.ExpectKnownValue("mpaas_offline_package.same", tfjsonpath.New("file_size"), knownvalue.Int64Exact(sameDigest.Size)),
					statecheck.ExpectKnownValue("mpaas_offline_package.same", tfjsonpath.New("content_sha256"), knownvalue.Null()),
					// The workspace has no virtual domain: null, not "", which no configuration could hold.
					statecheck.ExpectKnownValue("mpaas_offline_package.same", tfjsonpath.New("vhost"), knownvalue.Null()),
				},
				Check: env.writesSince(&snapshot, nil),
			},
			{
				Config: env.config(withZips),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mpaas_offline_package.same", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("mpaas_offline_package.folder", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("mpaas_offline_package.other", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.same", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.1")),
					statecheck.ExpectKnownValue("mpaas_offline_package.same", tfjsonpath.New("content_sha256"), knownvalue.StringExact(sameDigest.Content)),
					statecheck.ExpectKnownValue("mpaas_offline_package.same", tfjsonpath.New("source_sha256"), knownvalue.StringExact(sameDigest.SHA256)),
					statecheck.ExpectKnownValue("mpaas_offline_package.folder", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.1")),
					statecheck.ExpectKnownValue("mpaas_offline_package.folder", tfjsonpath.New("content_sha256"), knownvalue.StringExact(folderContent)),
					statecheck.ExpectKnownValue("mpaas_offline_package.other", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.2")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.expectVersions("41000001", "0.0.0.1"),
					env.expectVersions("41000002", "0.0.0.1", "0.0.0.2"),
					env.expectVersions("41000003", "0.0.0.1"),
					env.writesSince(&snapshot, map[string]int64{
						mpaas.ActionGetFileToken: 1, "oss:PostObject": 1, mpaas.ActionCreateNebulaResource: 1,
					}),
				),
			},
		},
	})
}

func writeFolder(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A package without source or source_dir can only be one that exists: a
// create, or a change that makes a new version, has nothing to upload.
func TestAccOfflinePackage_nothingToUpload(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("42000001", "console")
	env.createPackageOutOfBand("42000001", "0.0.0.1", "normal")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(adoptedBlock("fresh", "42000001", "")),
				PlanOnly:    true,
				ExpectError: expectError("Nothing to upload", "neither source nor source_dir is set", "imported with an import block"),
			},
			{
				Config:      env.config(adoptedBlock("fresh", "42000001", `  source_sha256 = "`+strings.Repeat("ab", 32)+`"`)),
				PlanOnly:    true,
				ExpectError: expectError("source_sha256 needs source", "Set source to that file"),
			},
			{Config: env.config(importByID("adopted", "42000001/0.0.0.1") + adoptedBlock("adopted", "42000001", ""))},
			{
				Config:      env.config(adoptedBlock("adopted", "42000001", `  main_url = "/www/index.html"`)),
				ExpectError: expectError("Nothing to upload for the new version", "The change to main_url", "keep version 0.0.0.1"),
			},
		},
	})
	if stats := env.emulator.Stats(); stats[mpaas.ActionCreateNebulaResource] != 1 || stats["oss:PostObject"] != 1 {
		t.Fatalf("only the package made out of band may exist: %v", stats)
	}
}

// Imports by identity (Terraform 1.12 and later), and the identity of a
// version Terraform created.
func TestAccOfflinePackage_identity(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("43000001", "console")
	env.createPackageOutOfBand("43000001", "1.0.0.1", "normal")
	byIdentity := func(version string) string {
		return fmt.Sprintf(`
import {
  to       = mpaas_offline_package.adopted
  identity = { h5app_id = "43000001", version = %q }
}
`, version)
	}
	created := pkgBlock("created", "43000001", normalPackageZip(t, "43000001"), androidOnly)
	snapshot := env.writeSnapshot()
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(byIdentity("1.0") + adoptedBlock("adopted", "43000001", "")),
				ExpectError: expectError("Invalid import ID", "such as 12345678/1.0.0.1, or by identity"),
			},
			{
				Config: env.config(byIdentity("1.0.0.1") + adoptedBlock("adopted", "43000001", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mpaas_offline_package.adopted", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("mpaas_offline_package.adopted", packageIdentity("43000001", "1.0.0.1")),
				},
				Check: env.writesSince(&snapshot, nil),
			},
			{
				// The identity in the state imports the same version again, with no change.
				Config:          env.config(adoptedBlock("adopted", "43000001", "")),
				ResourceName:    "mpaas_offline_package.adopted",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config: env.config(adoptedBlock("adopted", "43000001", "") + created),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("mpaas_offline_package.created", packageIdentity("43000001", "1.0.0.2")),
				},
			},
		},
	})
}

// newVersionFields must name exactly the attributes whose schema replaces
// the package on a change, or a changed imported package would slip past
// checkNewVersionHasContent.
func TestNewVersionFieldsMatchSchema(t *testing.T) {
	ctx := context.Background()
	var resp fwresource.SchemaResponse
	(&offlinePackageResource{}).Schema(ctx, fwresource.SchemaRequest{}, &resp)
	var fromSchema []string
	for name, attribute := range resp.Schema.Attributes {
		if replacesOnChange(ctx, attribute) {
			fromSchema = append(fromSchema, name)
		}
	}
	var listed []string
	for _, field := range newVersionFields(&offlinePackageModel{}, &offlinePackageModel{}) {
		listed = append(listed, field.name)
	}
	sort.Strings(fromSchema)
	sort.Strings(listed)
	if strings.Join(fromSchema, ",") != strings.Join(listed, ",") {
		t.Fatalf("attributes with RequiresReplace: %v; newVersionFields lists %v", fromSchema, listed)
	}
}

// replacesOnChange reports whether the attribute has a RequiresReplace plan
// modifier (recognised by the description the framework gives it).
func replacesOnChange(ctx context.Context, attribute schema.Attribute) bool {
	var modifiers []interface{ Description(context.Context) string }
	switch typed := attribute.(type) {
	case schema.StringAttribute:
		for _, m := range typed.PlanModifiers {
			modifiers = append(modifiers, m)
		}
	case schema.MapAttribute:
		for _, m := range typed.PlanModifiers {
			modifiers = append(modifiers, m)
		}
	case schema.SingleNestedAttribute:
		for _, m := range typed.PlanModifiers {
			modifiers = append(modifiers, m)
		}
	case schema.BoolAttribute:
		for _, m := range typed.PlanModifiers {
			modifiers = append(modifiers, m)
		}
	case schema.Int64Attribute:
		for _, m := range typed.PlanModifiers {
			modifiers = append(modifiers, m)
		}
	}
	for _, m := range modifiers {
		if strings.Contains(m.Description(ctx), "destroy and recreate") {
			return true
		}
	}
	return false
}

// terraform plan -generate-config-out writes the imported package without
// source (source = null); that configuration plans only the imports, and
// the plan after the apply is empty. Terraform 1.5 and later, OpenTofu too.
func TestAccImport_generatedConfigPlansOnlyImports(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("44000001", "console")
	env.createPackageOutOfBand("44000001", "1.0.0.1", "normal")
	snapshot := env.writeSnapshot()
	cli := newCLIRun(t)
	cli.write("main.tf", env.providerBlock()+`
import {
  to = mpaas_h5app.console
  id = "44000001"
}

import {
  to = mpaas_offline_package.console
  id = "44000001/1.0.0.1"
}
`)
	cli.init()
	cli.must(0, "plan", "-generate-config-out=generated.tf")
	generated := readFile(t, cli.path("generated.tf"))
	if !regexp.MustCompile(`(?m)^\s+source\s+= null$`).MatchString(generated) || strings.Contains(generated, "content_sha256") {
		t.Fatalf("generated.tf must leave source null and the digests out:\n%s", generated)
	}
	plan := cli.must(0, "plan")
	if !strings.Contains(plan, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the plan of the generated configuration must only import:\n%s", plan)
	}
	cli.must(0, "apply", "-auto-approve")
	cli.must(0, "plan", "-detailed-exitcode")
	if err := env.writesSince(&snapshot, nil)(nil); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	content, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(content)
}
