package provider

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// stateValues returns the attribute values of one resource in the CLI run's
// state (terraform show -json).
func stateValues(t *testing.T, cli *cliRun, address string) map[string]any {
	t.Helper()
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(cli.must(0, "show", "-json")), &state); err != nil {
		t.Fatal(err)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			return r.Values
		}
	}
	t.Fatalf("%s is not in the state", address)
	return nil
}

// wantValues fails unless the state's attributes have these values.
func wantValues(t *testing.T, values map[string]any, want map[string]string) {
	t.Helper()
	for attribute, value := range want {
		if values[attribute] != value {
			t.Errorf("state %s = %v, want %q", attribute, values[attribute], value)
		}
	}
}

// planKeepsEverything runs plan against a service that answers codes the
// provider does not know: the plan must be empty, with each field's warning
// exactly once.
func planKeepsEverything(t *testing.T, cli *cliRun, fields ...string) {
	t.Helper()
	out := cli.must(0, "plan", "-detailed-exitcode")
	for _, field := range fields {
		summary := "Unknown " + field + " from mPaaS: value kept"
		if n := strings.Count(out, summary); n != 1 {
			t.Errorf("%q printed %d times, want once:\n%s", summary, n, out)
		}
	}
	if strings.Contains(out, "more similar warning") {
		t.Errorf("a warning is repeated:\n%s", out)
	}
	mustContain(t, out, "No changes.")
}

// onePackage returns the only package of an H5App, as the emulator holds it.
func onePackage(t *testing.T, env *testEnv, h5AppID string) mpaas.Package {
	t.Helper()
	packages, err := env.client.ListPackages(context.Background(), h5AppID)
	if err != nil || len(packages) != 1 {
		t.Fatalf("H5App %s holds %d packages (%v), want 1", h5AppID, len(packages), err)
	}
	return packages[0]
}

// A package whose type and policy codes mPaaS later reports differently
// (codes the provider does not know) refreshes without an error: the state
// keeps the values it had, each field warns once, and nothing is planned.
func TestAccTolerantRead_packageUnknownCodes(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	writeZip(t, cli.dir, "pkg.zip", map[string]string{"30130001/www/index.html": "tolerant"})
	cli.write("main.tf", env.providerBlock()+`
resource "mpaas_offline_package" "pkg" {
  h5app_id                = "30130001"
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = "pkg.zip"
  android                 = { min_version = "10.1" }
  download_policy         = "all_networks"
  install_policy          = "preload"
}
`)
	cli.init()
	cli.must(0, "apply", "-auto-approve")
	pkg := onePackage(t, env, "30130001")
	sizeBefore := stateValues(t, cli, "mpaas_offline_package.pkg")["file_size"]
	for field, code := range map[string]string{mpaas.FieldResourceType: "7", mpaas.FieldAutoInstall: "5", mpaas.FieldInstallType: "9", mpaas.FieldFileSize: "2 KB"} {
		if err := env.emulator.SetPackageWireCode(pkg.ID, field, code); err != nil {
			t.Fatal(err)
		}
	}
	planKeepsEverything(t, cli, mpaas.FieldResourceType, mpaas.FieldAutoInstall, mpaas.FieldInstallType, mpaas.FieldFileSize)
	out := cli.must(0, "apply", "-refresh-only", "-auto-approve")
	mustContain(t, out, `ResourceType "7"`, `AutoInstall "5"`, `InstallType "9"`, `FileSize "2 KB"`)
	after := stateValues(t, cli, "mpaas_offline_package.pkg")
	wantValues(t, after, map[string]string{
		"resource_type": "normal", "download_policy": "all_networks", "install_policy": "preload", "version": "0.0.0.1",
	})
	if after["file_size"] != sizeBefore || sizeBefore == nil {
		t.Errorf("file_size %v after the refresh, want the %v it held", after["file_size"], sizeBefore)
	}
	planKeepsEverything(t, cli, mpaas.FieldResourceType, mpaas.FieldAutoInstall, mpaas.FieldInstallType, mpaas.FieldFileSize)
	if n := env.emulator.Stats()[mpaas.ActionCreateNebulaResource]; n != 1 {
		t.Fatalf("%d packages registered, want the one of the first apply", n)
	}
	if after := onePackage(t, env, "30130001"); after.ID != pkg.ID {
		t.Fatalf("the H5App now holds package %d, want %d", after.ID, pkg.ID)
	}
}

// A release task whose type and status codes are unknown keeps its state.
func TestAccTolerantRead_releaseUnknownCodes(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	writeZip(t, cli.dir, "pkg.zip", map[string]string{"30130002/www/index.html": "tolerant release"})
	cli.write("main.tf", env.providerBlock()+`
resource "mpaas_offline_package" "pkg" {
  h5app_id                = "30130002"
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = "pkg.zip"
  android                 = { min_version = "10.1" }
}

resource "mpaas_offline_package_release" "ga" {
  package_id = mpaas_offline_package.pkg.id
  memo       = "General availability"
  type       = "official"
}
`)
	cli.init()
	cli.must(0, "apply", "-auto-approve")
	ctx := context.Background()
	pkg := onePackage(t, env, "30130002")
	releases, err := env.client.ListReleases(ctx, pkg.ID)
	if err != nil || len(releases) != 1 {
		t.Fatalf("package %d has %d release tasks (%v), want 1", pkg.ID, len(releases), err)
	}
	for field, code := range map[string]string{mpaas.FieldPublishType: "8", mpaas.FieldTaskStatus: "6"} {
		if err := env.emulator.SetTaskWireCode(releases[0].ID, field, code); err != nil {
			t.Fatal(err)
		}
	}
	planKeepsEverything(t, cli, mpaas.FieldPublishType, mpaas.FieldTaskStatus)
	cli.must(0, "apply", "-refresh-only", "-auto-approve")
	wantValues(t, stateValues(t, cli, "mpaas_offline_package_release.ga"), map[string]string{"type": "official", "status": "active"})
	planKeepsEverything(t, cli, mpaas.FieldPublishType, mpaas.FieldTaskStatus)
	if n := env.emulator.Stats()[mpaas.ActionChangeNebulaTaskStatus]; n != 0 {
		t.Fatalf("%d status changes sent, want none", n)
	}
}

// The H5App's computed resource_type keeps its value when no package's
// type code can be read.
func TestAccTolerantRead_h5AppType(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	cli.write("main.tf", env.providerBlock()+`
resource "mpaas_h5app" "app" {
  h5app_id = "30130003"
  name     = "Tolerant"
}
`)
	cli.init()
	cli.must(0, "apply", "-auto-approve")
	id := env.createPackageOutOfBand("30130003", "1.0.0.1", "normal")
	cli.must(0, "apply", "-refresh-only", "-auto-approve")
	wantValues(t, stateValues(t, cli, "mpaas_h5app.app"), map[string]string{"resource_type": "normal"})
	packageID, err := parseID("package id", id)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.emulator.SetPackageWireCode(packageID, mpaas.FieldResourceType, "hybrid"); err != nil {
		t.Fatal(err)
	}
	planKeepsEverything(t, cli, mpaas.FieldResourceType)
	cli.must(0, "apply", "-refresh-only", "-auto-approve")
	wantValues(t, stateValues(t, cli, "mpaas_h5app.app"), map[string]string{"resource_type": "normal"})
}

// After an import nothing is known: the state holds the raw code, and the
// configured name is recorded in place, without a new version or any write
// to mPaaS. Later plans are empty.
func TestAccTolerantRead_importKeepsRawCode(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	zipPath := writeZip(t, cli.dir, "pkg.zip", map[string]string{"30130004/www/index.html": "imported"})
	if err := env.client.CreateApp(context.Background(), "30130004", "Imported"); err != nil {
		t.Fatal(err)
	}
	id := env.registerZip(zipPath, "30130004", "1.0.0.1", "normal")
	packageID, err := parseID("package id", id)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.emulator.SetPackageWireCode(packageID, mpaas.FieldInstallType, "9"); err != nil {
		t.Fatal(err)
	}
	cli.write("main.tf", env.providerBlock()+`
import {
  to = mpaas_offline_package.pkg
  id = "30130004/1.0.0.1"
}

resource "mpaas_offline_package" "pkg" {
  h5app_id      = "30130004"
  resource_type = "normal"
  version       = "1.0.0.1"
  source        = "pkg.zip"
  android       = { min_version = "1.0.0" }
}
`)
	cli.init()
	out := cli.must(2, "plan", "-detailed-exitcode")
	mustContain(t, out, `InstallType "9"`, `install_policy          = "9" -> "on_open"`, "Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.")
	writes := env.emulator.Stats()
	cli.must(0, "apply", "-auto-approve")
	wantValues(t, stateValues(t, cli, "mpaas_offline_package.pkg"), map[string]string{"install_policy": "on_open", "id": id})
	planKeepsEverything(t, cli, mpaas.FieldInstallType)
	after := env.emulator.Stats()
	for _, action := range []string{mpaas.ActionCreateNebulaResource, mpaas.ActionGetFileToken} {
		if after[action] != writes[action] {
			t.Errorf("%s called %d times by the apply, want none", action, after[action]-writes[action])
		}
	}
}
