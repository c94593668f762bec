package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A pinned version that another writer registers while the zip uploads (the
// H5App was checked just before) is an apply error on version that names
// it and the next version; nothing is registered.
func TestAccOfflinePackage_pinnedVersionTakenDuringUpload(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	if err := env.client.CreateApp(t.Context(), "30140001", "Pinned"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	otherPipeline := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/oss") {
			once.Do(func() { env.createPackageOutOfBand("30140001", "1.0.0.2", "normal") })
		}
		env.emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(otherPipeline.Close)
	writeZip(t, cli.dir, "pkg.zip", map[string]string{"30140001/www/index.html": "pinned"})
	cli.write("main.tf", requiredProviders+fmt.Sprintf(`
provider "mpaas" {
  endpoint     = %q
  access_key   = %q
  secret_key   = %q
  app_id       = %q
  workspace_id = %q
  tenant_id    = %q
}

resource "mpaas_offline_package" "pkg" {
  h5app_id      = "30140001"
  resource_type = "normal"
  version       = "1.0.0.2"
  source        = "pkg.zip"
  android       = { min_version = "10.1" }
}
`, otherPipeline.URL, testAccessKeyID, testAccessKeySecret, testAppID, testWorkspaceID, testTenantID))
	cli.init()
	out := cli.must(1, "apply", "-auto-approve")
	mustContain(t, out, "Version 1.0.0.2 already exists in H5App 30140001", `version       = "1.0.0.2"`,
		`provider::mpaas::next_version("1.0.0.2")`, "VERSION_EXISTS")
	if versions := packageVersionsOf(t, env, "30140001"); len(versions) != 1 || versions[0] != "1.0.0.2" {
		t.Fatalf("the H5App holds %v, want only the other pipeline's 1.0.0.2", versions)
	}
}

// packageVersionsOf lists the versions an H5App holds in the emulator.
func packageVersionsOf(t *testing.T, env *testEnv, h5AppID string) []string {
	t.Helper()
	packages, err := env.client.ListPackages(t.Context(), h5AppID)
	if err != nil {
		t.Fatal(err)
	}
	versions := make([]string, len(packages))
	for i, pkg := range packages {
		versions[i] = pkg.Version
	}
	return versions
}
