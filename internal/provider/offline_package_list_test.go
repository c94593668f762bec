package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// queryFixture is what the query tests find: two H5Apps, three versions
// and a grayscale release of Portal 1.0.0.2 to a time window, narrowed by a
// rule, created through the API, as the console would.
type queryFixture struct {
	env     *testEnv
	before  map[string]int64 // write calls before Terraform ran
	release mpaas.Release    // the grayscale release, as created
}

const (
	queryPortal   = "31000001"
	queryCheckout = "31000002"
)

func newQueryFixture(t *testing.T) *queryFixture {
	env := newTestEnv(t)
	env.createAppOutOfBand(queryPortal, "Portal")
	env.createAppOutOfBand(queryCheckout, "Checkout")
	env.createPackageOutOfBand(queryPortal, "1.0.0.1", "normal")
	portal2 := env.createPackageOutOfBand(queryPortal, "1.0.0.2", "normal")
	env.createPackageOutOfBand(queryCheckout, "0.0.0.1", "normal")
	release := env.createReleaseOutOfBand(mpaas.CreateReleaseInput{
		PackageID: parseTestID(env.t, portal2), Memo: "portal canary", Type: mpaas.ReleaseTypeGrayscale,
		Window: &mpaas.TimeWindow{End: time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second), MaxUsers: 500},
		Rules:  []mpaas.ReleaseRule{{Element: mpaas.RuleCity, Operator: mpaas.RuleContains, Values: []string{"Hangzhou", "Shanghai"}}},
	})
	return &queryFixture{env: env, before: env.writeSnapshot(), release: release}
}

// createReleaseOutOfBand creates a release task through the API, as the
// console would.
func (e *testEnv) createReleaseOutOfBand(in mpaas.CreateReleaseInput) mpaas.Release {
	e.t.Helper()
	release, err := e.client.CreateRelease(context.Background(), in)
	if err != nil {
		e.t.Fatalf("create release of package %d: %v", in.PackageID, err)
	}
	return release
}

func parseTestID(t *testing.T, id string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	return n
}

// expectNoWrites fails when Terraform created, uploaded or deleted anything.
func (f *queryFixture) expectNoWrites(t *testing.T) {
	t.Helper()
	after := f.env.writeSnapshot()
	for action, count := range after {
		if count != f.before[action] {
			t.Errorf("%s: %d calls while Terraform ran, want none", action, count-f.before[action])
		}
	}
}

// twoListBlocks is a query file that lists every H5App and every version.
const twoListBlocks = `
list "mpaas_h5app" "apps" {
  provider = mpaas
}

list "mpaas_offline_package" "packages" {
  provider = mpaas
}
`

// queryTestCase runs steps after a first one that only configures the
// provider (a query step reads the provider block of the configuration).
func (f *queryFixture) queryTestCase(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    append([]resource.TestStep{{Config: f.env.config("")}}, steps...),
	}
}

func TestAccQuery_twoListBlocksFindFive(t *testing.T) {
	fixture := newQueryFixture(t)
	resource.ParallelTest(t, fixture.queryTestCase(resource.TestStep{
		Query:  true,
		Config: twoListBlocks,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("mpaas_h5app.apps", 2),
			querycheck.ExpectLength("mpaas_offline_package.packages", 3),
			querycheck.ExpectTotalLengthForMatching(regexp.MustCompile(`^list\.mpaas_`), 5),
			querycheck.ExpectIdentity("mpaas_h5app.apps", map[string]knownvalue.Check{"h5app_id": knownvalue.StringExact(queryPortal)}),
			querycheck.ExpectIdentity("mpaas_h5app.apps", map[string]knownvalue.Check{"h5app_id": knownvalue.StringExact(queryCheckout)}),
			querycheck.ExpectIdentity("mpaas_offline_package.packages", packageIdentity(queryPortal, "1.0.0.1")),
			querycheck.ExpectIdentity("mpaas_offline_package.packages", packageIdentity(queryPortal, "1.0.0.2")),
			querycheck.ExpectIdentity("mpaas_offline_package.packages", packageIdentity(queryCheckout, "0.0.0.1")),
			querycheck.ExpectResourceDisplayName("mpaas_offline_package.packages",
				queryfilter.ByResourceIdentity(packageIdentity(queryCheckout, "0.0.0.1")), knownvalue.StringExact("Checkout (31000002) version 0.0.0.1")),
		},
	}))
	fixture.expectNoWrites(t)
}

// With include_resource each result is the object an import reads: no
// source and no content digest, only what mPaaS reports.
func TestAccOfflinePackageList_includeResource(t *testing.T) {
	fixture := newQueryFixture(t)
	uploadedMD5, err := offlinepkg.MD5File(normalPackageZip(t, queryCheckout))
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, fixture.queryTestCase(resource.TestStep{
		Query: true,
		Config: `
list "mpaas_offline_package" "checkout" {
  provider         = mpaas
  include_resource = true
  config {
    h5app_id = "31000002"
  }
}
`,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("mpaas_offline_package.checkout", 1),
			querycheck.ExpectResourceKnownValues("mpaas_offline_package.checkout", queryfilter.ByResourceIdentity(packageIdentity(queryCheckout, "0.0.0.1")),
				[]querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("h5app_id"), KnownValue: knownvalue.StringExact(queryCheckout)},
					{Path: tfjsonpath.New("version"), KnownValue: knownvalue.StringExact("0.0.0.1")},
					{Path: tfjsonpath.New("resource_type"), KnownValue: knownvalue.StringExact("normal")},
					{Path: tfjsonpath.New("android").AtMapKey("min_version"), KnownValue: knownvalue.StringExact("1.0.0")},
					{Path: tfjsonpath.New("file_md5"), KnownValue: knownvalue.StringExact(uploadedMD5)},
					{Path: tfjsonpath.New("source"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("content_sha256"), KnownValue: knownvalue.Null()},
					{Path: tfjsonpath.New("create_h5app_if_missing"), KnownValue: knownvalue.Bool(false)},
				}),
		},
	}))
}

// emulatorCallsCheck is a query check on how often the emulator served an
// action since start was taken (in the step's PreConfig).
type emulatorCallsCheck struct {
	env    *testEnv
	action string
	want   int64
	start  map[string]int64
}

func (c *emulatorCallsCheck) remember() { c.start = c.env.emulator.Stats() }

func (c *emulatorCallsCheck) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	if got := c.env.emulator.Stats()[c.action] - c.start[c.action]; got != c.want {
		resp.Error = fmt.Errorf("the query made %d %s calls, want %d", got, c.action, c.want)
	}
}

func TestAccOfflinePackageList_filtersAndLimit(t *testing.T) {
	fixture := newQueryFixture(t)
	oneAppRead := &emulatorCallsCheck{env: fixture.env, action: mpaas.ActionListNebulaResources, want: 1}
	resource.ParallelTest(t, fixture.queryTestCase(
		resource.TestStep{
			Query: true,
			Config: `
list "mpaas_offline_package" "portal" {
  provider = mpaas
  config {
    h5app_id    = "31000001"
    min_version = "1.0.0.2"
  }
}

list "mpaas_offline_package" "range" {
  provider = mpaas
  config {
    min_version = "0.0.0.1"
    max_version = "1.0.0.1"
  }
}
`,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("mpaas_offline_package.portal", 1),
				querycheck.ExpectIdentity("mpaas_offline_package.portal", packageIdentity(queryPortal, "1.0.0.2")),
				querycheck.ExpectLength("mpaas_offline_package.range", 2),
				querycheck.ExpectIdentity("mpaas_offline_package.range", packageIdentity(queryPortal, "1.0.0.1")),
				querycheck.ExpectIdentity("mpaas_offline_package.range", packageIdentity(queryCheckout, "0.0.0.1")),
			},
		},
		resource.TestStep{
			// The limit is reached within the first H5App (by ID): the second is not read (the query warns).
			PreConfig: oneAppRead.remember,
			Query:     true,
			Config: `
list "mpaas_offline_package" "first" {
  provider = mpaas
  limit    = 1
}
`,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("mpaas_offline_package.first", 1),
				querycheck.ExpectIdentity("mpaas_offline_package.first", packageIdentity(queryPortal, "1.0.0.1")),
				oneAppRead,
			},
		},
	))
}

func TestAccOfflinePackageList_invalidConfig(t *testing.T) {
	fixture := newQueryFixture(t)
	listWith := func(config string) string {
		return "list \"mpaas_offline_package\" \"bad\" {\n  provider = mpaas\n  config {\n" + config + "\n  }\n}\n"
	}
	resource.ParallelTest(t, fixture.queryTestCase(
		resource.TestStep{
			Query:       true,
			Config:      listWith(`min_version = "1.0"`),
			ExpectError: expectError("Invalid min_version", "min_version:", "Use four dot-separated numbers"),
		},
		resource.TestStep{
			Query:       true,
			Config:      listWith(`min_version = "2.0.0.0"` + "\n" + `max_version = "1.0.0.0"`),
			ExpectError: expectError("max_version below min_version", "max_version 1.0.0.0 is lower than min_version 2.0.0.0"),
		},
		resource.TestStep{
			Query:       true,
			Config:      listWith(`h5app_id = "1234"`),
			ExpectError: expectError("must be exactly 8 digits"),
		},
		resource.TestStep{
			Query:       true,
			Config:      listWith(`h5app_id = "39999999"`),
			ExpectError: expectError("H5App 39999999 does not exist", "leave it out to list the versions of every H5App"),
		},
	))
}

// adoptEverything is a query file that lists every H5App, every version and
// every release task.
const adoptEverything = twoListBlocks + `
list "mpaas_offline_package_release" "releases" {
  provider = mpaas
}
`

// The whole adoption on the command line: terraform query writes six
// import blocks with their resources (two H5Apps, three versions, one
// grayscale release), plan imports exactly those, apply records them without
// a write call, and the next plan is empty. A list block cut short by its
// limit then says so.
func TestAccQuery_generateConfigImportsEverything(t *testing.T) {
	fixture := newQueryFixture(t)
	cli := newCLIRun(t)
	skipBelowTerraform(t, cli, "1.14.0")
	cli.write("main.tf", fixture.env.providerBlock())
	cli.write("adopt.tfquery.hcl", adoptEverything)
	cli.init()

	out := cli.must(0, "query", "-no-color", "-generate-config-out=generated.tf")
	canary := fmt.Sprintf("Portal (31000001) version 1.0.0.2: grayscale release %d, active", fixture.release.ID)
	for _, name := range []string{"Portal (31000001)", "Checkout (31000002)", "Portal (31000001) version 1.0.0.2", canary} {
		if !strings.Contains(out, name) {
			t.Errorf("terraform query output lacks %q:\n%s", name, out)
		}
	}
	generated := readFile(t, cli.path("generated.tf"))
	if got := strings.Count(generated, "import {"); got != 6 {
		t.Fatalf("generated.tf has %d import blocks, want 6:\n%s", got, generated)
	}
	for _, unwanted := range []string{"content_sha256", "file_md5", "download_url", "source_sha256", "created_at"} {
		if strings.Contains(generated, unwanted) {
			t.Errorf("generated.tf sets the computed attribute %s:\n%s", unwanted, generated)
		}
	}
	for _, wanted := range []string{
		fmt.Sprintf("task_id = %q", fmt.Sprint(fixture.release.ID)),
		fmt.Sprintf("package_id = %q", fmt.Sprint(fixture.release.PackageID)),
		fmt.Sprintf("end_time = %q", formatTime(fixture.release.Window.End)),
		`"Hangzhou", "Shanghai"`,
	} {
		if !strings.Contains(strings.Join(strings.Fields(generated), " "), wanted) {
			t.Errorf("generated.tf lacks %s:\n%s", wanted, generated)
		}
	}

	plan := cli.must(0, "plan")
	if !strings.Contains(plan, "Plan: 6 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the plan of the generated configuration must only import:\n%s", plan)
	}
	if applied := cli.must(0, "apply", "-auto-approve"); !strings.Contains(applied, "Resources: 6 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply did not import the six:\n%s", applied)
	}
	cli.must(0, "plan", "-detailed-exitcode")
	state := cli.must(0, "state", "list")
	for _, address := range []string{"mpaas_h5app.apps_0", "mpaas_h5app.apps_1", "mpaas_offline_package.packages_2", "mpaas_offline_package_release.releases_0"} {
		if !strings.Contains(state, address) {
			t.Errorf("state lacks %s:\n%s", address, state)
		}
	}

	cli.write("adopt.tfquery.hcl", "list \"mpaas_h5app\" \"first\" {\n  provider = mpaas\n  limit    = 1\n}\n")
	limited := cli.must(0, "query", "-no-color")
	for _, wanted := range []string{"Query cut short by limit = 1", "1 more H5Apps match", "Portal (31000001)"} {
		if !strings.Contains(strings.Join(strings.Fields(limited), " "), wanted) {
			t.Errorf("terraform query with limit = 1 does not say %q:\n%s", wanted, limited)
		}
	}
	fixture.expectNoWrites(t)
}

// skipBelowTerraform skips a CLI test when the terraform binary is older
// than minimum (OpenTofu is skipped too: it has no terraform query).
func skipBelowTerraform(t *testing.T, cli *cliRun, minimum string) {
	t.Helper()
	out := cli.must(0, "version", "-json")
	var reported struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out), &reported); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	current, err := version.NewVersion(reported.Version)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(out), "tofu") || current.LessThan(version.Must(version.NewVersion(minimum))) {
		t.Skipf("needs Terraform %s or later, %s is %s", minimum, cli.terraform, reported.Version)
	}
}
