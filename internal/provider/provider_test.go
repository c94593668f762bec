package provider

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

const (
	testAccessKeyID     = "LTAItestaccesskey"
	testAccessKeySecret = "test-secret-never-logged-9f2c"
	testAppID           = "ONEX570DA89211721"
	testWorkspaceID     = "default"
	testTenantID        = "TNTABCDE"
)

// TestMain serves the provider under its real address, registry.terraform.io/mpaas-tf/mpaas,
// so configurations (and modules such as examples/modules/batch-import) can
// declare source = "mpaas-tf/mpaas" as users do. resource.TestMain runs the
// tests, or with -sweep=<region> the sweepers (acc_target_test.go).
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "mpaas-tf")
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	resource.TestMain(withHashCacheDir{m})
}

// withHashCacheDir runs the tests with the digests the provider remembers
// between runs in a temporary folder, out of the user's cache folder.
type withHashCacheDir struct{ m *testing.M }

func (w withHashCacheDir) Run() int {
	cacheDir, err := os.MkdirTemp("", "mpaas-hash-cache-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(cacheDir)
	_ = os.Setenv(offlinepkg.HashCacheDirEnv, cacheDir)
	return w.m.Run()
}

// requiredProviders pins the provider's source address in a test configuration.
const requiredProviders = `
terraform {
  required_providers {
    mpaas = {
      source = "mpaas-tf/mpaas"
    }
  }
}
`

var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"mpaas": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is an in-process emulator with its own data folder, so tests can
// run in parallel without seeing each other's apps.
type testEnv struct {
	t        *testing.T
	server   *httptest.Server
	emulator *emulator.Server
	client   *mpaas.Client
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, func(*emulator.Options) {})
}

// testDialectEnv names the dialect every test emulator answers in:
// "sdk-lenient" (make testacc-lenient) for the SDK-lenient dialect
// (emulator.Quirks.SDKLenient: numbers as strings, FileSize as a number,
// bools as strings, times as epoch milliseconds), unset for the plain one.
const testDialectEnv = "MPAAS_TEST_EMULATOR_DIALECT"

// applyTestDialect sets the dialect testDialectEnv names on a test emulator.
func applyTestDialect(t *testing.T, opts *emulator.Options) {
	t.Helper()
	switch dialect := os.Getenv(testDialectEnv); dialect {
	case "", "plain":
	case "sdk-lenient":
		opts.Quirks.SDKLenient = true
	default:
		t.Fatalf("%s=%q: use sdk-lenient or plain", testDialectEnv, dialect)
	}
}

// providerBlock configures the provider against this environment's emulator.
func (e *testEnv) providerBlock(extra ...string) string {
	return requiredProviders + fmt.Sprintf(`
provider "mpaas" {
  endpoint     = %q
  access_key   = %q
  secret_key   = %q
  app_id       = %q
  workspace_id = %q
  tenant_id    = %q
  max_retries  = 1
%s
}
`, e.server.URL, testAccessKeyID, testAccessKeySecret, testAppID, testWorkspaceID, testTenantID, strings.Join(extra, "\n"))
}

// config prepends the provider block to a configuration body.
func (e *testEnv) config(body string) string {
	return e.providerBlock() + body
}

// expectError builds an ExpectError pattern from plain text fragments that
// must appear in order. Terraform wraps diagnostic details at about 80
// columns, so every space in a fragment matches any run of white space.
func expectError(fragments ...string) *regexp.Regexp {
	quoted := make([]string, len(fragments))
	for i, fragment := range fragments {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(fragment)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// bodyCapture keeps the last answer body a client received.
type bodyCapture struct{ last []byte }

func (b *bodyCapture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if b.last, err = io.ReadAll(resp.Body); err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b.last))
	return resp, nil
}

// The test emulators answer in the dialect testDialectEnv names, so that
// make testacc-lenient really runs the suite through the SDK-lenient one.
func TestTestEmulatorsAnswerInTheChosenDialect(t *testing.T) {
	env := newTestEnv(t)
	capture := &bodyCapture{}
	client, err := mpaas.New(mpaas.Config{Endpoint: env.server.URL, AccessKeyID: testAccessKeyID, AccessKeySecret: testAccessKeySecret,
		AppID: testAppID, WorkspaceID: testWorkspaceID, TenantID: testTenantID, HTTPClient: &http.Client{Transport: capture}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.ListApps(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	lenient := bytes.Contains(capture.last, []byte(`"Success":"true"`))
	if want := os.Getenv(testDialectEnv) == "sdk-lenient"; lenient != want {
		t.Fatalf("%s=%q, but the emulator answered %s", testDialectEnv, os.Getenv(testDialectEnv), capture.last)
	}
}
