package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// notifyClients has the emulator's delivery endpoint check for updates as
// each user, on Android 10.1.0: the emulator counts every client a release
// task's package is delivered to as that task's progress.
func (e *testEnv) notifyClients(users ...string) {
	e.t.Helper()
	for _, user := range users {
		query := url.Values{"app_id": {testAppID}, "workspace_id": {testWorkspaceID}, "tenant_id": {testTenantID},
			"platform": {"android"}, "client_version": {"10.1.0"}, "user_id": {user}}
		resp, err := http.Get(e.server.URL + "/emulator/delivery?" + query.Encode())
		if err != nil {
			e.t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			e.t.Fatalf("delivery check for %s: HTTP %d", user, resp.StatusCode)
		}
	}
}

// The data source reads a task by its ID and a package's most recent task
// of a type, with the progress the emulator counts; a package without
// such a task gives nulls, and the arguments are checked at plan.
func TestAccReleaseStatus_byIDAndByPackage(t *testing.T) {
	env := newTestEnv(t)
	config := env.config(releasablePackage(t, "pkg", "12345678", `  android = { min_version = "10.0.0" }`) + `

resource "mpaas_offline_package_release" "canary" {
  package_id  = mpaas_offline_package.pkg.id
  memo        = "canary"
  type        = "grayscale"
  time_window = { duration = "48h", max_users = 4 }
}

data "mpaas_offline_package_release_status" "task" {
  release_id = mpaas_offline_package_release.canary.id
}

data "mpaas_offline_package_release_status" "grayscale" {
  package_id = mpaas_offline_package.pkg.id
  type       = "grayscale"
  depends_on = [mpaas_offline_package_release.canary]
}

data "mpaas_offline_package_release_status" "official" {
  package_id = mpaas_offline_package.pkg.id
  type       = "official"
  depends_on = [mpaas_offline_package_release.canary]
}
`)
	task, grayscale, official := "data.mpaas_offline_package_release_status.task", "data.mpaas_offline_package_release_status.grayscale",
		"data.mpaas_offline_package_release_status.official"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { env.notifyClients("alice", "bob", "alice", "carol") },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(task, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(task, tfjsonpath.New("type"), knownvalue.StringExact("grayscale")),
					statecheck.ExpectKnownValue(task, tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.1")),
					statecheck.ExpectKnownValue(task, tfjsonpath.New("upgrade_notice_num"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(task, tfjsonpath.New("percent"), knownvalue.Int64Exact(75)),
					statecheck.ExpectKnownValue(task, tfjsonpath.New("grey_num"), knownvalue.Int64Exact(4)),
					statecheck.ExpectKnownValue(task, tfjsonpath.New("upgrade_progress"), knownvalue.StringExact("3/4")),
					statecheck.ExpectKnownValue(task, tfjsonpath.New("modified_at"), knownvalue.NotNull()),
					statecheck.CompareValuePairs(grayscale, tfjsonpath.New("release_id"), "mpaas_offline_package_release.canary",
						tfjsonpath.New("id"), compareEqual{}),
					statecheck.ExpectKnownValue(grayscale, tfjsonpath.New("percent"), knownvalue.Int64Exact(75)),
					statecheck.ExpectKnownValue(official, tfjsonpath.New("release_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(official, tfjsonpath.New("percent"), knownvalue.Null()),
					statecheck.ExpectKnownValue(official, tfjsonpath.New("type"), knownvalue.StringExact("official")),
				},
			},
			{
				Config: env.config(`
data "mpaas_offline_package_release_status" "none" {
}
`),
				ExpectError: expectError("Set release_id to read one release task, or package_id"),
			},
			{
				Config: env.config(`
data "mpaas_offline_package_release_status" "both" {
  release_id = "1"
  type       = "official"
}
`),
				ExpectError: expectError("type applies with package_id"),
			},
			{
				Config: env.config(`
data "mpaas_offline_package_release_status" "missing" {
  release_id = "99999"
}
`),
				ExpectError: expectError("no release task with ID 99999 exists"),
			},
		},
	})
}

// compareEqual is a statecheck value comparer for two equal values.
type compareEqual struct{}

func (compareEqual) CompareValues(values ...any) error {
	for _, v := range values[1:] {
		if fmt.Sprint(v) != fmt.Sprint(values[0]) {
			return fmt.Errorf("values differ: %v", values)
		}
	}
	return nil
}

// guideFile is the code block that follows "<!-- file: name -->" in the
// guide "Compose a release stack".
func guideFile(t *testing.T, name string) string {
	t.Helper()
	guide, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "release-stack.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(guide), "<!-- file: "+name+" -->\n```terraform\n")
	block, _, closed := strings.Cut(after, "\n```")
	if !ok || !closed {
		t.Fatalf("the guide has no terraform block for %s", name)
	}
	return block
}

// The guide's promotion gate (gate.tf of "Compose a release stack") over
// the release-train module: a promotion to official is refused at plan
// while the grayscale reached less than min_grayscale_percent, and applies
// once it did; the grayscale task ends and an official one starts.
func TestAccReleaseStatus_guidePromotionGate(t *testing.T) {
	env := newTestEnv(t)
	dist := t.TempDir()
	writeZip(t, dist, "31000001.zip", map[string]string{
		"31000001/www/index.html": "<html>portal</html>",
	})
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// "//" marks the package root, so release-train may call ../batch-import.
	module := filepath.ToSlash(root) + "//examples/modules/release-train"
	stack := func(stage string) string {
		return env.config(fmt.Sprintf(`
module "release" {
  source = %q

  directory = %q
  defaults  = { android = { min_version = "10.1.0" } }
  stage     = %q
  window    = { duration = "72h", max_users = 4 }
  memo      = "Release 2026.12"
}
`, module, dist, stage) + guideFile(t, "gate.tf"))
	}
	packageID := func() int64 {
		packages, err := env.client.ListPackages(context.Background(), "31000001")
		if err != nil || len(packages) != 1 {
			t.Fatalf("H5App 31000001 holds %d packages (%v), want 1", len(packages), err)
		}
		return packages[0].ID
	}
	resource.Test(t, resource.TestCase{
		Steps: moduleSteps(t,
			resource.TestStep{Config: stack("grayscale")},
			resource.TestStep{
				PreConfig:   func() { env.notifyClients("alice") },
				Config:      stack("official"),
				ExpectError: expectError("Promotion to official is held", "reached 50% first", `"31000001":25`),
			},
			resource.TestStep{
				PreConfig: func() {
					env.expectTasks(packageID(), map[mpaas.ReleaseType]mpaas.ReleaseStatus{mpaas.ReleaseTypeGrayscale: mpaas.ReleaseStatusActive})
					env.notifyClients("bob")
				},
				Config: stack("official"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("promotion_gate", knownvalue.StringExact("official")),
					statecheck.ExpectKnownValue(`data.mpaas_offline_package_release_status.grayscale["31000001"]`,
						tfjsonpath.New("percent"), knownvalue.Int64Exact(50)),
					checkFunc(func() error {
						env.expectTasks(packageID(), map[mpaas.ReleaseType]mpaas.ReleaseStatus{
							mpaas.ReleaseTypeGrayscale: mpaas.ReleaseStatusEnded, mpaas.ReleaseTypeOfficial: mpaas.ReleaseStatusActive,
						})
						return nil
					}),
				},
			},
			moduleCleanupStep(env),
		),
	})
}

// checkFunc runs a check of the emulator's store as a state check.
type checkFunc func() error

func (f checkFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// expectTasks checks the release tasks the emulator holds for a package:
// one of each type given, in the status given.
func (e *testEnv) expectTasks(packageID int64, want map[mpaas.ReleaseType]mpaas.ReleaseStatus) {
	e.t.Helper()
	releases, err := e.client.ListReleases(context.Background(), packageID)
	if err != nil {
		e.t.Fatal(err)
	}
	got := map[mpaas.ReleaseType]mpaas.ReleaseStatus{}
	for _, r := range releases {
		got[r.Type] = r.Status
	}
	if len(releases) != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
		e.t.Fatalf("package %d has the release tasks %v, want %v", packageID, got, want)
	}
}
