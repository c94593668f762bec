package emulator

import (
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// listedIDs is how many packages one ListMcubeNebulaResources of H5App
// 12345678 answers.
func (e *env) listedIDs() int {
	e.t.Helper()
	var out listMcubeNebulaResourcesResponse
	e.call(mpaas.ActionListNebulaResources, e.params("H5Id", "12345678"), &out)
	return len(out.ListMcubeNebulaResourceResult.NebulaResourceInfo)
}

// getFinds reports whether GetMcubeNebulaResource returns the package.
func (e *env) getFinds(id string) bool {
	e.t.Helper()
	var out getMcubeNebulaResourceResponse
	e.call(mpaas.ActionGetNebulaResource, e.params("Id", id), &out)
	info := out.GetNebulaResourceResult.NebulaResourceInfo
	return out.GetNebulaResourceResult.Success && info != nil && info.Id != 0
}

// UnlistedCalls hides each new package from its first N list answers;
// the package is found by its ID meanwhile.
func TestQuirkUnlistedCalls(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(o *Options) { o.Quirks.UnlistedCalls = 2 })
	e.mustCreateApp("12345678", "Lagging")
	id := e.mustCreatePackage("12345678", "1.0.0.1")
	for answer := 1; answer <= 2; answer++ {
		if n := e.listedIDs(); n != 0 {
			t.Fatalf("list answer %d holds %d packages, want the new one left out", answer, n)
		}
	}
	if !e.getFinds(id) {
		t.Fatal("GetMcubeNebulaResource does not find the unlisted package")
	}
	if n := e.listedIDs(); n != 1 {
		t.Fatalf("the third list answer holds %d packages, want 1", n)
	}
}

// UnlistedFor hides each package from lists until that long after its creation.
func TestQuirkUnlistedFor(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(o *Options) { o.Quirks.UnlistedFor = 10 * time.Second })
	e.mustCreateApp("12345678", "Lagging")
	id := e.mustCreatePackage("12345678", "1.0.0.1")
	e.now = e.now.Add(9 * time.Second)
	if n := e.listedIDs(); n != 0 || !e.getFinds(id) {
		t.Fatalf("9 s after its creation: %d listed, want 0 (and found by ID)", n)
	}
	e.now = e.now.Add(time.Second)
	if n := e.listedIDs(); n != 1 {
		t.Fatalf("10 s after its creation: %d listed, want 1", n)
	}
}
