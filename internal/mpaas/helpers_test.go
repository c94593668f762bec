package mpaas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testKeyID   = "testid"
	testSecret  = "sEcReT-value-0123456789"
	testToken   = "STS.tOkEn/with+special=chars"
	testAppID   = "ONEX570DA89211721"
	testWS      = "default"
	testTenant  = "TNTABCDE"
	testUA      = "terraform-provider-mpaas/9.9.9-test"
	testOKReqID = "REQ-OK-1"
)

// recorded is one request as the fake API saw it, after verifying its signature.
type recorded struct {
	Action    string
	Version   string
	Form      url.Values
	Query     url.Values
	Header    http.Header
	Host      string
	Body      string
	Signature string
	Nonce     string
}

// fakeAPI is an httptest server that checks every request the way the
// emulator must (signature V3 or V1 recomputed with sign.go), records it,
// and lets the test answer.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	secret string

	mu       sync.Mutex
	requests []recorded
	handler  func(n int, req recorded, w http.ResponseWriter)
}

func newFakeAPI(t *testing.T, handler func(n int, req recorded, w http.ResponseWriter)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, secret: testSecret, handler: handler}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	rec, err := verifyRequest(r, body, f.secret)
	if err != nil {
		f.t.Errorf("fake API rejected request: %v", err)
		writeJSON(w, 400, gatewayError{Code: "SignatureDoesNotMatch", Message: flexString(err.Error()), RequestId: "REQ-SIG"})
		return
	}
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, rec)
	f.mu.Unlock()
	f.handler(n, rec, w)
}

func (f *fakeAPI) recorded() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

// verifyRequest checks the transport-level contract and the signature.
func verifyRequest(r *http.Request, body []byte, secret string) (recorded, error) {
	rec := recorded{Header: r.Header.Clone(), Host: r.Host, Body: string(body), Query: r.URL.Query()}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return rec, fmt.Errorf("want POST /, got %s %s", r.Method, r.URL.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != formContentType {
		return rec, fmt.Errorf("content-type %q", ct)
	}
	if a := r.Header.Get("Accept"); a != "application/json" {
		return rec, fmt.Errorf("accept %q", a)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return rec, fmt.Errorf("form body: %w", err)
	}
	rec.Form = form

	if auth := r.Header.Get("Authorization"); auth != "" {
		parsed, ok := ParseAuthorizationV3(auth)
		if !ok {
			return rec, fmt.Errorf("malformed Authorization %q", auth)
		}
		if parsed.Credential != testKeyID {
			return rec, fmt.Errorf("credential %q", parsed.Credential)
		}
		if got := r.Header.Get("x-acs-content-sha256"); got != HexSHA256(body) {
			return rec, fmt.Errorf("content sha256 %q does not match body", got)
		}
		headers := map[string]string{}
		for _, name := range parsed.SignedHeaders {
			if name == "host" {
				headers[name] = r.Host
			} else {
				headers[name] = r.Header.Get(name)
			}
		}
		for _, must := range []string{"host", "content-type", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
			if _, ok := headers[must]; !ok {
				return rec, fmt.Errorf("header %s not signed (signed: %v)", must, parsed.SignedHeaders)
			}
		}
		if r.Header.Get("x-acs-security-token") != "" {
			for _, must := range []string{"x-acs-security-token", "x-acs-accesskey-id"} {
				if _, ok := headers[must]; !ok {
					return rec, fmt.Errorf("header %s not signed", must)
				}
			}
		}
		want := AuthorizationV3(parsed.Credential, secret, r.Method, r.URL.Path, r.URL.Query(), headers, HexSHA256(body))
		if want != auth {
			return rec, fmt.Errorf("V3 signature mismatch:\n got %s\nwant %s", auth, want)
		}
		if _, err := time.Parse(timestampLayout, r.Header.Get("x-acs-date")); err != nil {
			return rec, fmt.Errorf("x-acs-date: %w", err)
		}
		if len(r.URL.RawQuery) != 0 {
			return rec, fmt.Errorf("V3 query must be empty, got %q", r.URL.RawQuery)
		}
		rec.Action = r.Header.Get("x-acs-action")
		rec.Version = r.Header.Get("x-acs-version")
		rec.Signature = parsed.Signature
		rec.Nonce = r.Header.Get("x-acs-signature-nonce")
		return rec, nil
	}

	query := r.URL.Query()
	if query.Get("Signature") == "" {
		return rec, fmt.Errorf("no Authorization header and no Signature parameter")
	}
	all := url.Values{}
	for k, v := range form {
		all[k] = v
	}
	for k, v := range query {
		all[k] = v
	}
	want := SignV1(secret, StringToSignV1(r.Method, all))
	if query.Get("Signature") != want {
		return rec, fmt.Errorf("V1 signature mismatch: got %s want %s", query.Get("Signature"), want)
	}
	for name, value := range map[string]string{"Format": "json", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "AccessKeyId": testKeyID} {
		if query.Get(name) != value {
			return rec, fmt.Errorf("V1 query %s=%q, want %q", name, query.Get(name), value)
		}
	}
	if _, err := time.Parse(timestampLayout, query.Get("Timestamp")); err != nil {
		return rec, fmt.Errorf("Timestamp: %w", err)
	}
	rec.Action = query.Get("Action")
	rec.Version = query.Get("Version")
	rec.Signature = query.Get("Signature")
	rec.Nonce = query.Get("SignatureNonce")
	return rec, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func okEnvelope() responseEnvelope {
	return responseEnvelope{RequestId: testOKReqID, ResultCode: resultCodeOK}
}

func okNebula() *nebulaResult { return &nebulaResult{Success: flexBoolOf(true), RequestId: "INNER-OK"} }

// sleepRecorder replaces Config.Sleep.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// captureLogger records every Debug call.
type captureLogger struct {
	mu    sync.Mutex
	lines []string
	calls []map[string]any
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %v", msg, fields))
	l.calls = append(l.calls, fields)
}

func (l *captureLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func testConfig(endpoint string) Config {
	return Config{
		Endpoint:        endpoint,
		AccessKeyID:     testKeyID,
		AccessKeySecret: testSecret,
		AppID:           testAppID,
		WorkspaceID:     testWS,
		TenantID:        testTenant,
		UserAgent:       testUA,
		MaxRetries:      3,
	}
}

func newTestClient(t *testing.T, endpoint string, mods ...func(*Config)) (*Client, *sleepRecorder) {
	t.Helper()
	cfg := testConfig(endpoint)
	rec := &sleepRecorder{}
	cfg.Sleep = rec.sleep
	for _, mod := range mods {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, rec
}

// upload is uploadAs under objectKey(string(token.Dir), fileName), with a token the
// test chose.
func (c *Client) upload(ctx context.Context, token *fileToken, fileName string, size int64, open func() (io.ReadCloser, error)) (string, error) {
	if token == nil {
		return "", errors.New("upload: no file token")
	}
	if err := checkUploadFileName(fileName); err != nil {
		return "", err
	}
	return c.uploadAs(ctx, token, objectKey(string(token.Dir), fileName), fileName, size, open)
}
