package provider

import (
	"compress/flate"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The requests the emulator may see, per package, for a create and a no-op
// plan (DESIGN.md section 7.4): a regression in round trips fails here. A
// new package in a new H5App costs its H5App, its upload and its register
// call, the upload token being shared by the run (writes: exact counts);
// what the provider reads around them is bounded by applyReads.
const roundTripPackages = 4

// applyReads bounds the reads of an apply of roundTripPackages new packages
// in new H5Apps: per package, then per run.
var applyReads = map[string]struct{ perPackage, perRun int64 }{
	// The catalogue of H5Apps, listed once by the plan's process and once by
	// the apply's; an H5App it does not show is created without a search
	// (EnsureUnlistedApp).
	mpaas.ActionListNebulaApps: {0, 2},
	// A new H5App holds no package but the ones the run registers: the
	// version is assigned without a list, and the created package is read
	// back by its ID.
	mpaas.ActionGetNebulaResource: {1, 0},
}

// requestsSince is what the emulator served since before (downloads and
// byte counts left out), by action.
func requestsSince(before, after map[string]int64) map[string]int64 {
	made := map[string]int64{}
	for action, count := range after {
		if action == "download" || strings.HasPrefix(action, "bytes") || strings.HasPrefix(action, "signature:") {
			continue
		}
		if delta := count - before[action]; delta > 0 {
			made[action] = delta
		}
	}
	return made
}

func describeRequests(made map[string]int64) string {
	parts := make([]string, 0, len(made))
	for action, n := range made {
		parts = append(parts, fmt.Sprintf("%s:%d", action, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// TestAccRoundTrips_createAndNoOpPlan applies new packages into new H5Apps
// in parallel (one shared upload token), then checks that a no-op plan makes
// one read per H5App and no write.
func TestAccRoundTrips_createAndNoOpPlan(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	for i := range roundTripPackages {
		id := fmt.Sprint(30230001 + i)
		zipAt(t, cli.path("dist/"+id+".zip"), map[string]string{id + "/www/index.html": "<html>" + id + "</html>"},
			time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), flate.DefaultCompression, false)
	}
	cli.write("main.tf", env.providerBlock()+`
resource "mpaas_offline_package" "pkg" {
  for_each                = fileset("dist", "*.zip")
  h5app_id                = trimsuffix(each.value, ".zip")
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = "dist/${each.value}"
  android                 = { min_version = "10.1.0" }
}
`)
	cli.init()

	before := env.emulator.Stats()
	cli.must(0, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", roundTripPackages))
	apply := requestsSince(before, env.emulator.Stats())
	t.Logf("apply of %d new packages in new H5Apps: %s", roundTripPackages, describeRequests(apply))
	checkRequests(t, "apply of new packages in new H5Apps", apply, map[string]int64{
		mpaas.ActionCreateNebulaApp: roundTripPackages, "oss:PostObject": roundTripPackages,
		mpaas.ActionCreateNebulaResource: roundTripPackages, mpaas.ActionGetFileToken: 1,
	}, applyReads)

	before = env.emulator.Stats()
	cli.must(0, "plan", "-detailed-exitcode")
	noop := requestsSince(before, env.emulator.Stats())
	t.Logf("no-op plan: %s", describeRequests(noop))
	var total int64
	for action, n := range noop {
		total += n
		if action != mpaas.ActionListNebulaResources && action != mpaas.ActionListNebulaApps {
			t.Errorf("no-op plan made %d %s (%s)", n, action, describeRequests(noop))
		}
	}
	if total > roundTripPackages { // one package list per H5App
		t.Errorf("no-op plan: %d requests for %d packages in %d H5Apps, want at most %d (%s)", total, roundTripPackages, roundTripPackages, roundTripPackages, describeRequests(noop))
	}

	// New content for every package: new versions in H5Apps that exist.
	for i := range roundTripPackages {
		id := fmt.Sprint(30230001 + i)
		zipAt(t, cli.path("dist/"+id+".zip"), map[string]string{id + "/www/index.html": "<html>" + id + " v2</html>"},
			time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), flate.DefaultCompression, false)
	}
	before = env.emulator.Stats()
	cli.must(0, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", roundTripPackages))
	bump := requestsSince(before, env.emulator.Stats())
	t.Logf("apply of %d new versions in existing H5Apps: %s", roundTripPackages, describeRequests(bump))
	checkRequests(t, "apply of new versions in existing H5Apps", bump, map[string]int64{
		"oss:PostObject": roundTripPackages, mpaas.ActionCreateNebulaResource: roundTripPackages, mpaas.ActionGetFileToken: 1,
	}, map[string]struct{ perPackage, perRun int64 }{
		mpaas.ActionListNebulaApps: {0, 2},
		// The refresh's list and the apply's check of the H5App, one each
		// per H5App; the register call assigns from the apply's.
		mpaas.ActionListNebulaResources: {2, 0},
		mpaas.ActionGetNebulaResource:   {1, 0},
	})
}

// checkRequests compares what a phase made with its exact writes and its
// bounded reads (per package, then per run); anything else is an error.
func checkRequests(t *testing.T, phase string, made, writes map[string]int64, reads map[string]struct{ perPackage, perRun int64 }) {
	t.Helper()
	for action, want := range writes {
		if made[action] != want {
			t.Errorf("%s: %d %s, want %d (%s)", phase, made[action], action, want, describeRequests(made))
		}
	}
	for action, n := range made {
		_, isWrite := writes[action]
		bound, isRead := reads[action]
		switch {
		case isRead && n > bound.perPackage*roundTripPackages+bound.perRun:
			t.Errorf("%s: %d %s for %d packages, want at most %d (%s)", phase, n, action, roundTripPackages,
				bound.perPackage*roundTripPackages+bound.perRun, describeRequests(made))
		case !isWrite && !isRead:
			t.Errorf("%s: unexpected %d %s (%s)", phase, n, action, describeRequests(made))
		}
	}
}
