package provider

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func rsaKeyPEM(t *testing.T, pkcs8 bool) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	if !pkcs8 {
		return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// keyFragments are pieces of a PEM key that must never show up in a plan or state.
func keyFragments(pemText string) []string {
	lines := strings.Split(strings.TrimSpace(pemText), "\n")
	return []string{lines[1], lines[len(lines)/2], lines[len(lines)-2]}
}

// noSecretsCheck fails when any fragment appears in the JSON of a plan or state.
type noSecretsCheck struct {
	what      string
	fragments []string
}

func (c noSecretsCheck) find(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	for _, fragment := range c.fragments {
		if i := strings.Index(string(raw), fragment); i >= 0 {
			return fmt.Errorf("the %s contains the private key (%q) after %s", c.what, fragment, string(raw)[max(0, i-200):i])
		}
	}
	if strings.Contains(string(raw), "PRIVATE KEY") {
		return fmt.Errorf("the %s contains a PEM private key header", c.what)
	}
	return nil
}

func (c noSecretsCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.find(req.State)
}

// CheckPlan looks at the planned values, changes and prior state. The plan's
// "configuration" section is left out: Terraform copies literal expressions
// there, which is why examples read the key with file() or an ephemeral value.
func (c noSecretsCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	plan.Config = nil
	resp.Error = c.find(&plan)
}

func signingKeyConfig(env *testEnv, key string, version int) string {
	return env.config(fmt.Sprintf(`
resource "mpaas_offline_package_signing_key" "key" {
  private_key_wo         = <<EOT
%sEOT
  private_key_wo_version = %d
}
`, key, version))
}

func (e *testEnv) expectRsaUploads(want int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.emulator.Stats()["UploadMcubeRsaKey"]; got != want {
			return fmt.Errorf("UploadMcubeRsaKey called %d times, want %d", got, want)
		}
		exists, err := e.client.ExistRsaKey(context.Background())
		if err != nil || !exists {
			return fmt.Errorf("ExistRsaKey = %v, %v", exists, err)
		}
		return nil
	}
}

// expectStoredKey checks that the workspace's signing key in the emulator
// is, byte for byte, the key configured.
func (e *testEnv) expectStoredKey(key string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stored, err := e.emulator.StoredRsaKey(testAppID, testWorkspaceID, testTenantID)
		if err != nil {
			return err
		}
		if string(stored) != key {
			return fmt.Errorf("the emulator holds a %d-byte key that is not the %d-byte key configured", len(stored), len(key))
		}
		return nil
	}
}

func TestAccSigningKey_writeOnly(t *testing.T) {
	env := newTestEnv(t)
	first, second := rsaKeyPEM(t, false), rsaKeyPEM(t, true)
	secrets := append(keyFragments(first), keyFragments(second)...)
	stateClean := noSecretsCheck{what: "state", fragments: secrets}
	planClean := noSecretsCheck{what: "plan", fragments: secrets}
	const addr = "mpaas_offline_package_signing_key.key"

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// The API cannot delete the key: destroy leaves it in place.
		CheckDestroy: env.expectRsaUploads(2),
		Steps: []resource.TestStep{
			{
				Config:           signingKeyConfig(env, first, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planClean}},
				ConfigStateChecks: []statecheck.StateCheck{
					stateClean,
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(testAppID+"/"+testWorkspaceID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("exists"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("private_key_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("private_key_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.expectRsaUploads(1), env.expectStoredKey(first)),
			},
			{
				// Another key under the same version: write-only values never diff, nothing is uploaded.
				Config:           signingKeyConfig(env, second, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), planClean}},
				Check:            resource.ComposeAggregateTestCheckFunc(env.expectRsaUploads(1), env.expectStoredKey(first)),
			},
			{
				// A new version uploads the key again, in place.
				Config: signingKeyConfig(env, second, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate), planClean,
				}},
				ConfigStateChecks: []statecheck.StateCheck{stateClean},
				Check:             resource.ComposeAggregateTestCheckFunc(env.expectRsaUploads(2), env.expectStoredKey(second)),
			},
		},
	})
}

func TestAccSigningKey_invalidKeys(t *testing.T) {
	env := newTestEnv(t)
	first := rsaKeyPEM(t, false)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      signingKeyConfig(env, "not a key\n", 3),
				PlanOnly:    true,
				ExpectError: expectError("Invalid RSA private key", "is not PEM"),
			},
			{
				Config:      signingKeyConfig(env, ecPEM, 3),
				PlanOnly:    true,
				ExpectError: expectError("Invalid RSA private key", "RSA key"),
			},
			{
				Config:      signingKeyConfig(env, strings.Replace(first, "MII", "XXX", 1), 3),
				PlanOnly:    true,
				ExpectError: expectError("Invalid RSA private key", "PKCS#1"),
			},
		},
	})
}
