package provider

import (
	"compress/flate"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// batchModulePath is the absolute path of examples/modules/batch-import, so
// test configurations can use it as a local module source.
func batchModulePath(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("../../examples/modules/batch-import")
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(abs)
}

// moduleSteps prepares steps whose configuration calls a module.
// terraform-plugin-testing installs modules only when `terraform init` sees
// them, and it runs init with the step's configuration only for a step that
// declares its own providers and a ConfigDirectory (for a raw Config, init
// sees just the provider blocks). So each step's Config is written to a
// directory of its own and the providers are set on the step.
func moduleSteps(t *testing.T, steps ...resource.TestStep) []resource.TestStep {
	t.Helper()
	for i := range steps {
		if steps[i].Config != "" {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(steps[i].Config), 0o644); err != nil {
				t.Fatal(err)
			}
			steps[i].Config = ""
			steps[i].ConfigDirectory = config.StaticDirectory(dir)
		}
		steps[i].ProtoV6ProviderFactories = testAccProtoV6ProviderFactories
	}
	return steps
}

// moduleCleanupStep empties the configuration. terraform-plugin-testing
// cannot read a state that holds child modules once the test ends (its legacy
// state shim rejects them), so a test that applies a module ends with this
// step. The packages leave the state only; the API keeps them.
func moduleCleanupStep(env *testEnv) resource.TestStep {
	return resource.TestStep{Config: env.config("")}
}

// expectModuleValue is statecheck.ExpectKnownValue for a resource at any
// module depth (the statecheck package only looks at the root module).
func expectModuleValue(address string, attribute tfjsonpath.Path, check knownvalue.Check) statecheck.StateCheck {
	return moduleValueCheck{address: address, attribute: attribute, check: check}
}

type moduleValueCheck struct {
	address   string
	attribute tfjsonpath.Path
	check     knownvalue.Check
}

func (c moduleValueCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	found := findStateResource(req.State.Values.RootModule, c.address)
	if found == nil {
		resp.Error = fmt.Errorf("%s - Resource not found in state", c.address)
		return
	}
	value, err := tfjsonpath.Traverse(found.AttributeValues, c.attribute)
	if err != nil {
		resp.Error = err
		return
	}
	if err := c.check.CheckValue(value); err != nil {
		resp.Error = fmt.Errorf("error checking value for attribute at path: %s.%s, err: %w", c.address, c.attribute, err)
	}
}

func findStateResource(module *tfjson.StateModule, address string) *tfjson.StateResource {
	if module == nil {
		return nil
	}
	for _, r := range module.Resources {
		if r.Address == address {
			return r
		}
	}
	for _, child := range module.ChildModules {
		if r := findStateResource(child, address); r != nil {
			return r
		}
	}
	return nil
}

// checkAPI runs a check against the emulator as a state check, since legacy
// Check functions cannot see a state that holds modules.
func checkAPI(check resource.TestCheckFunc) statecheck.StateCheck {
	return apiCheck{check: check}
}

type apiCheck struct{ check resource.TestCheckFunc }

func (c apiCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.check(nil)
}

// writeBatchZip writes a valid normal package named <id>.zip into dir; page
// makes its content (and length) differ between versions.
func writeBatchZip(t *testing.T, dir, h5AppID, page string) string {
	t.Helper()
	return writeZip(t, dir, h5AppID+".zip", map[string]string{
		h5AppID + "/www/index.html": "<html><body>" + page + "</body></html>",
	})
}

// batchDataConfig reads dir with the batch data source only.
func batchDataConfig(env *testEnv, dir string) string {
	return env.config(fmt.Sprintf(`
data "mpaas_offline_package_batch" "this" {
  directory = %q
}
`, filepath.ToSlash(dir)))
}

// expectNoApps asserts that nothing was created in the emulator (R26).
func (e *testEnv) expectNoApps() {
	e.t.Helper()
	apps, err := e.client.ListApps(context.Background(), "")
	if err != nil {
		e.t.Fatal(err)
	}
	if len(apps) != 0 {
		e.t.Fatalf("a failed batch must upload nothing, but the workspace holds %d H5Apps: %+v", len(apps), apps)
	}
}

func TestAccOfflinePackageBatch_module(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	// 11111111 exists with a package, 22222222 exists empty, 33333333 is new (R23).
	for _, id := range []string{"11111111", "22222222"} {
		if err := env.client.CreateApp(ctx, id, "existing "+id); err != nil {
			t.Fatal(err)
		}
	}
	env.createPackageOutOfBand("11111111", "1.0.0.3", "normal")

	dir := t.TempDir()
	for _, id := range []string{"11111111", "22222222", "33333333"} {
		writeBatchZip(t, dir, id, "first "+id)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o644); err != nil {
		t.Fatal(err)
	}
	// 44444444 is a package folder, zipped by the provider (source_dir).
	folderPage := filepath.Join(dir, "44444444", "www", "index.html")
	if err := os.MkdirAll(filepath.Dir(folderPage), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(folderPage, []byte("<html>folder</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	digest, err := offlinepkg.HashFile(filepath.Join(dir, "33333333.zip"))
	if err != nil {
		t.Fatal(err)
	}

	config := env.config(fmt.Sprintf(`
module "batch" {
  source    = %q
  directory = %q

  defaults = {
    android     = { min_version = "10.1.68" }
    extend_info = { launchParams = "{\"enableTabBar\":\"NO\"}" }
  }

  overrides = {
    "33333333" = {
      h5app_name     = "Third app"
      ios            = { min_version = "10.2.0" }
      main_url       = "/www/index.html"
      extend_info    = { asyncReqRate = "600" }
      install_policy = "preload"
    }
  }
}

output "packages" {
  value = module.batch.packages
}

output "package_count" {
  value = module.batch.package_count
}
`, batchModulePath(t), filepath.ToSlash(dir)))

	pkg := func(id string) string { return `module.batch.mpaas_offline_package.this["` + id + `"]` }
	var uploadsBefore int64
	versionOf := func(id, version string) statecheck.StateCheck {
		return statecheck.ExpectKnownOutputValueAtPath("packages", tfjsonpath.New(id).AtMapKey("version"), knownvalue.StringExact(version))
	}
	resource.ParallelTest(t, resource.TestCase{
		Steps: moduleSteps(t, []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("package_count", knownvalue.Int64Exact(4)),
					versionOf("11111111", "1.0.0.4"), // R24: next after the highest existing version
					versionOf("22222222", "0.0.0.1"),
					versionOf("33333333", "0.0.0.1"),
					versionOf("44444444", "0.0.0.1"),
					expectModuleValue(pkg("44444444"), tfjsonpath.New("source_dir"), knownvalue.StringExact(filepath.ToSlash(filepath.Join(dir, "44444444")))),
					expectModuleValue(pkg("44444444"), tfjsonpath.New("source"), knownvalue.Null()),
					checkAPI(env.expectVersions("44444444", "0.0.0.1")),
					statecheck.ExpectKnownOutputValueAtPath("packages", tfjsonpath.New("33333333").AtMapKey("package_id"), knownvalue.NotNull()),
					// Defaults apply to every package...
					expectModuleValue(pkg("11111111"), tfjsonpath.New("android").AtMapKey("min_version"), knownvalue.StringExact("10.1.68")),
					expectModuleValue(pkg("11111111"), tfjsonpath.New("ios"), knownvalue.Null()),
					expectModuleValue(pkg("11111111"), tfjsonpath.New("install_policy"), knownvalue.StringExact("on_open")),
					expectModuleValue(pkg("11111111"), tfjsonpath.New("source_sha256"), knownvalue.NotNull()),
					// ...and overrides are merged over them (R25).
					expectModuleValue(pkg("33333333"), tfjsonpath.New("android").AtMapKey("min_version"), knownvalue.StringExact("10.1.68")),
					expectModuleValue(pkg("33333333"), tfjsonpath.New("ios").AtMapKey("min_version"), knownvalue.StringExact("10.2.0")),
					expectModuleValue(pkg("33333333"), tfjsonpath.New("main_url"), knownvalue.StringExact("/www/index.html")),
					expectModuleValue(pkg("33333333"), tfjsonpath.New("install_policy"), knownvalue.StringExact("preload")),
					expectModuleValue(pkg("33333333"), tfjsonpath.New("extend_info"), knownvalue.MapExact(map[string]knownvalue.Check{
						"asyncReqRate": knownvalue.StringExact("600"),
						"launchParams": knownvalue.StringExact(`{"enableTabBar":"NO"}`),
					})),
					expectModuleValue(pkg("33333333"), tfjsonpath.New("source_sha256"), knownvalue.StringExact(digest.SHA256)),
					expectModuleValue(pkg("33333333"), tfjsonpath.New("file_size"), knownvalue.Int64Exact(digest.Size)),
					checkAPI(env.expectVersions("11111111", "1.0.0.3", "1.0.0.4")),
					checkAPI(env.expectVersions("22222222", "0.0.0.1")),
					checkAPI(env.expectVersions("33333333", "0.0.0.1")),
					checkAPI(env.expectAppName("33333333", "Third app")),
				},
			},
			{
				// A changed zip: exactly that package is replaced, with the next version.
				PreConfig: func() { writeBatchZip(t, dir, "22222222", "second version of 22222222") },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pkg("22222222"), plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectResourceAction(pkg("11111111"), plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(pkg("33333333"), plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					versionOf("11111111", "1.0.0.4"),
					versionOf("22222222", "0.0.0.2"),
					versionOf("33333333", "0.0.0.1"),
					checkAPI(env.expectVersions("11111111", "1.0.0.3", "1.0.0.4")),
					checkAPI(env.expectVersions("22222222", "0.0.0.1", "0.0.0.2")),
					checkAPI(env.expectVersions("33333333", "0.0.0.1")),
				},
			},
			{
				// The next CI run zips every package again (other times, level and
				// entry order): the same content plans no change and uploads nothing.
				PreConfig: func() {
					for _, id := range []string{"11111111", "22222222", "33333333"} {
						entries := map[string]string{id + "/www/index.html": "<html><body>first " + id + "</body></html>"}
						if id == "22222222" {
							entries[id+"/www/index.html"] = "<html><body>second version of 22222222</body></html>"
						}
						zipAt(t, filepath.Join(dir, id+".zip"), entries, time.Now().Add(time.Hour), flate.BestCompression, true)
					}
					uploadsBefore = env.emulator.Stats()["oss:PostObject"]
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{nothingToChange{}},
				},
				ConfigStateChecks: []statecheck.StateCheck{checkAPI(func(*terraform.State) error {
					if uploads := env.emulator.Stats()["oss:PostObject"]; uploads != uploadsBefore {
						return fmt.Errorf("a rebuild with the same content uploaded %d files", uploads-uploadsBefore)
					}
					return nil
				})},
			},
			moduleCleanupStep(env),
		}...),
	})
}

func (e *testEnv) expectAppName(h5AppID, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		app, err := e.client.FindApp(context.Background(), h5AppID)
		if err != nil {
			return err
		}
		if app == nil || app.Name != name {
			return fmt.Errorf("H5App %s is %+v, want the name %q", h5AppID, app, name)
		}
		return nil
	}
}

func TestAccOfflinePackageBatch_dataSource(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	var total int64
	for _, id := range []string{"87654321", "12345678"} {
		digest, err := offlinepkg.HashFile(writeBatchZip(t, dir, id, "page "+id))
		if err != nil {
			t.Fatal(err)
		}
		total += digest.Size
	}
	first, _ := offlinepkg.HashFile(filepath.Join(dir, "12345678.zip"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: batchDataConfig(env, dir),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.mpaas_offline_package_batch.this", tfjsonpath.New("package_count"), knownvalue.Int64Exact(2)),
				statecheck.ExpectKnownValue("data.mpaas_offline_package_batch.this", tfjsonpath.New("total_size_bytes"), knownvalue.Int64Exact(total)),
				statecheck.ExpectKnownValue("data.mpaas_offline_package_batch.this", tfjsonpath.New("packages").AtMapKey("12345678"),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"h5app_id":   knownvalue.StringExact("12345678"),
						"source":     knownvalue.StringExact(filepath.ToSlash(filepath.Join(dir, "12345678.zip"))),
						"source_dir": knownvalue.Null(),
						"size_bytes": knownvalue.Int64Exact(first.Size),
					})),
			},
		}},
	})
	env.expectNoApps() // a pure read
}

// Each batch rule fails the plan, naming every offending file (R26).
func TestAccOfflinePackageBatch_badNames(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	writeBatchZip(t, dir, "12345678", "fine")
	for _, name := range []string{"1234", "20000196", "66666612"} {
		writeZip(t, dir, name+".zip", map[string]string{name + "/www/index.html": "x"})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: batchDataConfig(env, dir),
			ExpectError: expectError(
				"Invalid batch import file 1234.zip", `H5App ID "1234" must be exactly 8 digits`, "(R2)",
				"Invalid batch import file 20000196.zip", "reserved", "(R3)",
				"Invalid batch import file 66666612.zip", "must not start with 666666", "(R4)",
			),
		}},
	})
	env.expectNoApps()
}

func TestAccOfflinePackageBatch_tooManyFiles(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	for i := 0; i <= offlinepkg.MaxBatchFiles; i++ {
		id := fmt.Sprintf("%08d", 30000000+i)
		writeZip(t, dir, id+".zip", map[string]string{id + "/a": "a"})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      batchDataConfig(env, dir),
			ExpectError: expectError("The directory holds 101 packages (.zip files and package folders); at most 100 are allowed in one batch import (R22)"),
		}},
	})
}

func TestAccOfflinePackageBatch_tooLarge(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	writeBatchZip(t, dir, "23456789", "small")
	// A sparse file: huge on paper, instant to create. It is not a zip, which
	// does not matter: R22 is checked from the sizes and nothing is hashed.
	sparse, err := os.Create(filepath.Join(dir, "12345678.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sparse.Truncate(offlinepkg.MaxBatchBytes); err != nil {
		t.Fatal(err)
	}
	if err := sparse.Close(); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      batchDataConfig(env, dir),
			ExpectError: expectError("at most 300000000 bytes (300 MB) are allowed in one batch import (R22)"),
		}},
	})
}

func TestAccOfflinePackageBatch_badZips(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	writeBatchZip(t, dir, "12345678", "fine")
	writeZip(t, dir, "23456789.zip", map[string]string{"www/index.html": "no top-level folder"})
	if err := os.WriteFile(filepath.Join(dir, "34567890.zip"), []byte("this is not a zip archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: batchDataConfig(env, dir),
			ExpectError: expectError(
				"Invalid batch import file 23456789.zip", "23456789.zip (H5App 23456789)",
				"Invalid batch import file 34567890.zip", "34567890.zip (H5App 34567890)",
			),
		}},
	})
}

// DONE-WHEN: a misnamed file and a zip that breaks the layout rules give two
// errors naming both files, and nothing is uploaded.
func TestAccOfflinePackageBatch_moduleRejectsWholeBatch(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	writeBatchZip(t, dir, "12345678", "fine")
	writeZip(t, dir, "portal.zip", map[string]string{"portal/www/index.html": "misnamed"})
	writeZip(t, dir, "23456789.zip", map[string]string{"99999999/www/index.html": "wrong folder"})

	var diags diag.Diagnostics
	if _, _, ok := readBatch(dir, &diags); ok || diags.ErrorsCount() != 2 {
		t.Fatalf("want exactly two errors, got %d: %v", diags.ErrorsCount(), diags)
	}
	resource.ParallelTest(t, resource.TestCase{
		Steps: moduleSteps(t, []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
module "batch" {
  source    = %q
  directory = %q
}
`, batchModulePath(t), filepath.ToSlash(dir))),
			ExpectError: expectError("Invalid batch import file 23456789.zip", "Invalid batch import file portal.zip"),
		}}...),
	})
	env.expectNoApps()
}

func TestAccOfflinePackageBatch_unknownOverride(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	writeBatchZip(t, dir, "12345678", "fine")
	resource.ParallelTest(t, resource.TestCase{
		Steps: moduleSteps(t, []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
module "batch" {
  source    = %q
  directory = %q
  overrides = {
    "87654321" = { main_url = "/www/index.html" }
  }
}
`, batchModulePath(t), filepath.ToSlash(dir))),
			ExpectError: expectError("overrides names H5Apps with no package in", "87654321"),
		}}...),
	})
	env.expectNoApps()
}

func TestOfflinePackageBatch_readBatch(t *testing.T) {
	errorsOf := func(diags diag.Diagnostics) string {
		var parts []string
		for _, d := range diags.Errors() {
			parts = append(parts, d.Summary()+": "+d.Detail())
		}
		return strings.Join(parts, "\n")
	}
	t.Run("empty", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "readme.md"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		var diags diag.Diagnostics
		if _, _, ok := readBatch(dir, &diags); ok || !strings.Contains(errorsOf(diags), "contains no packages") {
			t.Fatalf("want 'contains no packages', got %v", diags)
		}
	})
	t.Run("missing", func(t *testing.T) {
		var diags diag.Diagnostics
		missing := filepath.Join(t.TempDir(), "nope")
		if _, _, ok := readBatch(missing, &diags); ok || !strings.Contains(errorsOf(diags), "does not exist") {
			t.Fatalf("want a missing-directory error, got %v", diags)
		}
		if len(diags) != 1 {
			t.Fatalf("want one diagnostic, got %v", diags)
		}
		if withPath, ok := diags[0].(diag.DiagnosticWithPath); !ok || withPath.Path().String() != "directory" {
			t.Fatalf("the error must be on directory: %v", diags[0])
		}
	})
	t.Run("ignored files warn once, relative paths stay relative", func(t *testing.T) {
		dir := t.TempDir()
		writeBatchZip(t, dir, "23456789", "b")
		writeBatchZip(t, dir, "12345678", "a")
		for _, name := range []string{"notes.txt", "logo.png"} {
			if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		rel, err := filepath.Rel(wd, dir)
		if err != nil {
			t.Skipf("no relative path to the temp dir: %v", err)
		}
		var diags diag.Diagnostics
		packages, total, ok := readBatch(rel, &diags)
		if !ok || diags.HasError() {
			t.Fatalf("unexpected errors: %v", diags)
		}
		if diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "logo.png, notes.txt, sub") {
			t.Fatalf("want one warning listing the ignored entries, got %v", diags)
		}
		if len(packages) != 2 || packages[0].H5AppID != "12345678" || packages[1].H5AppID != "23456789" {
			t.Fatalf("packages not sorted by ID: %+v", packages)
		}
		if want := filepath.ToSlash(filepath.Join(rel, "12345678.zip")); packages[0].Path != want || filepath.IsAbs(packages[0].Path) {
			t.Fatalf("source %q, want %q", packages[0].Path, want)
		}
		if total != packages[0].Size+packages[1].Size || packages[0].Size == 0 {
			t.Fatalf("bad sizes: %+v total %d", packages, total)
		}
	})
	t.Run("limits are checked before any package is opened", func(t *testing.T) {
		dir := t.TempDir()
		// Unreadable contents would fail the inspection; the cap must stop first.
		sparse, err := os.Create(filepath.Join(dir, "12345678.zip"))
		if err != nil {
			t.Fatal(err)
		}
		if err := sparse.Truncate(offlinepkg.MaxBatchBytes + 1); err != nil {
			t.Fatal(err)
		}
		sparse.Close()
		writeZip(t, dir, "bad.zip", map[string]string{"x": "y"})
		var diags diag.Diagnostics
		if _, _, ok := readBatch(dir, &diags); ok || diags.ErrorsCount() != 2 {
			t.Fatalf("want the name error and the size error, got %v", diags)
		}
		got := errorsOf(diags)
		if !strings.Contains(got, "bad.zip") || !strings.Contains(got, "(R22)") || strings.Contains(got, "12345678.zip (H5App") {
			t.Fatalf("unexpected errors:\n%s", got)
		}
	})
}

// nothingToChange is plancheck.ExpectEmptyPlan for configurations with
// modules (which ExpectEmptyPlan refuses): every resource change is a no-op
// or a read.
type nothingToChange struct{}

func (nothingToChange) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, change := range req.Plan.ResourceChanges {
		if !change.Change.Actions.NoOp() && !change.Change.Actions.Read() {
			resp.Error = fmt.Errorf("%s plans %v, want no change", change.Address, change.Change.Actions)
			return
		}
	}
}
