package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// With include_resource each H5App comes with the object an import reads,
// resource_type included (null for an H5App without packages).
func TestAccH5AppList_includeResource(t *testing.T) {
	fixture := newQueryFixture(t)
	fixture.env.createAppOutOfBand("31000003", "Empty")
	fixture.before = fixture.env.writeSnapshot()
	knownApp := func(h5AppID, name string, resourceType knownvalue.Check) querycheck.QueryResultCheck {
		return querycheck.ExpectResourceKnownValues("mpaas_h5app.all", queryfilter.ByResourceIdentity(h5AppIdentity(h5AppID)),
			[]querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(h5AppID)},
				{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact(name)},
				{Path: tfjsonpath.New("force_destroy"), KnownValue: knownvalue.Bool(false)},
				{Path: tfjsonpath.New("resource_type"), KnownValue: resourceType},
			})
	}
	resource.ParallelTest(t, fixture.queryTestCase(resource.TestStep{
		Query: true,
		Config: `
list "mpaas_h5app" "all" {
  provider         = mpaas
  include_resource = true
}
`,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("mpaas_h5app.all", 3),
			knownApp(queryPortal, "Portal", knownvalue.StringExact("normal")),
			knownApp(queryCheckout, "Checkout", knownvalue.StringExact("normal")),
			knownApp("31000003", "Empty", knownvalue.Null()),
			querycheck.ExpectResourceDisplayName("mpaas_h5app.all", queryfilter.ByResourceIdentity(h5AppIdentity("31000003")),
				knownvalue.StringExact("Empty (31000003)")),
		},
	}))
	fixture.expectNoWrites(t)
}

// Without include_resource an H5App costs no package list call; limit
// keeps the first H5Apps by ID.
func TestAccH5AppList_limitWithoutPackageReads(t *testing.T) {
	fixture := newQueryFixture(t)
	noPackageReads := &emulatorCallsCheck{env: fixture.env, action: mpaas.ActionListNebulaResources, want: 0}
	resource.ParallelTest(t, fixture.queryTestCase(resource.TestStep{
		PreConfig: noPackageReads.remember,
		Query:     true,
		Config: `
list "mpaas_h5app" "first" {
  provider = mpaas
  limit    = 1
}
`,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("mpaas_h5app.first", 1),
			querycheck.ExpectIdentity("mpaas_h5app.first", h5AppIdentity(queryPortal)),
			noPackageReads,
		},
	}))
}
