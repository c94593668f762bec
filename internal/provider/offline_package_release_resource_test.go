package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	fwschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// releasablePackage is an mpaas_offline_package that creates its H5App.
func releasablePackage(t *testing.T, name, h5AppID, extra string) string {
	t.Helper()
	return pkgBlock(name, h5AppID, normalPackageZip(t, h5AppID), `
  resource_type           = "normal"
  create_h5app_if_missing = true
`+extra)
}

func releaseBlock(name, body string) string {
	return fmt.Sprintf(`
resource "mpaas_offline_package_release" %q {
%s
}
`, name, body)
}

// taskOf reads the task behind a release in the state through the API.
func (e *testEnv) taskOf(s *terraform.State, address string) (*mpaas.Release, error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return nil, fmt.Errorf("%s is not in the state", address)
	}
	id, err := strconv.ParseInt(rs.Primary.ID, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s has id %q", address, rs.Primary.ID)
	}
	return e.client.GetRelease(context.Background(), id)
}

// expectTask checks the task behind a release on the service side.
func (e *testEnv) expectTask(address string, check func(r *mpaas.Release) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		d, err := e.taskOf(s, address)
		if err != nil {
			return err
		}
		if d == nil {
			return fmt.Errorf("%s: task not found", address)
		}
		return check(d)
	}
}

func expectStatus(want mpaas.ReleaseStatus) func(r *mpaas.Release) error {
	return func(r *mpaas.Release) error {
		if r.Status != want {
			return fmt.Errorf("task %d has status %s, want %s", r.ID, r.Status, want)
		}
		return nil
	}
}

// rememberTask stores the task id of a release so CheckDestroy can look at it.
func rememberTask(address string, id *int64) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		n, err := strconv.ParseInt(rs.Primary.ID, 10, 64)
		*id = n
		return err
	}
}

// expectEndedAfterDestroy checks that destroy ended the task (it cannot be deleted).
func (e *testEnv) expectEndedAfterDestroy(id *int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		r, err := e.client.GetRelease(context.Background(), *id)
		if err != nil {
			return err
		}
		if r == nil || r.Status != mpaas.ReleaseStatusEnded {
			return fmt.Errorf("task %d after destroy: %+v, want it ended", *id, r)
		}
		return nil
	}
}

func TestAccRelease_officialStatusTransitions(t *testing.T) {
	env := newTestEnv(t)
	pkg := releasablePackage(t, "pkg", "12345678", `  android = { min_version = "10.1.0" }`)
	config := func(status string) string {
		body := `
  package_id = mpaas_offline_package.pkg.id
  memo       = "Release 1"
  type       = "official"`
		if status != "" {
			body += "\n  status     = \"" + status + "\""
		}
		return env.config(pkg + releaseBlock("r", body))
	}
	const addr = "mpaas_offline_package_release.r"
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("type"), knownvalue.StringExact("official")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("h5app_id"), knownvalue.StringExact("12345678")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.1")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("whitelist_ids"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("time_window"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rules"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				},
				Check: env.expectTask(addr, func(r *mpaas.Release) error {
					if r.Type != mpaas.ReleaseTypeOfficial || r.WhitelistIDs != nil || r.Window != nil || r.Memo != "Release 1" ||
						r.Status != mpaas.ReleaseStatusActive || r.Rules != nil {
						return fmt.Errorf("task = %+v", r)
					}
					return nil
				}),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{Config: config("paused"), ConfigPlanChecks: update, Check: env.expectTask(addr, expectStatus(mpaas.ReleaseStatusPaused))},
			{Config: config("active"), ConfigPlanChecks: update, Check: env.expectTask(addr, expectStatus(mpaas.ReleaseStatusActive))},
			{Config: config("ended"), ConfigPlanChecks: update, Check: env.expectTask(addr, expectStatus(mpaas.ReleaseStatusEnded))},
			{
				Config:      config("active"),
				ExpectError: expectError("An ended release cannot be resumed", `has ended`, `Set status = "ended"`),
			},
			{Config: config("ended"), PlanOnly: true},
		},
	})
}

func TestAccRelease_grayscaleWhitelist(t *testing.T) {
	env := newTestEnv(t)
	var taskID int64
	const addr = "mpaas_offline_package_release.gray"
	config := env.config(releasablePackage(t, "pkg", "12345678", `  ios = { min_version = "10.2.0" }`) + releaseBlock("gray", `
  package_id    = mpaas_offline_package.pkg.id
  memo          = "Testers first"
  type          = "grayscale"
  whitelist_ids = ["1001", "1002"]`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.expectEndedAfterDestroy(&taskID),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("whitelist_ids"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1001"), knownvalue.StringExact("1002"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					rememberTask(addr, &taskID),
					env.expectTask(addr, func(r *mpaas.Release) error {
						if r.Type != mpaas.ReleaseTypeGrayscale || r.Window != nil || strings.Join(r.WhitelistIDs, ",") != "1001,1002" {
							return fmt.Errorf("task = %+v", r)
						}
						return nil
					}),
				),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{
				// Any argument but status re-releases in place: a new task, then the old one ends.
				Config: strings.Replace(config, `"1001", "1002"`, `"1001"`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
				}},
				Check: func(s *terraform.State) error {
					old := taskID
					if err := rememberTask(addr, &taskID)(s); err != nil {
						return err
					}
					if taskID == old {
						return fmt.Errorf("task id did not change")
					}
					return env.expectEndedAfterDestroy(&old)(s)
				},
			},
		},
	})
}

func TestAccRelease_grayscaleTimeWindowWithRules(t *testing.T) {
	env := newTestEnv(t)
	var taskID int64
	end := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	const addr = "mpaas_offline_package_release.window"
	config := env.config(releasablePackage(t, "pkg", "12345678", `  android = { min_version = "10.1.0" }`) + releaseBlock("window", fmt.Sprintf(`
  package_id  = mpaas_offline_package.pkg.id
  memo        = "Canary"
  type        = "grayscale"
  time_window = { end_time = %q, max_users = 500 }
  rules = [
    { element = "city", operator = "contains", values = ["Hangzhou", "Beijing"] },
    { element = "network", operator = "excludes", values = ["2g"] },
    { element = "device_model", operator = "contains", values = ["Pixel 8"] },
    { element = "os_version", operator = "in_range", values = ["10.0", "14.2"] },
  ]`, end.Format(time.RFC3339))))
	wantRules := `[{"ruleElement":"city","operation":1,"value":"Hangzhou,Beijing"},` +
		`{"ruleElement":"netType","operation":2,"value":"2g"},` +
		`{"ruleElement":"mobileModel","operation":1,"value":"Pixel 8"},` +
		`{"ruleElement":"osVersion","operation":3,"value":"10.0-14.2","value1":"10.0","value2":"14.2"}]`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.expectEndedAfterDestroy(&taskID),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("time_window").AtMapKey("end_time"), knownvalue.StringExact(end.Format(time.RFC3339))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("time_window").AtMapKey("max_users"), knownvalue.Int64Exact(500)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rules").AtSliceIndex(3).AtMapKey("values"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("10.0"), knownvalue.StringExact("14.2"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("whitelist_ids"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					rememberTask(addr, &taskID),
					env.expectTask(addr, func(r *mpaas.Release) error {
						// The rules as mPaaS holds them, in the wire format they were sent in.
						rules, err := mpaas.EncodeGreyConfig(r.Rules)
						if r.Type != mpaas.ReleaseTypeGrayscale || r.WhitelistIDs != nil || r.Window == nil || r.Window.MaxUsers != 500 ||
							!r.Window.End.Equal(end) || err != nil || rules != wantRules {
							return fmt.Errorf("task = %+v, rules %s (%v)", r, rules, err)
						}
						return nil
					}),
				),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{Config: config, PlanOnly: true},
		},
	})
}

func TestAccRelease_officialOlderVersionWarns(t *testing.T) {
	env := newTestEnv(t)
	older := releasablePackage(t, "older", "12345678", `  android = { min_version = "10.1.0" }
  version = "1.0.0.1"`)
	newer := releasablePackage(t, "newer", "12345678", `  android = { min_version = "10.1.0" }
  version = "1.0.0.2"`)
	packages := older + strings.Replace(newer, "resource \"mpaas_offline_package\" \"newer\" {",
		"resource \"mpaas_offline_package\" \"newer\" {\n  depends_on = [mpaas_offline_package.older]", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(packages)},
			{
				// The package ids are known now, so the plan looks the versions up and warns (a rollback).
				Config: env.config(packages + releaseBlock("rollback", `
  package_id = mpaas_offline_package.older.id
  memo       = "Roll back"
  type       = "official"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("mpaas_offline_package_release.rollback", tfjsonpath.New("version"), knownvalue.StringExact("1.0.0.1")),
					plancheck.ExpectKnownValue("mpaas_offline_package_release.rollback", tfjsonpath.New("h5app_id"), knownvalue.StringExact("12345678")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package_release.rollback", tfjsonpath.New("version"), knownvalue.StringExact("1.0.0.1")),
				},
			},
		},
	})
}

func TestAccRelease_validation(t *testing.T) {
	env := newTestEnv(t)
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	gray := func(extra string) string {
		return env.config(releaseBlock("r", `
  package_id = "4294967297"
  memo       = "m"
  type       = "grayscale"
`+extra))
	}
	window := fmt.Sprintf(`  time_window = { end_time = %q, max_users = 10 }
`, future)
	rule := func(element, operator, values string) string {
		return gray(window + fmt.Sprintf(`  rules = [{ element = %q, operator = %q, values = %s }]`, element, operator, values))
	}
	steps := []struct {
		config string
		want   []string
	}{
		{env.config(releaseBlock("r", `
  package_id    = "4294967297"
  memo          = "m"
  type          = "official"
  whitelist_ids = ["a"]`)), []string{"Not allowed in an official release", "Remove whitelist_ids"}},
		{env.config(releaseBlock("r", `
  package_id  = "4294967297"
  memo        = "m"
  type        = "official"
  rules       = [{ element = "city", operator = "contains", values = ["x"] }]`)), []string{"Not allowed in an official release", "Remove rules"}},
		{gray(""), []string{"Grayscale release without an audience", "whitelist_ids", "time_window"}},
		{gray(window + `  whitelist_ids = ["a"]`), []string{"Both whitelist_ids and time_window set"}},
		{gray(`  whitelist_ids = []`), []string{"whitelist_ids", "at least 1"}},
		{gray(`  whitelist_ids = ["a,b"]`), []string{"whitelist_ids[0]", "must not contain commas"}},
		{gray(`  whitelist_ids = ["wl-qa"]`), []string{"whitelist_ids[0]", "numeric ID", "mpaas_whitelist"}},
		{rule("city", "in_range", `["a", "b"]`), []string{"Range operator on city", "rules[0].operator:", `element = "os_version"`}},
		{rule("os_version", "out_of_range", `["1", "2", "3"]`), []string{"A range needs two values", "rules[0].values:", "exactly two values"}},
		{rule("os_version", "in_range", `["14.2", "10.0"]`), []string{"Range is reversed", "rules[0].values:", `values = ["10.0", "14.2"]`}},
		{rule("os_version", "in_range", `["10", "ten"]`), []string{"Invalid OS version", "rules[0].values[1]:"}},
		{rule("city", "contains", `[]`), []string{"rules[0].values", "at least 1"}},
		{rule("planet", "contains", `["x"]`), []string{"rules[0].element", "city"}},
		{rule("city", "equals", `["x"]`), []string{"rules[0].operator", "contains"}},
		{gray(`  time_window = { end_time = "tomorrow", max_users = 10 }`), []string{"Invalid end_time", `time_window = { end_time = "tomorrow", max_users = 10 }`, "time_window.end_time", "not an RFC 3339 time"}},
		{gray(`  time_window = { end_time = "2020-01-01T00:00:00Z", max_users = 10 }`), []string{"end_time is in the past", "time_window.end_time"}},
		{gray(fmt.Sprintf(`  time_window = { end_time = %q, max_users = 10 }`, time.Now().Add(8*24*time.Hour).UTC().Format(time.RFC3339))),
			[]string{"7 days or more ahead", "time_window.end_time"}},
		{gray(fmt.Sprintf(`  time_window = { end_time = %q, max_users = 0 }`, future)), []string{"time_window.max_users", "between 1"}},
		{gray(`  time_window = { duration = "0s", max_users = 10 }`), []string{"Invalid duration", `time_window = { duration = "0s", max_users = 10 }`, `time_window.duration "0s" is not above 0`, durationHint}},
		{gray(`  time_window = { duration = "168h", max_users = 10 }`), []string{"Invalid duration", `time_window.duration "168h" is 7 days or more`, durationHint}},
		{gray(`  time_window = { duration = "abc", max_users = 10 }`), []string{"Invalid duration", `time_window.duration "abc" is not a duration`, "such as 72h or 90m"}},
		{gray(fmt.Sprintf(`  time_window = { duration = "72h", end_time = %q, max_users = 10 }`, future)),
			[]string{"Both duration and end_time set", `Keep duration = "72h"`, "remove end_time", "remove duration"}},
		{gray(`  time_window = { max_users = 10 }`), []string{"time_window needs duration or end_time", `add duration = "72h" to time_window`, `end_time = "2030-01-02T15:04:05Z"`}},
		{gray(window), []string{"Package 4294967297 does not exist", "mpaas_offline_package"}},
		{env.config(releaseBlock("r", `
  package_id = "pkg-1"
  memo       = "m"
  type       = "official"`)), []string{"package_id", "numeric package id"}},
		{env.config(releaseBlock("r", `
  package_id = "1"
  memo       = ""
  type       = "official"`)), []string{"memo", "must not be empty"}},
		{env.config(releaseBlock("r", `
  package_id = "1"
  memo       = "m"
  type       = "official"
  status     = "stopped"`)), []string{"status", "active"}},
	}
	testSteps := make([]resource.TestStep, 0, len(steps))
	for _, s := range steps {
		testSteps = append(testSteps, resource.TestStep{Config: s.config, PlanOnly: true, ExpectError: expectError(s.want...)})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    testSteps,
	})
}

func TestAccRelease_importInvalidID(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(releaseBlock("r", `
  package_id = "1"
  memo       = "m"
  type       = "official"`)),
				ResourceName:  "mpaas_offline_package_release.r",
				ImportState:   true,
				ImportStateId: "task-1",
				ExpectError:   expectError("Invalid import ID", "numeric task ID"),
			},
		},
	})
}

// The warning itself is not visible to terraform-plugin-testing, so the plan
// step above only proves the path plans and applies; this checks the words.
func TestReleaseOlderVersionWarning(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	if err := env.client.CreateApp(ctx, "12345678", "app"); err != nil {
		t.Fatal(err)
	}
	older := env.createPackageOutOfBand("12345678", "1.0.0.9", "normal")
	env.createPackageOutOfBand("12345678", "1.0.0.10", "normal")
	r := &releaseResource{data: newProviderData(env.client)}
	for _, tc := range []struct {
		releaseType string
		warn        bool
	}{{"official", true}, {"grayscale", false}} {
		plan := releaseModel{PackageID: types.StringValue(older), Type: types.StringValue(tc.releaseType)}
		var diags diagnostics
		r.lookUpPackage(ctx, &plan, &diags)
		if diags.HasError() {
			t.Fatalf("%s: %v", tc.releaseType, diags)
		}
		if plan.H5AppID.ValueString() != "12345678" || plan.Version.ValueString() != "1.0.0.9" {
			t.Fatalf("%s: plan = %+v", tc.releaseType, plan)
		}
		if got := diags.WarningsCount() == 1; got != tc.warn {
			t.Fatalf("%s: warnings %v", tc.releaseType, diags)
		}
		if tc.warn && !strings.Contains(diags.Warnings()[0].Detail(), "also holds the higher version 1.0.0.10") {
			t.Fatalf("warning = %q", diags.Warnings()[0].Detail())
		}
	}
}

// expectWindowOf checks that the task behind a release ends duration after
// it was created, as mPaaS holds it, and that the state shows that end.
func (e *testEnv) expectWindowOf(address string, duration time.Duration) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		r, err := e.taskOf(s, address)
		if err != nil || r == nil {
			return fmt.Errorf("%s: task %+v, %v", address, r, err)
		}
		if r.Window == nil || r.Window.MaxUsers != 100 {
			return fmt.Errorf("task = %+v, want a time window for 100 users", r)
		}
		end := r.Window.End
		created, err := time.Parse(time.RFC3339, r.CreatedAt)
		if err != nil {
			return fmt.Errorf("task %d created at %q: %v", r.ID, r.CreatedAt, err)
		}
		if off := end.Sub(created.Add(duration)); off < 0 || off > 2*time.Second {
			return fmt.Errorf("task %d ends %s, created %s: %s off %s after creation", r.ID, end, r.CreatedAt, off, duration)
		}
		if got := s.RootModule().Resources[address].Primary.Attributes["time_window.end_time"]; got != end.Format(time.RFC3339) {
			return fmt.Errorf("state end_time %q, task ends %s", got, end.Format(time.RFC3339))
		}
		return nil
	}
}

// expectTaskCount checks how many tasks the emulator holds for the package
// of a release.
func (e *testEnv) expectTaskCount(address string, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		packageID, err := strconv.ParseInt(s.RootModule().Resources[address].Primary.Attributes["package_id"], 10, 64)
		if err != nil {
			return err
		}
		tasks, err := e.client.ListReleases(context.Background(), packageID)
		if err != nil {
			return err
		}
		if len(tasks) != want {
			return fmt.Errorf("package %d has %d tasks, want %d: %+v", packageID, len(tasks), want, tasks)
		}
		return nil
	}
}

func TestAccRelease_durationWindow(t *testing.T) {
	env := newTestEnv(t)
	var taskID int64
	const addr = "mpaas_offline_package_release.window"
	endTime := tfjsonpath.New("time_window").AtMapKey("end_time")
	pkg := releasablePackage(t, "pkg", "12345678", `  android = { min_version = "10.1.0" }`)
	config := func(duration, status string) string {
		return env.config(pkg + releaseBlock("window", fmt.Sprintf(`
  package_id  = mpaas_offline_package.pkg.id
  memo        = "Three days"
  type        = "grayscale"
  time_window = { duration = %q, max_users = 100 }
  status      = %q`, duration, status)))
	}
	sameEnd := statecheck.CompareValue(compare.ValuesSame())
	sameID := statecheck.CompareValue(compare.ValuesSame())
	created := func() int64 { return env.emulator.Stats()["CreateMcubeNebulaTask"] }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.expectEndedAfterDestroy(&taskID),
		Steps: []resource.TestStep{
			{
				Config: config("72h", "active"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(addr, endTime),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("time_window").AtMapKey("duration"), knownvalue.StringExact("72h")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameEnd.AddStateValue(addr, endTime),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("time_window").AtMapKey("duration"), knownvalue.StringExact("72h")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(rememberTask(addr, &taskID), env.expectWindowOf(addr, 72*time.Hour)),
			},
			{
				// plantimestamp() would move the end at every plan; duration keeps it.
				Config:           config("72h", "active"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameEnd.AddStateValue(addr, endTime),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.expectTaskCount(addr, 1), func(*terraform.State) error {
					if n := created(); n != 1 {
						return fmt.Errorf("CreateMcubeNebulaTask called %d times, want 1", n)
					}
					return nil
				}),
			},
			{
				// Pausing changes the task in place; the window stays.
				Config: config("72h", "paused"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, endTime, knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-`))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameEnd.AddStateValue(addr, endTime),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.expectTask(addr, expectStatus(mpaas.ReleaseStatusPaused)), env.expectWindowOf(addr, 72*time.Hour)),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"time_window.duration"}},
			{
				Config: config("48h", "paused"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
					plancheck.ExpectUnknownValue(addr, endTime),
				}},
				Check: func(s *terraform.State) error {
					old := taskID
					if err := rememberTask(addr, &taskID)(s); err != nil {
						return err
					}
					if taskID == old {
						return fmt.Errorf("task id did not change")
					}
					if err := env.expectEndedAfterDestroy(&old)(s); err != nil {
						return err
					}
					return env.expectWindowOf(addr, 48*time.Hour)(s)
				},
			},
			{Config: config("48h", "paused"), PlanOnly: true},
		},
	})
}

// A task made elsewhere and imported has no duration in the state: a
// duration that matches its window is recorded in place, another one
// replaces it.
func TestAccRelease_durationAfterImport(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	if err := env.client.CreateApp(ctx, "12345678", "app"); err != nil {
		t.Fatal(err)
	}
	packageID := env.createPackageOutOfBand("12345678", "1.0.0.1", "normal")
	pkg, _ := strconv.ParseInt(packageID, 10, 64)
	newTask := func(memo string) string {
		created, err := env.client.CreateRelease(ctx, mpaas.CreateReleaseInput{
			PackageID: pkg, Memo: memo, Type: mpaas.ReleaseTypeGrayscale,
			Window: &mpaas.TimeWindow{End: time.Now().Add(72 * time.Hour), MaxUsers: 100},
		})
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(created.ID, 10)
	}
	kept, replaced := newTask("kept"), newTask("replaced")
	release := func(name, id, duration string) string {
		return fmt.Sprintf(`
import {
  to = mpaas_offline_package_release.%[1]s
  id = %[2]q
}
`, name, id) + releaseBlock(name, fmt.Sprintf(`
  package_id  = %q
  memo        = %q
  type        = "grayscale"
  time_window = { duration = %q, max_users = 100 }`, packageID, name, duration))
	}
	config := env.config(release("kept", kept, "72h") + release("replaced", replaced, "24h"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mpaas_offline_package_release.kept", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("mpaas_offline_package_release.kept", tfjsonpath.New("id"), knownvalue.StringExact(kept)),
					plancheck.ExpectResourceAction("mpaas_offline_package_release.replaced", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("mpaas_offline_package_release.replaced", tfjsonpath.New("id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package_release.kept", tfjsonpath.New("id"), knownvalue.StringExact(kept)),
					statecheck.ExpectKnownValue("mpaas_offline_package_release.kept", tfjsonpath.New("time_window").AtMapKey("duration"), knownvalue.StringExact("72h")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.expectTask("mpaas_offline_package_release.kept", expectStatus(mpaas.ReleaseStatusActive)),
					env.expectWindowOf("mpaas_offline_package_release.replaced", 24*time.Hour),
					func(*terraform.State) error {
						n, _ := strconv.ParseInt(replaced, 10, 64)
						return env.expectEndedAfterDestroy(&n)(nil)
					},
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// releaseConfigValue is a grayscale release whose time_window holds the given
// attributes (max_users 10 unless given), for calling the resource directly.
func releaseConfigValue(t *testing.T, window map[string]tftypes.Value) (fwschema.Schema, tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	var sch fwresource.SchemaResponse
	NewOfflinePackageReleaseResource().Schema(ctx, fwresource.SchemaRequest{}, &sch)
	objectType, ok := sch.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the release schema is not an object")
	}
	windowType, ok := objectType.AttributeTypes["time_window"].(tftypes.Object)
	if !ok {
		t.Fatal("time_window is not an object")
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objectType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	// Unknown, as for a package created in the same apply: the plan then
	// checks the window without looking the package up.
	values["package_id"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	values["memo"] = tftypes.NewValue(tftypes.String, "m")
	values["type"] = tftypes.NewValue(tftypes.String, "grayscale")
	windowValues := map[string]tftypes.Value{
		"duration":  tftypes.NewValue(tftypes.String, nil),
		"end_time":  tftypes.NewValue(tftypes.String, nil),
		"max_users": tftypes.NewValue(tftypes.Number, 10),
	}
	for name, v := range window {
		windowValues[name] = v
	}
	values["time_window"] = tftypes.NewValue(windowType, windowValues)
	return sch.Schema, tftypes.NewValue(objectType, values)
}

// Terraform before 1.15 shows an error inside `time_window = { ... }` at the
// resource's first line whatever its path (see the time-window section of
// templates/guides/troubleshooting.md.tmpl); this checks that every time-window
// diagnostic names the exact attribute, which Terraform 1.15 points at.
func TestReleaseTimeWindowDiagnosticPaths(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &releaseResource{now: func() time.Time { return now }}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	window := path.Root("time_window")
	for _, tc := range []struct {
		name    string
		values  map[string]tftypes.Value
		plan    bool // ModifyPlan of a new task instead of ValidateConfig
		summary string
		at      path.Path
	}{
		{"end_time not RFC 3339", map[string]tftypes.Value{"end_time": str("tomorrow")}, false, "Invalid end_time", nestedAttributePath("time_window", "end_time")},
		{"end_time in the past", map[string]tftypes.Value{"end_time": str("2029-12-31T00:00:00Z")}, true, "end_time is in the past", nestedAttributePath("time_window", "end_time")},
		{"end_time 8 days ahead", map[string]tftypes.Value{"end_time": str("2030-01-09T00:00:00Z")}, true, "end_time is 7 days or more ahead", nestedAttributePath("time_window", "end_time")},
		{"duration 0s", map[string]tftypes.Value{"duration": str("0s")}, false, "Invalid duration", nestedAttributePath("time_window", "duration")},
		{"duration 168h", map[string]tftypes.Value{"duration": str("168h")}, false, "Invalid duration", nestedAttributePath("time_window", "duration")},
		{"duration abc", map[string]tftypes.Value{"duration": str("abc")}, false, "Invalid duration", nestedAttributePath("time_window", "duration")},
		{"both", map[string]tftypes.Value{"duration": str("72h"), "end_time": str("2030-01-02T00:00:00Z")}, false, "Both duration and end_time set", window},
		{"neither", nil, false, "time_window needs duration or end_time", window},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sch, raw := releaseConfigValue(t, tc.values)
			var diags diagnostics
			if tc.plan {
				resp := fwresource.ModifyPlanResponse{Plan: tfsdk.Plan{Schema: sch, Raw: raw}}
				r.ModifyPlan(ctx, fwresource.ModifyPlanRequest{
					Config: tfsdk.Config{Schema: sch, Raw: raw}, Plan: tfsdk.Plan{Schema: sch, Raw: raw},
					State: tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)},
				}, &resp)
				diags = resp.Diagnostics
			} else {
				var resp fwresource.ValidateConfigResponse
				r.ValidateConfig(ctx, fwresource.ValidateConfigRequest{Config: tfsdk.Config{Schema: sch, Raw: raw}}, &resp)
				diags = resp.Diagnostics
			}
			if len(diags) != 1 || diags[0].Summary() != tc.summary {
				t.Fatalf("diagnostics = %v, want one %q", diags, tc.summary)
			}
			withPath, ok := diags[0].(diag.DiagnosticWithPath)
			if !ok || !withPath.Path().Equal(tc.at) {
				t.Fatalf("%q is attached to %v, want %s", tc.summary, diags[0], tc.at)
			}
		})
	}
}

// max_users is checked by the framework's validator; through the protocol,
// as Terraform calls it, its error carries time_window.max_users.
func TestReleaseMaxUsersDiagnosticPath(t *testing.T) {
	ctx := context.Background()
	sch, raw := releaseConfigValue(t, map[string]tftypes.Value{
		"duration": tftypes.NewValue(tftypes.String, "72h"), "max_users": tftypes.NewValue(tftypes.Number, 0),
	})
	config, err := tfprotov6.NewDynamicValue(sch.Type().TerraformType(ctx), raw)
	if err != nil {
		t.Fatal(err)
	}
	server, err := testAccProtoV6ProviderFactories["mpaas"]()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "mpaas_offline_package_release", Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewAttributePath().WithAttributeName("time_window").WithAttributeName("max_users")
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Attribute == nil || !resp.Diagnostics[0].Attribute.Equal(want) {
		t.Fatalf("diagnostics = %+v, want one on %s", resp.Diagnostics, want)
	}
}
