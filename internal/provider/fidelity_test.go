package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
	applyTestDialect(t, &opts)
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	server := httptest.NewServer(emu)
	t.Cleanup(func() {
		server.Close()
		_ = emu.Close()
	})
	// The test's own client reads times as the emulator writes them.
	client, err := mpaas.New(mpaas.Config{
		Endpoint: server.URL, AccessKeyID: testAccessKeyID, AccessKeySecret: testAccessKeySecret,
		AppID: testAppID, WorkspaceID: testWorkspaceID, TenantID: testTenantID, ServiceTimeZone: opts.TimeZone,
	})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return &testEnv{t: t, server: server, emulator: emu, client: client}
}

// An H5App deleted out of band takes its package and release task with it:
// the refresh removes the H5App and the task from the state and marks the
// package's version gone; the plan creates the H5App and the task again and
// replaces the package above the version clients hold, whichever not-found
// signal the service gives and whether or not its Keyword search matches IDs
// or its lists carry paging keys.
func TestAccNotFound_deletedOutOfBandIsRecreated(t *testing.T) {
	quirks := map[string]emulator.Quirks{
		"emulator codes": {},
		"empty objects, keyword on names, no paging keys": {NotFoundAsEmptyObject: true, KeywordIgnoresIDs: true, OmitPaging: true},
	}
	for name, quirk := range quirks {
		t.Run(name, func(t *testing.T) {
			env := newTestEnvWith(t, func(o *emulator.Options) { o.Quirks = quirk })
			const h5AppID = "34567812"
			config := env.config(appBlock("portal", h5AppID) +
				strings.Replace(pkgBlock("pkg", h5AppID, normalPackageZip(t, h5AppID), androidOnly),
					`h5app_id = "`+h5AppID+`"`, `h5app_id = mpaas_h5app.portal.id`, 1) +
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
							plancheck.ExpectResourceAction("mpaas_h5app.portal", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction("mpaas_offline_package.pkg", plancheck.ResourceActionDestroyBeforeCreate),
							plancheck.ExpectResourceAction("mpaas_offline_package_release.r", plancheck.ResourceActionCreate),
						}},
						Check: resource.ComposeAggregateTestCheckFunc(
							env.expectVersions(h5AppID, "0.0.0.2"),
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

// service_time_zone is the one zone of GreyEndtimeData and GmtCreate. A
// 72-hour window is accepted whether the service reads it in the
// provider's zone or 8 hours off in either direction; with the zones
// matching, created_at and end_time read back as the service holds them.
func TestAccRelease_serviceTimeZone(t *testing.T) {
	shanghai, err := mpaas.LoadServiceTimeZone("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name          string
		argument      string // service_time_zone, "" for the default
		service       *time.Location
		serviceWindow time.Duration
	}{
		{"default, service in Asia/Shanghai", "", shanghai, 72 * time.Hour},
		{"UTC, service in UTC", "UTC", time.UTC, 72 * time.Hour},
		{"UTC, service in Asia/Shanghai", "UTC", shanghai, 64 * time.Hour},
		{"default, service in UTC", "", time.UTC, 80 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnvWith(t, func(o *emulator.Options) { o.TimeZone = tc.service })
			const addr = "mpaas_offline_package_release.window"
			var extra []string
			if tc.argument != "" {
				extra = append(extra, fmt.Sprintf("  service_time_zone = %q", tc.argument))
			}
			config := env.providerBlock(extra...) + releasablePackage(t, "pkg", "12345678", `  android = { min_version = "10.1.0" }`) +
				releaseBlock("window", `
  package_id  = mpaas_offline_package.pkg.id
  memo        = "Three days"
  type        = "grayscale"
  time_window = { duration = "72h", max_users = 100 }`)
			check := env.expectServiceWindow(addr, tc.serviceWindow)
			if tc.serviceWindow == 72*time.Hour {
				check = resource.ComposeAggregateTestCheckFunc(check, env.expectWindowOf(addr, 72*time.Hour), expectCreatedNow(addr))
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config, Check: check},
					{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
				},
			})
		})
	}
}

func TestAccProvider_serviceTimeZoneInvalid(t *testing.T) {
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.providerBlock(`  service_time_zone = "China/Beijing"`) + appBlock("app", "12345678"),
			PlanOnly:    true,
			ExpectError: expectError("Invalid service_time_zone", `unknown time zone "China/Beijing"`, "Asia/Shanghai"),
		}},
	})
	if n := env.emulator.Stats()[mpaas.ActionListNebulaApps]; n != 0 {
		t.Errorf("%d API calls with an invalid provider configuration", n)
	}
}

// expectServiceWindow checks the window of the task behind a release as the
// service applies it: its end, read in the service's own zone, this long
// after the task was created.
func (e *testEnv) expectServiceWindow(address string, window time.Duration) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		r, err := e.taskOf(s, address)
		if err != nil || r == nil || r.Window == nil {
			return fmt.Errorf("%s: task %+v, %v", address, r, err)
		}
		created, err := time.Parse(time.RFC3339, r.CreatedAt)
		if err != nil {
			return err
		}
		if off := r.Window.End.Sub(created.Add(window)); off < 0 || off > 2*time.Second {
			return fmt.Errorf("task %d: the service applies a window %s off %s", r.ID, off, window)
		}
		return nil
	}
}

// expectCreatedNow checks that created_at in the state is the present moment.
func expectCreatedNow(address string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		text := s.RootModule().Resources[address].Primary.Attributes["created_at"]
		created, err := time.Parse(time.RFC3339, text)
		if err != nil {
			return fmt.Errorf("created_at %q: %v", text, err)
		}
		if off := time.Since(created); off < -time.Minute || off > time.Minute {
			return fmt.Errorf("created_at %s is %s away from now", text, off)
		}
		return nil
	}
}

// Zips whose file names would make a malformed URL upload and register.
func TestAccOfflinePackage_awkwardFileNames(t *testing.T) {
	env := newTestEnv(t)
	dir := t.TempDir()
	names := map[string]string{"45671234": "my pkg #1 (100%).zip", "45671235": "离线包 #2.zip"}
	var config strings.Builder
	for h5AppID, name := range names {
		zipPath := writeZip(t, dir, name, map[string]string{h5AppID + "/www/index.html": "<html>" + h5AppID + "</html>"})
		config.WriteString(pkgBlock("p"+h5AppID, h5AppID, zipPath, androidOnly+"  create_h5app_if_missing = true\n"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(config.String()),
			Check:  resource.ComposeAggregateTestCheckFunc(env.expectVersions("45671234", "0.0.0.1"), env.expectVersions("45671235", "0.0.0.1")),
		}},
	})
	if n := env.emulator.Stats()["oss:PostObject"]; n != 2 {
		t.Errorf("%d uploads, want 2", n)
	}
}
