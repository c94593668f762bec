package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Secrets of the log-leak test: long and distinctive, so a match is a leak.
const (
	leakSecretKey     = "leak-secret-key-6b1f0c9a7e3d42d8a5c1"
	leakSecurityToken = "leak-sts-token-CAIS8f7e2d1c0b9a8f7e6d5c4b3a2f1e0d"
)

// signatureRecorder wraps the emulator and remembers every signature a
// request carried: the V3 Authorization Signature, the V1 Signature query
// parameter, and the OSS policy Signature of an upload.
type signatureRecorder struct {
	next http.Handler
	mu   sync.Mutex
	sigs map[string]bool
}

func (s *signatureRecorder) add(v string) {
	if len(v) < 8 {
		return
	}
	s.mu.Lock()
	s.sigs[v] = true
	s.mu.Unlock()
}

func (s *signatureRecorder) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.sigs))
	for v := range s.sigs {
		out = append(out, v)
	}
	return out
}

func (s *signatureRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if parsed, ok := mpaas.ParseAuthorizationV3(r.Header.Get("Authorization")); ok {
		s.add(parsed.Signature)
	}
	if sig := r.URL.Query().Get("Signature"); sig != "" {
		s.add(sig)
		s.add(url.QueryEscape(sig))
		s.add(mpaas.PercentEncode(sig))
	}
	if mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mediaType == "multipart/form-data" {
		body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
		if err == nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
			for {
				part, err := mr.NextPart()
				if err != nil {
					break
				}
				if strings.EqualFold(part.FormName(), "Signature") {
					v, _ := io.ReadAll(part)
					s.add(string(v))
				}
			}
		}
	}
	s.next.ServeHTTP(w, r)
}

// leakEnv is an emulator that requires an STS token, behind a recorder.
type leakEnv struct {
	server   *httptest.Server
	recorder *signatureRecorder
}

func newLeakEnv(t *testing.T) *leakEnv {
	t.Helper()
	emu, err := emulator.New(emulator.Options{
		DataDir: t.TempDir(),
		Credentials: []emulator.Credential{{
			AccessKeyID: testAccessKeyID, AccessKeySecret: leakSecretKey, SecurityToken: leakSecurityToken,
		}},
	})
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	rec := &signatureRecorder{next: emu, sigs: map[string]bool{}}
	server := httptest.NewServer(rec)
	t.Cleanup(func() {
		server.Close()
		_ = emu.Close()
	})
	return &leakEnv{server: server, recorder: rec}
}

// hclSecretLines are the configuration lines that hold the secrets when
// they are written in HCL.
var hclSecretLines = []string{
	fmt.Sprintf("secret_key        = %q", leakSecretKey),
	fmt.Sprintf("security_token    = %q", leakSecurityToken),
}

// config writes the secrets into the provider block (inHCL) or leaves them
// to the environment variables.
func (e *leakEnv) config(signatureVersion, zipPath string, inHCL bool) string {
	secrets := "  # secret_key and security_token come from the environment"
	if inHCL {
		secrets = "  " + strings.Join(hclSecretLines, "\n  ")
	}
	return requiredProviders + fmt.Sprintf(`
provider "mpaas" {
  endpoint          = %q
  access_key        = %q
%s
  app_id            = %q
  workspace_id      = %q
  tenant_id         = %q
  signature_version = %q
  max_retries       = 1
}

resource "mpaas_h5app" "app" {
  h5app_id = "23456789"
  name     = "Leak test"
}

resource "mpaas_offline_package" "pkg" {
  h5app_id                = "34567890"
  create_h5app_if_missing = true
  resource_type           = "normal"
  source                  = %q
  android                 = { min_version = "10.1.0" }
}
`, e.server.URL, testAccessKeyID, secrets, testAppID, testWorkspaceID, testTenantID, signatureVersion, zipPath)
}

// secretForms are the ways a secret could appear in text: raw, and
// percent-encoded as in a V1 query or a string to sign.
func secretForms(secret string) []string {
	forms := []string{secret, url.QueryEscape(secret), mpaas.PercentEncode(secret), mpaas.PercentEncode(mpaas.PercentEncode(secret))}
	seen := map[string]bool{}
	var out []string
	for _, f := range forms {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// noSecretsIn fails when text holds the secret key, the token or a signature.
func noSecretsIn(t *testing.T, what, text string, signatures []string) {
	t.Helper()
	for name, secret := range map[string]string{"secret key": leakSecretKey, "security token": leakSecurityToken} {
		for _, form := range secretForms(secret) {
			if strings.Contains(text, form) {
				t.Errorf("%s contains the %s (as %q)", what, name, form)
			}
		}
	}
	for _, sig := range signatures {
		if strings.Contains(text, sig) {
			t.Errorf("%s contains the request signature %q", what, sig)
		}
	}
}

// jsonLeakCheck is a plan and state check that marshals what Terraform shows
// and scans it; it keeps the texts for a final scan with every signature.
type jsonLeakCheck struct {
	mu    sync.Mutex
	texts map[string]string
}

func (c *jsonLeakCheck) keep(what string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.texts[what] += string(data)
	c.mu.Unlock()
	return nil
}

// leakPlanCheck keeps the plan. Without configuration, it drops the plan's
// "configuration" section, where Terraform itself shows every constant of
// the configuration (secrets written in HCL included); the planned values,
// prior state, resource changes and variables stay.
type leakPlanCheck struct {
	c                    *jsonLeakCheck
	withoutConfiguration bool
}

func (p leakPlanCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	if p.withoutConfiguration {
		plan.Config = nil
	}
	resp.Error = p.c.keep("plan", plan)
}

type leakStateCheck struct{ c *jsonLeakCheck }

func (s leakStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = s.c.keep("state", req.State)
}

// TestLogsStateAndPlanHoldNoSecrets applies an H5App and an offline package
// (with an app created on the fly) using an STS credential, with TRACE logs
// of Terraform and of the provider in one file, and checks that neither the
// logs, nor the plan, nor the state contain the secret key, the security
// token, or any signature the requests carried. Not parallel: it sets the
// environment.
func TestLogsStateAndPlanHoldNoSecrets(t *testing.T) {
	for _, tc := range []struct {
		name, version string
		inHCL         bool
	}{
		{"v3 env", mpaas.SignatureVersionV3, false},
		{"v1 env", mpaas.SignatureVersionV1, false},
		{"v3 hcl", mpaas.SignatureVersionV3, true},
		{"v1 hcl", mpaas.SignatureVersionV1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newLeakEnv(t)
			dir := t.TempDir()
			logPath := filepath.Join(dir, "terraform.log")
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_LOG_PATH", logPath)
			t.Setenv("TF_ACC_LOG_PATH", logPath) // Terraform's own logs, through terraform-exec
			for _, name := range []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"} {
				t.Setenv(name, "")
			}
			if !tc.inHCL {
				t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", leakSecretKey)
				t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", leakSecurityToken)
			}
			zipPath := writeZip(t, dir, "34567890.zip", map[string]string{
				"34567890/www/index.html": "<html>leak test</html>",
			})
			checks := &jsonLeakCheck{texts: map[string]string{}}
			planCheck := leakPlanCheck{c: checks, withoutConfiguration: tc.inHCL}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.config(tc.version, zipPath, tc.inHCL),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{planCheck},
						PostApplyPostRefresh: []plancheck.PlanCheck{planCheck, plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{leakStateCheck{checks}},
				}},
			})
			signatures := env.recorder.list()
			if len(signatures) < 5 {
				t.Fatalf("only %d signatures were recorded; the recorder is broken", len(signatures))
			}
			logData, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatalf("reading the log: %v", err)
			}
			logText := string(logData)
			// The log must really hold Terraform's and the provider's
			// TRACE/DEBUG output, or the test proves nothing.
			for _, want := range []string{"[TRACE]", "mPaaS API request", mpaas.ActionCreateNebulaResource, "OSS upload"} {
				if !strings.Contains(logText, want) {
					t.Fatalf("the log (%d bytes) lacks %q: the logs did not reach it", len(logData), want)
				}
			}
			if tc.inHCL {
				// Terraform echoes the configuration files at TRACE: the
				// lines that hold the secrets in HCL are dropped, anything
				// else must not show them.
				for _, line := range hclSecretLines {
					logText = strings.ReplaceAll(logText, line, "")
				}
			}
			noSecretsIn(t, "the TRACE log", logText, signatures)
			if checks.texts["plan"] == "" || checks.texts["state"] == "" {
				t.Fatal("the plan or state check did not run")
			}
			noSecretsIn(t, "the plan", checks.texts["plan"], signatures)
			noSecretsIn(t, "the state", checks.texts["state"], signatures)
		})
	}
}
