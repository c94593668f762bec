package provider

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// zipAt writes entries (name -> content) as a zip at path with the given
// entry time and compression level, in the given name order (sorted when
// reverse is false), as different zip tools and CI runs would.
func zipAt(t *testing.T, path string, entries map[string]string, modified time.Time, level int, reverse bool) {
	t.Helper()
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	sort.Strings(names)
	if reverse {
		sort.Sort(sort.Reverse(sort.StringSlice(names)))
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, level) })
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, entries[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writes counts the calls that change something in mPaaS.
func writes(stats map[string]int64) map[string]int64 {
	counted := map[string]int64{}
	for _, action := range []string{"oss:PostObject", mpaas.ActionCreateNebulaApp, mpaas.ActionCreateNebulaResource,
		mpaas.ActionDeleteNebulaApp, mpaas.ActionCreateNebulaTask, mpaas.ActionChangeNebulaTaskStatus} {
		if stats[action] > 0 {
			counted[action] = stats[action]
		}
	}
	return counted
}

func (e *testEnv) versionsOf(h5AppID string) []string {
	e.t.Helper()
	items, err := e.client.ListPackages(context.Background(), h5AppID)
	if err != nil {
		e.t.Fatalf("list packages of %s: %v", h5AppID, err)
	}
	versions := make([]string, 0, len(items))
	for _, item := range items {
		versions = append(versions, item.Version)
	}
	sort.Strings(versions)
	return versions
}

func mustContain(t *testing.T, out string, fragments ...string) {
	t.Helper()
	for _, fragment := range fragments {
		if !strings.Contains(out, fragment) {
			t.Fatalf("output lacks %q:\n%s", fragment, out)
		}
	}
}

// TestAccPipeline_validateBuildApplyRebuild runs a CI pipeline's steps in
// order with the terraform CLI: validate before the zip is built, plan
// (missing file, then a bad zip), apply, re-plan, rebuild the same files,
// change one file, then switch to source_dir. After each step it checks what
// the service holds, not only what Terraform printed.
func TestAccPipeline_validateBuildApplyRebuild(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	page := map[string]string{"30020001/www/index.html": "<html>portal</html>", "30020001/www/app.js": strings.Repeat("let x = 1;\n", 300)}
	config := func(content string) string {
		return env.providerBlock() + `
resource "mpaas_h5app" "portal" {
  h5app_id      = "30020001"
  name          = "Portal"
  force_destroy = true
}

resource "mpaas_offline_package" "portal" {
  h5app_id      = mpaas_h5app.portal.h5app_id
  resource_type = "normal"
  ` + content + `
  android       = { min_version = "10.1.0" }
  main_url      = "/www/index.html"
}
`
	}
	cli.write("main.tf", config(`source = "dist/30020001.zip"`))
	cli.init()

	// Validate before the build: no zip exists yet.
	cli.must(0, "validate")
	// Plan before the build: the missing file, on source.
	out := cli.must(1, "plan")
	mustContain(t, out, "Cannot read the package file", `source = "dist/30020001.zip"`, "does not exist")

	// A broken build: main_url is not in the zip. The plan stops, nothing is created.
	zipPath := cli.path("dist/30020001.zip")
	zipAt(t, zipPath, map[string]string{"30020001/index.html": "x"}, time.Now(), flate.DefaultCompression, false)
	out = cli.must(1, "plan")
	mustContain(t, out, "Invalid offline package (R15)", `main_url      = "/www/index.html"`)
	if got := writes(env.emulator.Stats()); len(got) != 0 {
		t.Fatalf("a failed plan changed the service: %v", got)
	}

	// The real build: apply, then an empty re-plan.
	zipAt(t, zipPath, page, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), flate.DefaultCompression, false)
	cli.must(0, "apply", "-auto-approve")
	if got := env.versionsOf("30020001"); strings.Join(got, ",") != "0.0.0.1" {
		t.Fatalf("after apply the H5App holds %v", got)
	}
	afterApply := writes(env.emulator.Stats())
	if afterApply["oss:PostObject"] != 1 || afterApply[mpaas.ActionCreateNebulaResource] != 1 || afterApply[mpaas.ActionCreateNebulaApp] != 1 {
		t.Fatalf("first apply: %v", afterApply)
	}
	cli.must(0, "plan", "-detailed-exitcode")

	// The next CI run zips the same files again: other times, level and order.
	zipAt(t, zipPath, page, time.Now().Add(time.Hour), flate.BestCompression, true)
	cli.must(0, "plan", "-detailed-exitcode")
	cli.must(0, "apply", "-auto-approve")
	if got := writes(env.emulator.Stats()); !equalCounts(got, afterApply) {
		t.Fatalf("a rebuild with the same content changed the service: %v, before %v", got, afterApply)
	}

	// One changed file: exactly one new version.
	changed := map[string]string{"30020001/www/index.html": "<html>portal v2</html>", "30020001/www/app.js": page["30020001/www/app.js"]}
	zipAt(t, zipPath, changed, time.Now(), flate.DefaultCompression, false)
	out = cli.must(2, "plan", "-detailed-exitcode")
	mustContain(t, out, "must be replaced", "Plan: 1 to add, 0 to change, 1 to destroy.")
	cli.must(0, "apply", "-auto-approve")
	if got := env.versionsOf("30020001"); strings.Join(got, ",") != "0.0.0.1,0.0.0.2" {
		t.Fatalf("after the change the H5App holds %v", got)
	}
	afterChange := writes(env.emulator.Stats())
	if afterChange["oss:PostObject"] != 2 || afterChange[mpaas.ActionCreateNebulaResource] != 2 {
		t.Fatalf("after the change: %v", afterChange)
	}

	// The same files as a folder: source_dir is the same content.
	for name, content := range changed {
		cli.write(filepath.Join("site", strings.TrimPrefix(name, "30020001/")), content)
	}
	cli.write("main.tf", config(`source_dir = "site"`))
	out = cli.must(2, "plan", "-detailed-exitcode")
	mustContain(t, out, "Plan: 0 to add, 1 to change, 0 to destroy.")
	cli.must(0, "apply", "-auto-approve")
	cli.must(0, "plan", "-detailed-exitcode")
	if got := writes(env.emulator.Stats()); !equalCounts(got, afterChange) {
		t.Fatalf("switching to an identical source_dir changed the service: %v, before %v", got, afterChange)
	}

	// A changed file in the folder: one new version, zipped by the provider.
	cli.write("site/www/index.html", "<html>portal v3</html>")
	cli.must(0, "apply", "-auto-approve")
	if got := env.versionsOf("30020001"); strings.Join(got, ",") != "0.0.0.1,0.0.0.2,0.0.0.3" {
		t.Fatalf("after the folder change the H5App holds %v", got)
	}
	cli.must(0, "plan", "-detailed-exitcode")
}

// TestAccPipeline_referencesCheckTheZipAtPlan: whether a package names its
// H5App by .h5app_id or by .id, a bad zip fails the first plan (before the
// H5App is created) and a good one applies with an empty re-plan.
func TestAccPipeline_referencesCheckTheZipAtPlan(t *testing.T) {
	for _, attribute := range []string{"h5app_id", "id"} {
		t.Run(attribute, func(t *testing.T) {
			env := newTestEnv(t)
			cli := newCLIRun(t)
			cli.write("main.tf", env.providerBlock()+`
resource "mpaas_h5app" "app" {
  h5app_id      = "30020002"
  name          = "Reference"
  force_destroy = true
}

resource "mpaas_offline_package" "pkg" {
  h5app_id      = mpaas_h5app.app.`+attribute+`
  resource_type = "normal"
  source        = "pkg.zip"
  ios           = { min_version = "10.2.0" }
}
`)
			cli.init()
			zipAt(t, cli.path("pkg.zip"), map[string]string{"www/index.html": "outside the H5App folder"}, time.Now(), flate.DefaultCompression, false)
			out := cli.must(1, "plan")
			mustContain(t, out, "Invalid offline package", `The zip's files are at its root, not inside the folder "30020002/"`)
			if got := writes(env.emulator.Stats()); len(got) != 0 {
				t.Fatalf("a failed plan changed the service: %v", got)
			}
			zipAt(t, cli.path("pkg.zip"), map[string]string{"30020002/www/index.html": "ok"}, time.Now(), flate.DefaultCompression, false)
			cli.must(0, "apply", "-auto-approve")
			cli.must(0, "plan", "-detailed-exitcode")
			if got := env.versionsOf("30020002"); strings.Join(got, ",") != "0.0.0.1" {
				t.Fatalf("the H5App holds %v", got)
			}
		})
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for key, value := range a {
		if b[key] != value {
			return false
		}
	}
	return true
}
