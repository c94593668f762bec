package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

const appConfigOnly = `
resource "mpaas_h5app" "test" {
  h5app_id = "12345678"
  name     = "x"
}
`

// clearProviderEnv makes sure no credentials leak in from the environment.
func clearProviderEnv(t *testing.T) {
	for _, setting := range providerSettings {
		for _, name := range setting.envVars {
			t.Setenv(name, "")
		}
	}
}

func TestAccProvider_missingSettingsNameEachAttribute(t *testing.T) {
	clearProviderEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: requiredProviders + `provider "mpaas" {}` + appConfigOnly, PlanOnly: true,
				ExpectError: expectError("Missing access_key", "ALIBABA_CLOUD_ACCESS_KEY_ID")},
			{Config: requiredProviders + `provider "mpaas" {}` + appConfigOnly, PlanOnly: true,
				ExpectError: expectError("Missing secret_key", "ALIBABA_CLOUD_ACCESS_KEY_SECRET")},
			{Config: requiredProviders + `provider "mpaas" {}` + appConfigOnly, PlanOnly: true,
				ExpectError: expectError("Missing app_id", "MPAAS_APP_ID")},
			{Config: requiredProviders + `provider "mpaas" {}` + appConfigOnly, PlanOnly: true,
				ExpectError: expectError("Missing workspace_id", "MPAAS_WORKSPACE_ID")},
			{Config: requiredProviders + `provider "mpaas" {}` + appConfigOnly, PlanOnly: true,
				ExpectError: expectError("Missing tenant_id", "MPAAS_TENANT_ID")},
		},
	})
}

func TestAccProvider_environmentFallbacks(t *testing.T) {
	clearProviderEnv(t)
	env := newTestEnv(t)
	t.Setenv("MPAAS_ENDPOINT", env.server.URL)
	t.Setenv("ALICLOUD_ACCESS_KEY", testAccessKeyID) // second in precedence
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", testAccessKeySecret)
	t.Setenv("ALICLOUD_SECRET_KEY", "wrong-secret-lower-precedence")
	t.Setenv("MPAAS_APP_ID", testAppID)
	t.Setenv("MPAAS_WORKSPACE_ID", testWorkspaceID)
	t.Setenv("MPAAS_TENANT_ID", testTenantID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: requiredProviders + `provider "mpaas" {}` + appConfigOnly}},
	})
}

func TestAccProvider_refusesPlainHTTPToRemoteHost(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: requiredProviders + `
provider "mpaas" {
  endpoint     = "http://mpaas.example.com"
  access_key   = "a"
  secret_key   = "b"
  app_id       = "c"
  workspace_id = "d"
  tenant_id    = "e"
}
` + appConfigOnly,
				PlanOnly:    true,
				ExpectError: expectError("Invalid endpoint", "only allowed for loopback hosts"),
			},
			{
				Config:      strings.Replace(env.providerBlock(), "max_retries  = 1", "max_retries  = 21", 1) + appConfigOnly,
				PlanOnly:    true,
				ExpectError: expectError("max_retries", "between 0 and 20"),
			},
			{
				Config:      env.providerBlock(`signature_version = "v2"`) + appConfigOnly,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`signature_version`),
			},
		},
	})
}

// TestAccProvider_signatureV1: with signature_version = "v1" every call the
// emulator accepts was signed with HMAC-SHA1 (it counts the algorithm of each
// call), not merely answered.
func TestAccProvider_signatureV1(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerBlock(`signature_version = "v1"`) + appConfigOnly,
			Check:  env.expectSignedOnlyWith(mpaas.AlgorithmV1, mpaas.AlgorithmV3),
		}},
	})
}

// TestAccProvider_signatureV3ByDefault: without signature_version every call
// is signed with ACS3-HMAC-SHA256.
func TestAccProvider_signatureV3ByDefault(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(appConfigOnly),
			Check:  env.expectSignedOnlyWith(mpaas.AlgorithmV3, mpaas.AlgorithmV1),
		}},
	})
}

// expectSignedOnlyWith checks that the emulator accepted calls signed with
// algorithm (every API call it counted, at least one) and none with other.
func (e *testEnv) expectSignedOnlyWith(algorithm, other string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stats := e.emulator.Stats()
		var calls int64
		for key, n := range stats { // API actions; not oss:PostObject, signature:..., delivery, download
			if !strings.Contains(key, ":") && key != "delivery" && key != "download" {
				calls += n
			}
		}
		if signed := stats[emulator.SignatureStat(algorithm)]; calls == 0 || signed != calls || stats[emulator.SignatureStat(other)] != 0 {
			return fmt.Errorf("the emulator counted %d API calls, %d signed with %s and %d with %s; want all with %s",
				calls, signed, algorithm, stats[emulator.SignatureStat(other)], other, algorithm)
		}
		return nil
	}
}

// A region chooses the endpoint as the official SDK does (the regions of
// its map: mpaas.aliyuncs.com; others: mpaas.<region>.aliyuncs.com); a value
// that is not a region ID is an error on region that names the fix.
func TestAccProvider_invalidRegionAsksForRegionID(t *testing.T) {
	t.Setenv("MPAAS_ENDPOINT", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: requiredProviders + `
provider "mpaas" {
  region       = "cn hangzhou"
  access_key   = "a"
  secret_key   = "b"
  app_id       = "c"
  workspace_id = "d"
  tenant_id    = "e"
}
` + appConfigOnly,
			PlanOnly:    true,
			ExpectError: expectError("Invalid region", "not an Alibaba Cloud region ID such as cn-hangzhou", "or set endpoint"),
		}},
	})
}

// Wherever the API is needed, an unconfigured provider is one error that
// names what to set (never a silent skip or an empty answer).
func TestRequireClientNamesWhatIsMissing(t *testing.T) {
	var diags diag.Diagnostics
	if requireClient(nil, &diags) || !diags.HasError() {
		t.Fatalf("an unconfigured provider must be an error, got %v", diags)
	}
	for _, setting := range []string{"access_key", "secret_key", "app_id", "workspace_id", "tenant_id", "MPAAS_APP_ID"} {
		if !strings.Contains(diags[0].Detail(), setting) {
			t.Errorf("the error does not name %s: %s", setting, diags[0].Detail())
		}
	}
	configured := newProviderData(newTestEnv(t).client)
	var none diag.Diagnostics
	if !requireClient(configured, &none) || none.HasError() {
		t.Fatalf("a configured provider: %v", none)
	}
}
