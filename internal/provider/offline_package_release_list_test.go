package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// releaseFixture is the query fixture with two more tasks: a paused
// whitelist release of Portal 1.0.0.1 and an ended official release of
// Checkout 0.0.0.1. In list order (H5App ID, version, task ID): paused,
// canary (the fixture's active grayscale release), ended.
type releaseFixture struct {
	*queryFixture
	paused, ended mpaas.Release
}

func newReleaseFixture(t *testing.T) *releaseFixture {
	fixture := newQueryFixture(t)
	env := fixture.env
	paused := env.createReleaseOutOfBand(mpaas.CreateReleaseInput{PackageID: env.packageIDOf(queryPortal, "1.0.0.1"),
		Memo: "portal beta", Type: mpaas.ReleaseTypeGrayscale, WhitelistIDs: []string{"qa"}})
	ended := env.createReleaseOutOfBand(officialTask(env.packageIDOf(queryCheckout, "0.0.0.1")))
	for _, task := range []mpaas.Release{paused, ended} {
		status := map[int64]mpaas.ReleaseStatus{paused.ID: mpaas.ReleaseStatusPaused, ended.ID: mpaas.ReleaseStatusEnded}[task.ID]
		if err := env.client.ChangeReleaseStatus(context.Background(), task.ID, task.PackageID, status); err != nil {
			t.Fatal(err)
		}
	}
	fixture.before = env.writeSnapshot()
	return &releaseFixture{queryFixture: fixture, paused: paused, ended: ended}
}

// packageIDOf is the ID of an H5App's package version.
func (e *testEnv) packageIDOf(h5AppID, version string) int64 {
	e.t.Helper()
	packages, err := e.client.ListPackages(context.Background(), h5AppID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, pkg := range packages {
		if pkg.Version == version {
			return pkg.ID
		}
	}
	e.t.Fatalf("H5App %s has no version %s", h5AppID, version)
	return 0
}

func (f *releaseFixture) names() (paused, canary, ended string) {
	return fmt.Sprintf("Portal (31000001) version 1.0.0.1: grayscale release %d, paused", f.paused.ID),
		fmt.Sprintf("Portal (31000001) version 1.0.0.2: grayscale release %d, active", f.release.ID),
		fmt.Sprintf("Checkout (31000002) version 0.0.0.1: official release %d, ended", f.ended.ID)
}

// The filters and the limit, with the calls each listing costs: a task list
// per package read, and no package of an H5App past the limit.
func TestReleaseListFiltersAndLimit(t *testing.T) {
	fixture := newReleaseFixture(t)
	paused, canary, ended := fixture.names()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for _, tc := range []struct {
		name         string
		config       map[string]tftypes.Value
		limit        int64
		wantNames    []string
		wantWarning  string
		wantCalls    map[string]int64
		wantErrorHas string
	}{
		{name: "no config block", limit: 100, wantNames: []string{paused, canary, ended},
			wantCalls: map[string]int64{mpaas.ActionListNebulaApps: 1, mpaas.ActionListNebulaResources: 2, mpaas.ActionListNebulaTasks: 3}},
		{name: "statuses", config: map[string]tftypes.Value{"statuses": stringList("active", "paused")}, limit: 100,
			wantNames: []string{paused, canary}},
		{name: "ended only", config: map[string]tftypes.Value{"statuses": stringList("ended")}, limit: 100, wantNames: []string{ended}},
		{name: "h5app_id", config: map[string]tftypes.Value{"h5app_id": str(queryCheckout)}, limit: 100, wantNames: []string{ended},
			wantCalls: map[string]int64{mpaas.ActionListNebulaApps: 1, mpaas.ActionListNebulaResources: 1, mpaas.ActionListNebulaTasks: 1}},
		{name: "limit reached within the first H5App", limit: 1, wantNames: []string{paused},
			wantWarning: "Query cut short by limit = 1: This list block returns the first 1 release tasks (by H5App ID, package " +
				"version and task ID), and at least 1 more release tasks match (the rest were not read).",
			wantCalls: map[string]int64{mpaas.ActionListNebulaApps: 1, mpaas.ActionListNebulaResources: 1, mpaas.ActionListNebulaTasks: 2}},
		{name: "limit reached on the last package", config: map[string]tftypes.Value{"h5app_id": str(queryPortal)}, limit: 1,
			wantNames:   []string{paused},
			wantWarning: "Query cut short by limit = 1: This list block returns the first 1 release tasks (by H5App ID, package version and task ID), and 1 more release tasks match."},
		{name: "limit equal to the matches", config: map[string]tftypes.Value{"h5app_id": str(queryPortal)}, limit: 2,
			wantNames: []string{paused, canary}},
		{name: "an H5App that does not exist", config: map[string]tftypes.Value{"h5app_id": str("39999999")}, limit: 100,
			wantErrorHas: "H5App 39999999 does not exist: No H5App with ID 39999999 exists in this workspace, so it has no release tasks to list."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var run listRun
			calls := fixture.env.apiCalls(func() {
				run = runList(t, fixture.env, &releaseListResource{}, &releaseResource{}, tc.config, tc.limit)
			})
			if tc.wantErrorHas != "" {
				if len(run.errors) != 1 || !strings.Contains(run.errors[0], tc.wantErrorHas) {
					t.Fatalf("errors %q, want one containing %q", run.errors, tc.wantErrorHas)
				}
				return
			}
			if len(run.errors) > 0 || !slices.Equal(run.names, tc.wantNames) {
				t.Fatalf("listed %q (errors %q), want %q", run.names, run.errors, tc.wantNames)
			}
			checkLimitWarning(t, run, tc.wantWarning)
			if tc.wantCalls != nil && !maps.Equal(calls, tc.wantCalls) {
				t.Errorf("calls %v, want %v", calls, tc.wantCalls)
			}
		})
	}
	fixture.expectNoWrites(t)
}

func taskIdentity(taskID int64) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"task_id": knownvalue.StringExact(fmt.Sprint(taskID))}
}

// With include_resource each task is the object an import by task ID reads:
// the package, the audience, the rules, no duration; the list's display
// names and identities come without a task detail call.
func TestAccOfflinePackageReleaseList_includeResource(t *testing.T) {
	fixture := newReleaseFixture(t)
	paused, canary, _ := fixture.names()
	canaryID := queryfilter.ByResourceIdentity(taskIdentity(fixture.release.ID))
	pausedID := queryfilter.ByResourceIdentity(taskIdentity(fixture.paused.ID))
	resource.ParallelTest(t, fixture.queryTestCase(resource.TestStep{
		Query: true,
		Config: `
list "mpaas_offline_package_release" "portal" {
  provider         = mpaas
  include_resource = true
  config {
    h5app_id = "31000001"
    statuses = ["active", "paused"]
  }
}
`,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("mpaas_offline_package_release.portal", 2),
			querycheck.ExpectResourceDisplayName("mpaas_offline_package_release.portal", canaryID, knownvalue.StringExact(canary)),
			querycheck.ExpectResourceDisplayName("mpaas_offline_package_release.portal", pausedID, knownvalue.StringExact(paused)),
			querycheck.ExpectResourceKnownValues("mpaas_offline_package_release.portal", canaryID, []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(fmt.Sprint(fixture.release.ID))},
				{Path: tfjsonpath.New("package_id"), KnownValue: knownvalue.StringExact(fmt.Sprint(fixture.release.PackageID))},
				{Path: tfjsonpath.New("memo"), KnownValue: knownvalue.StringExact("portal canary")},
				{Path: tfjsonpath.New("type"), KnownValue: knownvalue.StringExact("grayscale")},
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("active")},
				{Path: tfjsonpath.New("whitelist_ids"), KnownValue: knownvalue.Null()},
				{Path: tfjsonpath.New("time_window"), KnownValue: knownvalue.ObjectExact(map[string]knownvalue.Check{
					"duration":  knownvalue.Null(),
					"end_time":  knownvalue.StringExact(formatTime(fixture.release.Window.End)),
					"max_users": knownvalue.Int64Exact(500),
				})},
				{Path: tfjsonpath.New("rules"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"element":  knownvalue.StringExact("city"),
					"operator": knownvalue.StringExact("contains"),
					"values":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Hangzhou"), knownvalue.StringExact("Shanghai")}),
				})})},
				{Path: tfjsonpath.New("h5app_id"), KnownValue: knownvalue.StringExact(queryPortal)},
				{Path: tfjsonpath.New("version"), KnownValue: knownvalue.StringExact("1.0.0.2")},
				{Path: tfjsonpath.New("created_at"), KnownValue: knownvalue.NotNull()},
			}),
			querycheck.ExpectResourceKnownValues("mpaas_offline_package_release.portal", pausedID, []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("whitelist_ids"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("qa")})},
				{Path: tfjsonpath.New("time_window"), KnownValue: knownvalue.Null()},
				{Path: tfjsonpath.New("rules"), KnownValue: knownvalue.Null()},
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("paused")},
			}),
		},
	}))
	fixture.expectNoWrites(t)
}

func TestAccOfflinePackageReleaseList_invalidConfig(t *testing.T) {
	fixture := newQueryFixture(t)
	resource.ParallelTest(t, fixture.queryTestCase(resource.TestStep{
		Query: true,
		Config: `
list "mpaas_offline_package_release" "bad" {
  provider = mpaas
  config {
    statuses = ["live"]
  }
}
`,
		ExpectError: expectError("value must be one of", `"active"`, `"paused"`, `"ended"`),
	}))
}

// Imports by identity { task_id } (Terraform 1.12 and later), and the
// identity of a task Terraform created.
func TestAccRelease_identity(t *testing.T) {
	fixture := newQueryFixture(t)
	env, task := fixture.env, fixture.release
	byIdentity := func(taskID string) string {
		return fmt.Sprintf("\nimport {\n  to       = mpaas_offline_package_release.canary\n  identity = { task_id = %q }\n}\n", taskID)
	}
	adopted := releaseBlock("canary", fmt.Sprintf(`
  package_id  = "%d"
  memo        = "portal canary"
  type        = "grayscale"
  time_window = { end_time = %q, max_users = 500 }
  rules       = [{ element = "city", operator = "contains", values = ["Hangzhou", "Shanghai"] }]`,
		task.PackageID, formatTime(task.Window.End)))
	created := releaseBlock("official", fmt.Sprintf(`
  package_id = "%d"
  memo       = "checkout for everyone"
  type       = "official"`, env.packageIDOf(queryCheckout, "0.0.0.1")))
	snapshot := env.writeSnapshot()
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(byIdentity("canary") + adopted),
				ExpectError: expectError("Invalid import ID", `or by identity = { task_id = "4294967297" }; got "canary"`),
			},
			{
				Config: env.config(byIdentity(fmt.Sprint(task.ID)) + adopted),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mpaas_offline_package_release.canary", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("mpaas_offline_package_release.canary", taskIdentity(task.ID)),
					statecheck.ExpectKnownValue("mpaas_offline_package_release.canary", tfjsonpath.New("h5app_id"), knownvalue.StringExact(queryPortal)),
				},
				Check: env.writesSince(&snapshot, nil),
			},
			{
				// The identity in the state imports the same task again, with no change.
				Config:          env.config(adopted),
				ResourceName:    "mpaas_offline_package_release.canary",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config: env.config(adopted + created),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesStateAtPath("mpaas_offline_package_release.official", tfjsonpath.New("task_id"), tfjsonpath.New("id")),
				},
			},
		},
	})
}
