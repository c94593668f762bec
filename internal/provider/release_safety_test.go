package provider

import (
	"bytes"
	"compress/flate"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Release safety: no apply, split or failed, leaves clients worse off than
// before it. These tests run the pipeline's steps with the terraform CLI and
// ask the emulator what it holds and what a client would receive.

const safetyH5AppID = "30030001"

// safetyConfig is a portal released officially, written the way users write
// it: the package names its H5App by .id, the release its package by .id.
func safetyConfig(env *testEnv, appName, releaseType string) string {
	audience := ""
	if releaseType == "grayscale" {
		audience = "\n  time_window = { duration = \"72h\", max_users = 1000 }"
	}
	return env.providerBlock() + `
resource "mpaas_h5app" "portal" {
  h5app_id      = "` + safetyH5AppID + `"
  name          = "` + appName + `"
  force_destroy = true
}

resource "mpaas_offline_package" "portal" {
  h5app_id      = mpaas_h5app.portal.id
  resource_type = "normal"
  source        = "dist/` + safetyH5AppID + `.zip"
  android       = { min_version = "10.1.0" }
  main_url      = "/www/index.html"
}

resource "mpaas_offline_package_release" "portal" {
  package_id = mpaas_offline_package.portal.id
  memo       = "Portal"
  type       = "` + releaseType + `"` + audience + `
}
`
}

// portalFiles is the portal's content for a given page text.
func portalFiles(page string) map[string]string {
	return map[string]string{
		safetyH5AppID + "/www/index.html": "<html>" + page + "</html>",
		safetyH5AppID + "/www/app.js":     strings.Repeat("let portal = 1;\n", 200),
	}
}

// delivered is what an Android 10.1.0 client of the portal receives: the
// version, or the emulator's reason for skipping it.
func (e *testEnv) delivered() string {
	e.t.Helper()
	out, err := e.previewFromEndpoint(url.Values{"app_id": {testAppID}, "workspace_id": {testWorkspaceID}, "tenant_id": {testTenantID},
		"platform": {"android"}, "client_version": {"10.1.0"}, "h5app_id": {safetyH5AppID}})
	if err != nil {
		e.t.Fatalf("delivery: %v", err)
	}
	for _, line := range strings.Split(out, "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 3 && fields[0] == "delivered" && fields[1] == safetyH5AppID {
			return fields[2]
		}
	}
	return out
}

func (e *testEnv) expectDelivered(want string) {
	e.t.Helper()
	if got := e.delivered(); got != want {
		e.t.Fatalf("an Android 10.1.0 client receives %q, want version %s", got, want)
	}
}

func (e *testEnv) expectWrites(want map[string]int64) {
	e.t.Helper()
	if got := writes(e.emulator.Stats()); !equalCounts(got, want) {
		e.t.Fatalf("the service saw the writes %v, want %v", got, want)
	}
}

// TestAccReleaseSafety_savedPlanSurvivesRebuild: the plan job and the apply
// job build the zip separately. The same files zipped again (other times,
// level and order) apply from the saved plan: one new version, an empty
// re-plan. Other content fails before anything is uploaded, on content_sha256.
func TestAccReleaseSafety_savedPlanSurvivesRebuild(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	zipPath := cli.path("dist/" + safetyH5AppID + ".zip")
	cli.write("main.tf", safetyConfig(env, "Portal", "official"))
	cli.init()

	// First release, from a saved plan, with the zip rebuilt in between.
	zipAt(t, zipPath, portalFiles("v1"), time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), flate.BestSpeed, false)
	out := cli.must(0, "plan", "-out=tfplan")
	mustContain(t, out, "Plan: 3 to add, 0 to change, 0 to destroy.")
	zipAt(t, zipPath, portalFiles("v1"), time.Now(), flate.BestCompression, true)
	cli.must(0, "apply", "tfplan")
	cli.must(0, "plan", "-detailed-exitcode")
	env.expectDelivered("0.0.0.1")

	// A new version, planned in one job and applied in the next after a rebuild.
	zipAt(t, zipPath, portalFiles("v2"), time.Now(), flate.BestSpeed, false)
	out = cli.must(0, "plan", "-out=tfplan")
	mustContain(t, out, "must be replaced", "Plan: 1 to add, 1 to change, 1 to destroy.")
	zipAt(t, zipPath, portalFiles("v2"), time.Now().Add(time.Minute), flate.NoCompression, true)
	cli.must(0, "apply", "tfplan")
	if got := env.versionsOf(safetyH5AppID); strings.Join(got, ",") != "0.0.0.1,0.0.0.2" {
		t.Fatalf("after the split apply the H5App holds %v", got)
	}
	cli.must(0, "plan", "-detailed-exitcode")
	env.expectDelivered("0.0.0.2")
	applied := map[string]int64{"oss:PostObject": 2, mpaas.ActionCreateNebulaApp: 1, mpaas.ActionCreateNebulaResource: 2,
		mpaas.ActionCreateNebulaTask: 2, mpaas.ActionChangeNebulaTaskStatus: 1}
	env.expectWrites(applied)

	// The apply job builds other content than the plan job reviewed: refused
	// before anything is uploaded, and clients keep what they had.
	zipAt(t, zipPath, portalFiles("v3"), time.Now(), flate.BestSpeed, false)
	cli.must(0, "plan", "-out=tfplan")
	zipAt(t, zipPath, portalFiles("v3, edited after review"), time.Now().Add(time.Minute), flate.BestSpeed, false)
	out = cli.must(1, "apply", "tfplan")
	mustContain(t, out, "content_sha256")
	env.expectWrites(applied)
	env.expectDelivered("0.0.0.2")
}

// TestAccReleaseSafety_failedBumpKeepsTheRelease: the zip of a new version is
// missing in the apply job. The apply fails, and clients still receive the
// version they had (the release task was not ended first); the repaired
// apply releases the new version, creating its task before ending the old.
func TestAccReleaseSafety_failedBumpKeepsTheRelease(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	zipPath := cli.path("dist/" + safetyH5AppID + ".zip")
	cli.write("main.tf", safetyConfig(env, "Portal", "official"))
	cli.init()
	zipAt(t, zipPath, portalFiles("v1"), time.Now(), flate.DefaultCompression, false)
	cli.must(0, "apply", "-auto-approve")
	env.expectDelivered("0.0.0.1")

	zipAt(t, zipPath, portalFiles("v2"), time.Now(), flate.DefaultCompression, false)
	out := cli.must(0, "plan", "-out=tfplan")
	mustContain(t, out, "mpaas_offline_package_release.portal will be updated in-place", "is re-released")
	if err := os.Remove(zipPath); err != nil {
		t.Fatal(err)
	}
	cli.must(1, "apply", "tfplan")
	env.expectDelivered("0.0.0.1")
	if got := writes(env.emulator.Stats()); got[mpaas.ActionChangeNebulaTaskStatus] != 0 || got["oss:PostObject"] != 1 {
		t.Fatalf("the failed apply changed the release or uploaded: %v", got)
	}

	// The repaired pipeline: the zip is there again.
	zipAt(t, zipPath, portalFiles("v2"), time.Now(), flate.DefaultCompression, false)
	cli.must(0, "apply", "-auto-approve")
	env.expectDelivered("0.0.0.2")
	cli.must(0, "plan", "-detailed-exitcode")
	env.expectWrites(map[string]int64{"oss:PostObject": 2, mpaas.ActionCreateNebulaApp: 1, mpaas.ActionCreateNebulaResource: 2,
		mpaas.ActionCreateNebulaTask: 2, mpaas.ActionChangeNebulaTaskStatus: 1})
}

// refusingTasks fails every CreateMcubeNebulaTask while on is set, as a
// service outage at the worst moment would.
type refusingTasks struct {
	next http.Handler
	on   atomic.Bool
}

func (h *refusingTasks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.on.Load() && r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if strings.Contains(string(body), "Action="+mpaas.ActionCreateNebulaTask) || r.URL.Query().Get("Action") == mpaas.ActionCreateNebulaTask ||
			r.Header.Get("x-acs-action") == mpaas.ActionCreateNebulaTask {
			http.Error(w, `{"Code":"ServiceUnavailable","Message":"injected outage","RequestId":"refused-task"}`, http.StatusServiceUnavailable)
			return
		}
	}
	h.next.ServeHTTP(w, r)
}

// TestAccReleaseSafety_reReleaseCreatesTheNewTaskFirst: promoting a
// grayscale release to official while task creation fails leaves the
// grayscale task running; once the service answers, the official task is
// created and only then the grayscale one ends.
func TestAccReleaseSafety_reReleaseCreatesTheNewTaskFirst(t *testing.T) {
	env := newTestEnv(t)
	gate := &refusingTasks{next: env.emulator}
	env.server.Config.Handler = gate
	cli := newCLIRun(t)
	zipAt(t, cli.path("dist/"+safetyH5AppID+".zip"), portalFiles("v1"), time.Now(), flate.DefaultCompression, false)
	cli.write("main.tf", safetyConfig(env, "Portal", "grayscale"))
	cli.init()
	cli.must(0, "apply", "-auto-approve")
	grey := env.releaseIDs()

	cli.write("main.tf", safetyConfig(env, "Portal", "official"))
	out := cli.must(0, "plan")
	mustContain(t, out, "Plan: 0 to add, 1 to change, 0 to destroy.", "is re-released")
	gate.on.Store(true)
	cli.must(1, "apply", "-auto-approve")
	if got := env.releaseIDs(); len(got) != 1 || got[0] != grey[0] || env.taskStatus(grey[0]) != mpaas.ReleaseStatusActive {
		t.Fatalf("after a failed promotion the tasks are %v (grayscale %v): the grayscale task must still run", got, grey)
	}
	gate.on.Store(false)
	cli.must(0, "apply", "-auto-approve")
	cli.must(0, "plan", "-detailed-exitcode")
	got := env.releaseIDs()
	if len(got) != 2 || env.taskStatus(grey[0]) != mpaas.ReleaseStatusEnded || env.taskStatus(got[1]) != mpaas.ReleaseStatusActive {
		t.Fatalf("after the promotion: tasks %v; the grayscale task must have ended and the official one run", got)
	}
	env.expectDelivered("0.0.0.1")
}

// releaseIDs lists the portal package's task IDs, oldest first.
func (e *testEnv) releaseIDs() []int64 {
	e.t.Helper()
	packages, err := e.client.ListPackages(e.t.Context(), safetyH5AppID)
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []int64
	for _, pkg := range packages {
		tasks, err := e.client.ListReleases(e.t.Context(), pkg.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, task := range tasks {
			ids = append(ids, task.ID)
		}
	}
	return ids
}

func (e *testEnv) taskStatus(id int64) mpaas.ReleaseStatus {
	e.t.Helper()
	task, err := e.client.GetRelease(e.t.Context(), id)
	if err != nil || task == nil {
		e.t.Fatalf("task %d: %+v, %v", id, task, err)
	}
	return task.Status
}

// TestAccReleaseSafety_versionsRiseAfterRename follows the documented rename
// path: force_destroy applied alone, then the new name. The H5App is created
// again, empty; its package, which references mpaas_h5app.portal.id, is
// uploaded again in the same apply above the version clients hold, and its
// release follows. Nothing is left for a second apply.
func TestAccReleaseSafety_versionsRiseAfterRename(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	zipPath := cli.path("dist/" + safetyH5AppID + ".zip")
	cli.write("main.tf", strings.Replace(safetyConfig(env, "Portal", "official"), "force_destroy = true", "force_destroy = false", 1))
	cli.init()
	zipAt(t, zipPath, portalFiles("v1"), time.Now(), flate.DefaultCompression, false)
	cli.must(0, "apply", "-auto-approve")
	zipAt(t, zipPath, portalFiles("v2"), time.Now(), flate.DefaultCompression, false)
	cli.must(0, "apply", "-auto-approve")
	env.expectDelivered("0.0.0.2")

	cli.write("main.tf", safetyConfig(env, "Portal", "official"))
	cli.must(0, "apply", "-auto-approve")
	cli.write("main.tf", safetyConfig(env, "Portal 2", "official"))
	out := cli.must(0, "plan")
	mustContain(t, out, "mpaas_h5app.portal must be replaced", "mpaas_offline_package.portal must be replaced", "above the one it had")
	cli.must(0, "apply", "-auto-approve")
	if got := env.versionsOf(safetyH5AppID); strings.Join(got, ",") != "0.0.0.3" {
		t.Fatalf("after the rename the new H5App holds %v, want only 0.0.0.3 (above the 0.0.0.2 clients hold)", got)
	}
	env.expectDelivered("0.0.0.3")
	cli.must(0, "plan", "-detailed-exitcode")
}

// TestAccReleaseSafety_goneVersionComesBackHigher: an H5App deleted and
// created again outside Terraform (or renamed with a package that references
// h5app_id) loses its versions. The package stays in the state, and the next
// plan replaces it above the version it had instead of starting at 0.0.0.1.
func TestAccReleaseSafety_goneVersionComesBackHigher(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	zipPath := cli.path("dist/" + safetyH5AppID + ".zip")
	config := strings.Replace(safetyConfig(env, "Portal", "official"), "h5app_id      = mpaas_h5app.portal.id", "h5app_id      = mpaas_h5app.portal.h5app_id", 1)
	cli.write("main.tf", config)
	cli.init()
	for _, page := range []string{"v1", "v2"} {
		zipAt(t, zipPath, portalFiles(page), time.Now(), flate.DefaultCompression, false)
		cli.must(0, "apply", "-auto-approve")
	}
	if err := env.client.DeleteApp(t.Context(), safetyH5AppID); err != nil {
		t.Fatal(err)
	}
	if err := env.client.CreateApp(t.Context(), safetyH5AppID, "Portal"); err != nil {
		t.Fatal(err)
	}
	out := cli.must(2, "plan", "-detailed-exitcode")
	mustContain(t, out, "no longer exists in mPaaS", "mpaas_offline_package.portal must be replaced")
	cli.must(0, "apply", "-auto-approve")
	if got := env.versionsOf(safetyH5AppID); strings.Join(got, ",") != "0.0.0.3" {
		t.Fatalf("the re-created H5App holds %v, want 0.0.0.3", got)
	}
	env.expectDelivered("0.0.0.3")
	cli.must(0, "plan", "-detailed-exitcode")
}

// TestAccH5App_existingIsAPlanError: declaring an H5App that mPaaS already
// holds fails at plan, on h5app_id, with the import block to use; with that
// block the same plan imports it.
func TestAccH5App_existingIsAPlanError(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("30030002", "Existing")
	seeded := writes(env.emulator.Stats())
	cli := newCLIRun(t)
	resourceBlock := `
resource "mpaas_h5app" "existing" {
  h5app_id = "30030002"
  name     = "Existing"
}
`
	cli.write("main.tf", env.providerBlock()+resourceBlock)
	cli.init()
	out := cli.must(1, "plan")
	mustContain(t, out, "H5App 30030002 already exists", `h5app_id = "30030002"`, "import {", "to = mpaas_h5app.NAME",
		"terraform import 'mpaas_h5app.NAME' 30030002")
	env.expectWrites(seeded)
	cli.write("main.tf", env.providerBlock()+resourceBlock+`
import {
  to = mpaas_h5app.existing
  id = "30030002"
}
`)
	out = cli.must(0, "plan")
	mustContain(t, out, "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.")
}

// TestAccOfflinePackage_createTimeout: a create that outlasts timeouts.create
// stops with the deadline, and nothing is registered.
func TestAccOfflinePackage_createTimeout(t *testing.T) {
	env := newTestEnvWith(t, func(o *emulator.Options) {})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		env.emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	cli := newCLIRun(t)
	zipAt(t, cli.path("dist/"+safetyH5AppID+".zip"), portalFiles("v1"), time.Now(), flate.DefaultCompression, false)
	cli.write("main.tf", strings.Replace(env.providerBlock(), env.server.URL, slow.URL, 1)+`
resource "mpaas_offline_package" "portal" {
  h5app_id                = "`+safetyH5AppID+`"
  resource_type           = "normal"
  source                  = "dist/`+safetyH5AppID+`.zip"
  android                 = { min_version = "10.1.0" }
  create_h5app_if_missing = true
  timeouts                = { create = "200ms" }
}
`)
	cli.init()
	out := cli.must(1, "apply", "-auto-approve")
	mustContain(t, out, "context deadline exceeded")
	if n := env.emulator.Stats()[mpaas.ActionCreateNebulaResource]; n != 0 {
		t.Fatalf("%d packages registered after the timeout", n)
	}
}
