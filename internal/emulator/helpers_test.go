package emulator

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

const (
	testKeyID  = "testid"
	testSecret = "testsecret"
)

var testStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// env is one emulator behind an httptest server with a settable clock.
type env struct {
	t     *testing.T
	dir   string
	now   time.Time
	srv   *Server
	ts    *httptest.Server
	scope url.Values
	nonce atomic.Int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, filepath.Join(t.TempDir(), "data"), nil)
}

func newEnvAt(t *testing.T, dir string, tweak func(*Options)) *env {
	t.Helper()
	e := &env{t: t, dir: dir, now: testStart}
	opts := Options{
		DataDir:     dir,
		Credentials: []Credential{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}},
		Now:         func() time.Time { return e.now },
	}
	if tweak != nil {
		tweak(&opts)
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	t.Cleanup(func() {
		e.ts.Close()
		_ = srv.Close()
	})
	e.scope = url.Values{"AppId": {"ONEX570DA89211721"}, "WorkspaceId": {"default"}, "TenantId": {"TNTABCDE"}}
	return e
}

// reopen starts a new Server on the same data folder (a restart).
func (e *env) reopen() *env {
	e.t.Helper()
	e.ts.Close()
	n := newEnvAt(e.t, e.dir, nil)
	n.now = e.now
	n.nonce.Store(e.nonce.Load() + 1000)
	return n
}

func (e *env) params(kv ...string) url.Values {
	p := url.Values{}
	for k, v := range e.scope {
		p[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

func (e *env) nextNonce() string { return fmt.Sprintf("%032x", e.nonce.Add(1)) }

// signing lets a test break one part of a request.
type signing struct {
	keyID, secret string
	date          time.Time
	nonce         string
	version       string
	token         string
	mutate        func(*http.Request)
}

func (e *env) defaults(s signing) signing {
	if s.keyID == "" {
		s.keyID = testKeyID
	}
	if s.secret == "" {
		s.secret = testSecret
	}
	if s.date.IsZero() {
		s.date = e.now
	}
	if s.nonce == "" {
		s.nonce = e.nextNonce()
	}
	if s.version == "" {
		s.version = mpaas.APIVersion
	}
	return s
}

// requestV3 builds a signed V3 request the way the Go SDK does.
func (e *env) requestV3(action string, params url.Values, s signing) *http.Request {
	e.t.Helper()
	s = e.defaults(s)
	body := params.Encode()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	sum := mpaas.HexSHA256([]byte(body))
	headers := map[string]string{
		"host":                  req.URL.Host,
		"content-type":          "application/x-www-form-urlencoded",
		"x-acs-action":          action,
		"x-acs-version":         s.version,
		"x-acs-date":            s.date.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": s.nonce,
		"x-acs-content-sha256":  sum,
	}
	if s.token != "" {
		headers["x-acs-security-token"] = s.token
	}
	for k, v := range headers {
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("Authorization", mpaas.AuthorizationV3(s.keyID, s.secret, http.MethodPost, "/", url.Values{}, headers, sum))
	if s.mutate != nil {
		s.mutate(req)
	}
	return req
}

// requestV1 builds a signed V1 (HMAC-SHA1) request the way the Go SDK does
// with SignatureAlgorithm "v2".
func (e *env) requestV1(action string, params url.Values, s signing) *http.Request {
	e.t.Helper()
	s = e.defaults(s)
	query := url.Values{
		"Action": {action}, "Format": {"json"}, "Version": {s.version},
		"Timestamp": {s.date.UTC().Format("2006-01-02T15:04:05Z")}, "SignatureNonce": {s.nonce},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"}, "AccessKeyId": {s.keyID},
	}
	if s.token != "" {
		query.Set("SecurityToken", s.token)
	}
	merged := url.Values{}
	for k, v := range query {
		merged[k] = v
	}
	for k, v := range params {
		merged[k] = v
	}
	query.Set("Signature", mpaas.SignV1(s.secret, mpaas.StringToSignV1(http.MethodPost, merged)))
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/?"+query.Encode(), strings.NewReader(params.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if s.mutate != nil {
		s.mutate(req)
	}
	return req
}

func (e *env) send(req *http.Request) (int, []byte) {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, body
}

// call sends a V3 request that must get HTTP 200 and decodes it into out.
func (e *env) call(action string, params url.Values, out any) {
	e.t.Helper()
	status, body := e.send(e.requestV3(action, params, signing{}))
	if status != http.StatusOK {
		e.t.Fatalf("%s: HTTP %d: %s", action, status, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		e.t.Fatalf("%s: decoding %s: %v", action, body, err)
	}
}

// expectGateway checks a gateway error's status and code.
func expectGateway(t *testing.T, status int, body []byte, wantStatus int, wantCode string) gatewayErrorBody {
	t.Helper()
	var ge gatewayErrorBody
	if err := json.Unmarshal(body, &ge); err != nil {
		t.Fatalf("decoding gateway error %s: %v", body, err)
	}
	if status != wantStatus || ge.Code != wantCode {
		t.Fatalf("got HTTP %d %q (%s), want HTTP %d %q", status, ge.Code, ge.Message, wantStatus, wantCode)
	}
	if ge.RequestId == "" || ge.HostId != "mpaas.aliyuncs.com" {
		t.Fatalf("gateway error lacks RequestId or HostId: %s", body)
	}
	return ge
}

func expectOK(t *testing.T, env envelope, r nebulaResult) {
	t.Helper()
	if env.ResultCode != "OK" || !r.Success || r.RequestId != env.RequestId || env.RequestId == "" {
		t.Fatalf("want success, got envelope %+v result %+v", env, r)
	}
}

func expectBiz(t *testing.T, env envelope, r nebulaResult, code string) {
	t.Helper()
	if env.ResultCode != "OK" || r.Success || r.ErrorCode != code || r.ResultMsg == "" || r.RequestId != env.RequestId {
		t.Fatalf("want business error %s, got envelope %+v result %+v", code, env, r)
	}
}

func (e *env) createApp(h5ID, name string) createMcubeNebulaAppResponse {
	e.t.Helper()
	var resp createMcubeNebulaAppResponse
	e.call(mpaas.ActionCreateNebulaApp, e.params("H5Id", h5ID, "H5Name", name), &resp)
	return resp
}

func (e *env) mustCreateApp(h5ID, name string) {
	e.t.Helper()
	resp := e.createApp(h5ID, name)
	expectOK(e.t, resp.envelope, *resp.CreateNebulaAppResult)
}

// makeZip writes a zip with the given entries (name -> content) and returns its path.
func makeZip(t *testing.T, entries map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pkg.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, content := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func normalZip(t *testing.T, h5ID string) string {
	return makeZip(t, map[string]string{
		h5ID + "/www/index.html": "<html>hello</html>",
		h5ID + "/www/app.js":     "console.log(1)",
	})
}

func (e *env) fileToken() fileToken {
	e.t.Helper()
	var resp getMcubeFileTokenResponse
	e.call(mpaas.ActionGetFileToken, e.params("OnexFlag", "true"), &resp)
	if resp.ResultCode != "OK" || resp.GetFileTokenResult == nil || !resp.GetFileTokenResult.Success || resp.GetFileTokenResult.FileToken == nil {
		e.t.Fatalf("GetMcubeFileToken failed: %+v", resp)
	}
	return *resp.GetFileTokenResult.FileToken
}

// postObject uploads content as an OSS PostObject form with the given fields.
func (e *env) postObject(host string, fields [][2]string, content io.Reader) (int, []byte) {
	e.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, f := range fields {
			if err := mw.WriteField(f[0], f[1]); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		if content != nil {
			fw, err := mw.CreateFormFile("file", "pkg.zip")
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			if _, err := io.Copy(fw, content); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req, err := http.NewRequest(http.MethodPost, host, pr)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func tokenFields(tok fileToken, key string) [][2]string {
	return [][2]string{
		{"key", key}, {"policy", tok.Policy}, {"OSSAccessKeyId", tok.Accessid},
		{"success_action_status", "200"}, {"Signature", tok.Signature},
	}
}

// upload sends a local file through the token flow and returns its FileUrl.
func (e *env) upload(path string) string {
	e.t.Helper()
	tok := e.fileToken()
	f, err := os.Open(path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	key := tok.Dir + filepath.Base(path)
	status, body := e.postObject(tok.Host, tokenFields(tok, key), f)
	if status != http.StatusOK {
		e.t.Fatalf("upload: HTTP %d: %s", status, body)
	}
	return tok.Host + "/" + key
}

// resourceParams are the parameters of a valid CreateMcubeNebulaResource.
func (e *env) resourceParams(h5ID, version, fileURL string, kv ...string) url.Values {
	p := e.params(
		"H5Id", h5ID, "H5Name", "demo", "H5Version", version, "ResourceType", "0",
		"Platform", "Android", "ClientVersionMin", "10.1.0", "ClientVersionMax", "",
		"FileUrl", fileURL, "MainUrl", "/www/index.html", "AutoInstall", "1", "InstallType", "1", "OnexFlag", "true",
	)
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

func (e *env) createResource(p url.Values) createMcubeNebulaResourceResponse {
	e.t.Helper()
	var resp createMcubeNebulaResourceResponse
	e.call(mpaas.ActionCreateNebulaResource, p, &resp)
	if resp.CreateMcubeNebulaResourceReslult == nil {
		e.t.Fatalf("no CreateMcubeNebulaResourceReslult in %+v", resp)
	}
	return resp
}

// mustCreatePackage uploads a valid zip and creates a package; returns its id.
func (e *env) mustCreatePackage(h5ID, version string, kv ...string) string { //nolint:unparam // version is spelled out at each call on purpose
	e.t.Helper()
	fileURL := e.upload(normalZip(e.t, h5ID))
	resp := e.createResource(e.resourceParams(h5ID, version, fileURL, kv...))
	expectOK(e.t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	return resp.CreateMcubeNebulaResourceReslult.NebulaResourceId
}

func ioNopCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
