package provider

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// newTestEnvWith is newTestEnv with emulator options changed by tweak.
func newTestEnvWith(t *testing.T, tweak func(*emulator.Options)) *testEnv {
	t.Helper()
	opts := emulator.Options{
		DataDir:     t.TempDir(),
		Credentials: []emulator.Credential{{AccessKeyID: testAccessKeyID, AccessKeySecret: testAccessKeySecret}},
	}
	tweak(&opts)
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	server := httptest.NewServer(emu)
	t.Cleanup(func() {
		server.Close()
		_ = emu.Close()
	})
	client, err := mpaas.New(mpaas.Config{
		Endpoint: server.URL, AccessKeyID: testAccessKeyID, AccessKeySecret: testAccessKeySecret,
		AppID: testAppID, WorkspaceID: testWorkspaceID, TenantID: testTenantID,
	})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return &testEnv{t: t, server: server, emulator: emu, client: client}
}

// An H5App deleted out of band takes its package and release task with it:
// the refresh removes all three from the state and the plan creates them
// again, whichever not-found signal the service gives and whether or not
// its Keyword search matches IDs or its lists carry paging keys.
func TestAccNotFound_deletedOutOfBandIsRecreated(t *testing.T) {
	quirks := map[string]emulator.Quirks{
		"emulator codes": {},
		"empty objects, keyword on names, no paging keys": {NotFoundAsEmptyObject: true, KeywordIgnoresIDs: true, OmitPaging: true},
	}
	for name, quirk := range quirks {
		t.Run(name, func(t *testing.T) {
			env := newTestEnvWith(t, func(o *emulator.Options) { o.Quirks = quirk })
			const h5AppID = "34567812"
			config := env.config(appBlock("app", h5AppID) +
				strings.Replace(pkgBlock("pkg", h5AppID, normalPackageZip(t, h5AppID), androidOnly),
					`h5app_id = "`+h5AppID+`"`, `h5app_id = mpaas_h5app.app.id`, 1) +
				releaseBlock("r", `
  package_id = mpaas_offline_package.pkg.id
  memo       = "General availability"
  type       = "official"`))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config, Check: env.expectVersions(h5AppID, "0.0.0.1")},
					{
						PreConfig: func() {
							if err := env.client.DeleteApp(context.Background(), h5AppID); err != nil {
								t.Fatal(err)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("mpaas_h5app.app", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction("mpaas_offline_package.pkg", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction("mpaas_offline_package_release.r", plancheck.ResourceActionCreate),
						}},
						Check: resource.ComposeAggregateTestCheckFunc(
							env.expectVersions(h5AppID, "0.0.0.1"),
							env.expectTaskCount("mpaas_offline_package_release.r", 1),
						),
					},
					{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
				},
			})
			if stats := env.emulator.Stats(); stats[mpaas.ActionCreateNebulaApp] != 2 || stats[mpaas.ActionCreateNebulaResource] != 2 || stats[mpaas.ActionCreateNebulaTask] != 2 {
				t.Errorf("creates %v; want each object created twice (once again after the deletion)", stats)
			}
		})
	}
}
