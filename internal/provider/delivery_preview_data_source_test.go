package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// newTestEnvWithoutDeliveryEndpoint is newTestEnv (provider_test.go) with the
// emulator's /emulator/delivery switched off, as on the real service: what
// the data source shows then comes from the mPaaS API alone.
func newTestEnvWithoutDeliveryEndpoint(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, func(o *emulator.Options) { o.DisableDeliveryEndpoint = true })
}

// expectDeliveryEndpointOff checks that the emulator's delivery endpoint
// answered nothing (it is off) while the release tasks were listed through
// the API.
func (e *testEnv) expectDeliveryEndpointOff() resource.TestCheckFunc {
	return func(*terraform.State) error {
		resp, err := http.Get(e.server.URL + "/emulator/delivery?app_id=" + testAppID + "&workspace_id=" + testWorkspaceID +
			"&tenant_id=" + testTenantID + "&platform=android&client_version=10.1.0")
		if err != nil {
			return err
		}
		resp.Body.Close()
		stats := e.emulator.Stats()
		if resp.StatusCode != http.StatusNotFound || stats["delivery"] != 0 {
			return fmt.Errorf("the delivery endpoint answered HTTP %d and counted %d calls; it should be off", resp.StatusCode, stats["delivery"])
		}
		if stats[mpaas.ActionListNebulaTasks] == 0 {
			return fmt.Errorf("no %s call: the preview did not read the release tasks through the API (stats %v)", mpaas.ActionListNebulaTasks, stats)
		}
		return nil
	}
}

// previewBlock renders a data "mpaas_delivery_preview"; h5app_id comes from
// the release so that the read waits for the release's changes.
func previewBlock(name, release, args string) string {
	return fmt.Sprintf(`
data "mpaas_delivery_preview" %q {
  h5app_id = mpaas_offline_package_release.%s.h5app_id
%s
}
`, name, release, args)
}

// expectDelivered checks a preview that delivers exactly one package.
func expectDelivered(name, version, reason string) []statecheck.StateCheck { //nolint:unparam // version is spelled out at each call on purpose
	addr := "data.mpaas_delivery_preview." + name
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("packages"), knownvalue.ListSizeExact(1)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("version"), knownvalue.StringExact(version)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("reason"), knownvalue.StringExact(reason)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("download_url"), knownvalue.StringRegexp(regexp.MustCompile(`^http://127\.0\.0\.1:\d+/download/.*\.amr$`))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("skipped"), knownvalue.ListSizeExact(0)),
	}
}

// expectSkipped checks a preview that delivers nothing, for the given reason.
func expectSkipped(name, h5AppID, reason string) []statecheck.StateCheck {
	addr := "data.mpaas_delivery_preview." + name
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("packages"), knownvalue.ListSizeExact(0)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("skipped"), knownvalue.ListExact([]knownvalue.Check{
			knownvalue.ObjectExact(map[string]knownvalue.Check{
				"h5app_id": knownvalue.StringExact(h5AppID),
				"reason":   knownvalue.StringExact(reason),
			}),
		})),
	}
}

func TestAccDeliveryPreview_officialMatrixAndPause(t *testing.T) {
	env := newTestEnvWithoutDeliveryEndpoint(t)
	pkg := releasablePackage(t, "pkg", "12345678", `
  android = { min_version = "10.1.0" }
  ios     = { min_version = "10.2.0" }`)
	release := func(status string) string {
		return releaseBlock("r", fmt.Sprintf(`
  package_id = mpaas_offline_package.pkg.id
  memo       = "Everyone"
  type       = "official"
  status     = %q`, status))
	}
	matrix := previewBlock("android_10_0_9", "r", `  platform = "android"
  client_version = "10.0.9"`) +
		previewBlock("android_10_1_0", "r", `  platform = "android"
  client_version = "10.1.0"`) +
		previewBlock("android_99_0", "r", `  platform = "android"
  client_version = "99.0"`) +
		previewBlock("ios_10_1_9", "r", `  platform = "ios"
  client_version = "10.1.9"`) +
		previewBlock("ios_10_2_0", "r", `  platform = "ios"
  client_version = "10.2.0"`)
	var checks []statecheck.StateCheck
	checks = append(checks, expectSkipped("android_10_0_9", "12345678", "client 10.0.9 is below min 10.1.0")...)
	checks = append(checks, expectDelivered("android_10_1_0", "0.0.0.1", "official release")...)
	checks = append(checks, expectDelivered("android_99_0", "0.0.0.1", "official release")...)
	checks = append(checks, expectSkipped("ios_10_1_9", "12345678", "client 10.1.9 is below min 10.2.0")...)
	checks = append(checks, expectDelivered("ios_10_2_0", "0.0.0.1", "official release")...)
	checks = append(checks, statecheck.ExpectKnownValue("data.mpaas_delivery_preview.ios_10_2_0",
		tfjsonpath.New("packages").AtSliceIndex(0).AtMapKey("package_id"), knownvalue.NotNull()))

	var paused []statecheck.StateCheck
	for _, name := range []string{"android_10_0_9", "android_10_1_0", "android_99_0", "ios_10_2_0"} {
		reason := "release paused"
		if name == "android_10_0_9" {
			reason = "client 10.0.9 is below min 10.1.0"
		}
		paused = append(paused, expectSkipped(name, "12345678", reason)...)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(pkg + release("active") + matrix), ConfigStateChecks: checks, Check: env.expectDeliveryEndpointOff()},
			{Config: env.config(pkg + release("paused") + matrix), ConfigStateChecks: paused},
			{Config: env.config(pkg + release("active") + matrix), ConfigStateChecks: checks},
			{Config: env.config(pkg + release("ended") + previewBlock("ended", "r", `  platform = "android"
  client_version = "10.1.0"`)), ConfigStateChecks: expectSkipped("ended", "12345678", "release ended")},
		},
	})
}

func TestAccDeliveryPreview_whitelistAndRules(t *testing.T) {
	env := newTestEnvWithoutDeliveryEndpoint(t)
	config := env.config(releasablePackage(t, "pkg", "23456789", `  android = { min_version = "10.1.0" }`) +
		releaseBlock("gray", `
  package_id    = mpaas_offline_package.pkg.id
  memo          = "Testers"
  type          = "grayscale"
  whitelist_ids = ["7", "8"]
  rules         = [{ element = "city", operator = "contains", values = ["Hangzhou"] }]`) +
		previewBlock("alice", "gray", `  platform = "android"
  client_version = "10.1.0"
  user_id = "alice"
  city = "Hangzhou"`) +
		previewBlock("alice_elsewhere", "gray", `  platform = "android"
  client_version = "10.1.0"
  user_id = "alice"
  city = "Beijing"`) +
		previewBlock("bob", "gray", `  platform = "android"
  client_version = "10.1.0"
  user_id = "bob"
  city = "Hangzhou"`) +
		previewBlock("anonymous", "gray", `  platform = "android"
  client_version = "10.1.0"`) +
		`
data "mpaas_delivery_preview" "all_apps" {
  depends_on     = [mpaas_offline_package_release.gray]
  platform       = "android"
  client_version = "10.1.0"
  user_id        = "carol"
  city           = "hangzhou"
}
`)
	var checks []statecheck.StateCheck
	// The API lists no whitelist's members: whoever the user, membership is unknown.
	unknown := func(user string) string {
		return "the members of whitelist 7, 8 cannot be read, so whether user " + user + " is in it is unknown"
	}
	checks = append(checks, expectSkipped("alice", "23456789", unknown("alice"))...)
	checks = append(checks, expectSkipped("alice_elsewhere", "23456789", unknown("alice"))...)
	checks = append(checks, expectSkipped("bob", "23456789", unknown("bob"))...)
	checks = append(checks, expectSkipped("anonymous", "23456789", "grayscale whitelist release and no user_id given")...)
	checks = append(checks, expectSkipped("all_apps", "23456789", unknown("carol"))...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks, Check: env.expectDeliveryEndpointOff()}},
	})
}

func TestAccDeliveryPreview_errorsAndEmptyAnswers(t *testing.T) {
	env := newTestEnvWithoutDeliveryEndpoint(t)
	notFound := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notFound.Close)
	preview := `
data "mpaas_delivery_preview" "p" {
  platform       = "android"
  client_version = "10.1.0"
}
`
	withEndpoint := func(endpoint string) string {
		return strings.Replace(env.providerBlock(), fmt.Sprintf("endpoint     = %q", env.server.URL), fmt.Sprintf("endpoint     = %q", endpoint), 1) + preview
	}
	missingApp := `
data "mpaas_delivery_preview" "missing" {
  platform       = "ios"
  client_version = "10.1.0"
  h5app_id       = "87654321"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      withEndpoint(notFound.URL),
				ExpectError: expectError("Cannot preview deliveries", "ListMcubeNebulaApps"),
			},
			{
				Config:      env.config(strings.Replace(preview, `"10.1.0"`, `"ten"`, 1)),
				ExpectError: expectError("Invalid client_version", "dot-separated numbers"),
			},
			{
				Config:      env.config(strings.Replace(preview, `"10.1.0"`, `"10.1.0"`+"\n  os_version = \"13.x\"", 1)),
				ExpectError: expectError("Invalid os_version", "dot-separated numbers"),
			},
			{
				Config: env.config(preview + missingApp),
				ConfigStateChecks: append([]statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mpaas_delivery_preview.p", tfjsonpath.New("packages"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.mpaas_delivery_preview.p", tfjsonpath.New("skipped"), knownvalue.ListSizeExact(0)),
				}, expectSkipped("missing", "87654321", "no such H5App")...),
				Check: func(*terraform.State) error {
					if n := env.emulator.Stats()[mpaas.ActionListNebulaApps]; n == 0 {
						return fmt.Errorf("the H5Apps were not listed through the API")
					}
					return nil
				},
			},
		},
	})
}
