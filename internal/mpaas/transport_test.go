package mpaas

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func createAppOK(_ int, _ recorded, w http.ResponseWriter) {
	writeJSON(w, 200, createMcubeNebulaAppResponse{responseEnvelope: okEnvelope(), CreateNebulaAppResult: okNebula()})
}

func TestSignedRequests(t *testing.T) {
	tests := []struct {
		name    string
		version string
		sts     bool
	}{
		{"v3", "v3", false},
		{"v3 default", "", false},
		{"v3 sts", "v3", true},
		{"v1", "v1", false},
		{"v1 sts", "v1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, createAppOK)
			fixed := time.Date(2024, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
			c, _ := newTestClient(t, api.srv.URL, func(cfg *Config) {
				cfg.SignatureVersion = tt.version
				if tt.sts {
					cfg.SecurityToken = testToken
				}
				cfg.Now = func() time.Time { return fixed }
				cfg.NewNonce = func() string { return "0123456789abcdef0123456789abcdef" }
			})
			if err := c.sendCreateApp(context.Background(), "12345678", "demo app*~"); err != nil {
				t.Fatalf("CreateNebulaApp: %v", err)
			}
			reqs := api.recorded()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests", len(reqs))
			}
			r := reqs[0]
			if r.Action != ActionCreateNebulaApp || r.Version != APIVersion {
				t.Errorf("action/version = %q/%q", r.Action, r.Version)
			}
			if got := r.Header.Get("User-Agent"); got != testUA {
				t.Errorf("user agent %q", got)
			}
			if r.Header.Get("x-acs-action") != ActionCreateNebulaApp || r.Header.Get("x-acs-version") != APIVersion {
				t.Errorf("x-acs-action/version headers missing: %v", r.Header)
			}
			if r.Host != strings.TrimPrefix(api.srv.URL, "http://") {
				t.Errorf("host %q", r.Host)
			}
			wantBody := "AppId=ONEX570DA89211721&H5Id=12345678&H5Name=demo+app%2A~&TenantId=TNTABCDE&WorkspaceId=default"
			if r.Body != wantBody {
				t.Errorf("body\n got %s\nwant %s", r.Body, wantBody)
			}
			if tt.version == "v1" {
				q := r.Query
				if q.Get("Timestamp") != "2024-01-01T00:00:00Z" || q.Get("SignatureNonce") != "0123456789abcdef0123456789abcdef" {
					t.Errorf("V1 timestamp/nonce: %v", q)
				}
				if got := q.Get("SecurityToken"); tt.sts != (got == testToken) {
					t.Errorf("SecurityToken = %q (sts %v)", got, tt.sts)
				}
				if r.Header.Get("Authorization") != "" {
					t.Errorf("V1 must not send Authorization")
				}
				for _, name := range []string{"AppId", "H5Id"} {
					if q.Has(name) {
						t.Errorf("business parameter %s in V1 query", name)
					}
				}
				return
			}
			if r.Header.Get("x-acs-date") != "2024-01-01T00:00:00Z" {
				t.Errorf("x-acs-date %q", r.Header.Get("x-acs-date"))
			}
			if got := r.Header.Get("x-acs-security-token"); tt.sts != (got == testToken) {
				t.Errorf("x-acs-security-token = %q (sts %v)", got, tt.sts)
			}
			if got := r.Header.Get("x-acs-accesskey-id"); tt.sts != (got == testKeyID) {
				t.Errorf("x-acs-accesskey-id = %q (sts %v)", got, tt.sts)
			}
		})
	}
}

// The V3 request for the mPaaS-shaped vector (the published V3 test vector) must carry
// exactly the published Authorization.
func TestV3MatchesDocumentedVector(t *testing.T) {
	var gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		createAppOK(0, recorded{}, w)
	}))
	defer srv.Close()
	// Send to the test server, but as host mpaas.aliyuncs.com, by dialing the server for that name.
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, strings.TrimPrefix(srv.URL, "http://"))
	}}
	c, err := New(Config{
		Endpoint: "https://mpaas.aliyuncs.com", AccessKeyID: "testid", AccessKeySecret: "testsecret",
		AppID: testAppID, WorkspaceID: testWS, TenantID: testTenant,
		HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r2 := r.Clone(r.Context())
			r2.URL.Scheme = "http"
			return transport.RoundTrip(r2)
		})},
		Now:      func() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) },
		NewNonce: func() string { return "0123456789abcdef0123456789abcdef" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.sendCreateApp(context.Background(), "12345678", "demo app"); err != nil {
		t.Fatal(err)
	}
	want := "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=af68045c8d3d000701c7e6942dac26015843cfa39df2a733af364975fbab58cd"
	if gotAuth != want {
		t.Errorf("Authorization\n got %s\nwant %s", gotAuth, want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestResponseDecoding(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		want    *APIError
		invalid string // substring of InvalidResponseError
	}{
		{name: "success", status: 200,
			body: `{"RequestId":"R","ResultCode":"OK","CreateNebulaAppResult":{"Success":true}}`},
		{name: "non-OK ResultCode", status: 200,
			body: `{"RequestId":"R1","ResultCode":"InvalidParameter","ResultMessage":"H5Id must be 8 digits"}`,
			want: &APIError{Action: ActionCreateNebulaApp, Code: "InvalidParameter", Message: "H5Id must be 8 digits", RequestID: "R1", HTTPStatus: 200}},
		{name: "Success false with ErrorCode", status: 200,
			body: `{"RequestId":"R2","ResultCode":"OK","CreateNebulaAppResult":{"Success":false,"ResultMsg":"already exists","ErrorCode":"H5APP_EXISTS","RequestId":"INNER2"}}`,
			want: &APIError{Action: ActionCreateNebulaApp, Code: "H5APP_EXISTS", Message: "already exists", RequestID: "INNER2", HTTPStatus: 200}},
		{name: "Success false without ErrorCode", status: 200,
			body: `{"RequestId":"R3","ResultCode":"OK","CreateNebulaAppResult":{"Success":false,"ResultMsg":"nope"}}`,
			want: &APIError{Action: ActionCreateNebulaApp, Code: CodeFailed, Message: "nope", RequestID: "R3", HTTPStatus: 200}},
		{name: "gateway error", status: 400,
			body: `{"RequestId":"R4","HostId":"mpaas.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"bad signature","Recommend":"x"}`,
			want: &APIError{Action: ActionCreateNebulaApp, Code: "SignatureDoesNotMatch", Message: "bad signature", RequestID: "R4", HTTPStatus: 400}},
		{name: "gateway error lowercase keys", status: 404,
			body: `{"requestId":"R5","code":"InvalidAccessKeyId.NotFound","message":"no such key"}`,
			want: &APIError{Action: ActionCreateNebulaApp, Code: "InvalidAccessKeyId.NotFound", Message: "no such key", RequestID: "R5", HTTPStatus: 404}},
		{name: "html error page", status: 400, body: "<html><body>Bad Gateway from proxy</body></html>",
			invalid: `unexpected response (HTTP 400): body is not a JSON error object; body starts with "<html><body>Bad Gateway`},
		{name: "garbage 200", status: 200, body: "not json at all",
			invalid: `unexpected response (HTTP 200): body is not the expected JSON`},
		{name: "missing result object", status: 200, body: `{"RequestId":"R6","ResultCode":"OK"}`,
			invalid: "response has no result object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c, _ := newTestClient(t, api.srv.URL)
			err := c.sendCreateApp(context.Background(), "12345678", "x")
			switch {
			case tt.want == nil && tt.invalid == "":
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
			case tt.want != nil:
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("error %v (%T) is not an APIError", err, err)
				}
				if *apiErr != *tt.want {
					t.Errorf("APIError = %+v, want %+v", *apiErr, *tt.want)
				}
			default:
				var inv *InvalidResponseError
				if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.invalid) {
					t.Fatalf("error %v, want InvalidResponseError containing %q", err, tt.invalid)
				}
			}
			if n := len(api.recorded()); n != 1 {
				t.Errorf("%d requests, want 1 (nothing here is retryable)", n)
			}
		})
	}
}

func TestAPIErrorString(t *testing.T) {
	err := &APIError{Action: "CreateMcubeNebulaApp", Code: "InvalidParameter", Message: "bad H5Id", RequestID: "ABC", HTTPStatus: 400}
	want := "mPaaS API CreateMcubeNebulaApp failed: InvalidParameter: bad H5Id (request id ABC, HTTP 400)"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestThrottlingRetriedWithTimeLeft(t *testing.T) {
	api := newFakeAPI(t, func(n int, _ recorded, w http.ResponseWriter) {
		if n < 2 {
			w.Header().Set(ThrottlingTimeLeftHeader, "Limit:600,TimeLeft:1500")
			w.Header().Set(ThrottlingTimeLeftHeaderAPI, "TimeLeft:900")
			writeJSON(w, 400, gatewayError{Code: CodeThrottlingUser, Message: "slow down", RequestId: "T"})
			return
		}
		writeJSON(w, 200, listMcubeNebulaAppsResponse{responseEnvelope: okEnvelope(), ListMcubeNebulaAppsResult: &listMcubeNebulaAppsResult{nebulaResult: *okNebula()}})
	})
	c, sleeps := newTestClient(t, api.srv.URL)
	if _, _, err := c.sendListApps(context.Background(), "", 0, 0); err != nil {
		t.Fatalf("ListNebulaApps: %v", err)
	}
	reqs := api.recorded()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	waits := sleeps.all()
	if len(waits) != 2 {
		t.Fatalf("waits %v, want 2", waits)
	}
	for _, w := range waits {
		if w < 1500*time.Millisecond || w > 2*c.cfg.MaxBackoff {
			t.Errorf("wait %v, want >= 1.5s (TimeLeft is in ms) and <= 2*MaxBackoff", w)
		}
	}
	if reqs[0].Nonce == reqs[1].Nonce || reqs[0].Signature == reqs[1].Signature {
		t.Errorf("retry reused nonce or signature")
	}
}

func TestThrottlingWaitCapped(t *testing.T) {
	api := newFakeAPI(t, func(n int, _ recorded, w http.ResponseWriter) {
		w.Header().Set(ThrottlingTimeLeftHeader, "TimeLeft:3600000")
		writeJSON(w, 429, gatewayError{Code: CodeThrottling, RequestId: "T"})
	})
	c, sleeps := newTestClient(t, api.srv.URL, func(cfg *Config) { cfg.MaxRetries = 1; cfg.MaxBackoff = time.Second })
	err := c.sendCreateApp(context.Background(), "12345678", "x")
	if !IsThrottling(err) || IsAmbiguous(err) {
		t.Fatalf("err = %v, want throttling, not ambiguous", err)
	}
	if waits := sleeps.all(); len(waits) != 1 || waits[0] != 2*time.Second {
		t.Errorf("waits %v, want [2s]", waits)
	}
}

func TestRetryPolicy(t *testing.T) {
	type step struct {
		status int
		code   string
	}
	tests := []struct {
		name         string
		write        bool
		steps        []step // answers in order; the last repeats
		maxRetries   int
		wantRequests int
		wantOK       bool
		wantAmbig    bool
		wantCode     string
	}{
		{name: "503 on create retried", write: true, steps: []step{{503, CodeServiceUnavailable}, {200, ""}}, maxRetries: 3, wantRequests: 2, wantOK: true},
		{name: "503 html on list retried", steps: []step{{503, ""}, {200, ""}}, maxRetries: 3, wantRequests: 2, wantOK: true},
		{name: "500 on create not retried, ambiguous", write: true, steps: []step{{500, "InternalFailure"}}, maxRetries: 3, wantRequests: 1, wantAmbig: true, wantCode: "InternalFailure"},
		{name: "502 on create ambiguous", write: true, steps: []step{{502, ""}}, maxRetries: 3, wantRequests: 1, wantAmbig: true},
		{name: "504 on create ambiguous", write: true, steps: []step{{504, ""}}, maxRetries: 3, wantRequests: 1, wantAmbig: true},
		{name: "500 on list retried", steps: []step{{500, "InternalFailure"}, {500, "InternalFailure"}, {200, ""}}, maxRetries: 3, wantRequests: 3, wantOK: true},
		{name: "max retries respected", steps: []step{{503, CodeServiceUnavailable}}, maxRetries: 2, wantRequests: 3, wantCode: CodeServiceUnavailable},
		{name: "no retries when 0", steps: []step{{503, CodeServiceUnavailable}}, maxRetries: 0, wantRequests: 1, wantCode: CodeServiceUnavailable},
		{name: "400 not retried", steps: []step{{400, "InvalidParameter"}}, maxRetries: 3, wantRequests: 1, wantCode: "InvalidParameter"},
		{name: "throttling on 200 ResultCode retried", write: true, steps: []step{{200, CodeThrottlingAPI}, {200, ""}}, maxRetries: 3, wantRequests: 2, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, func(n int, _ recorded, w http.ResponseWriter) {
				s := tt.steps[min(n, len(tt.steps)-1)]
				switch {
				case s.status == 200 && s.code != "":
					writeJSON(w, 200, responseEnvelope{RequestId: "E", ResultCode: flexString(s.code), ResultMessage: "busy"})
				case s.status == 200 && tt.write:
					createAppOK(n, recorded{}, w)
				case s.status == 200:
					writeJSON(w, 200, listMcubeNebulaAppsResponse{responseEnvelope: okEnvelope(), ListMcubeNebulaAppsResult: &listMcubeNebulaAppsResult{nebulaResult: *okNebula()}})
				case s.code != "":
					writeJSON(w, s.status, gatewayError{Code: flexString(s.code), Message: "m", RequestId: "E"})
				default:
					w.WriteHeader(s.status)
					_, _ = w.Write([]byte("<html>upstream trouble</html>"))
				}
			})
			c, sleeps := newTestClient(t, api.srv.URL, func(cfg *Config) { cfg.MaxRetries = tt.maxRetries })
			var err error
			if tt.write {
				err = c.sendCreateApp(context.Background(), "12345678", "x")
			} else {
				_, _, err = c.sendListApps(context.Background(), "", 0, 0)
			}
			if got := len(api.recorded()); got != tt.wantRequests {
				t.Errorf("%d requests, want %d", got, tt.wantRequests)
			}
			if got := len(sleeps.all()); got != tt.wantRequests-1 {
				t.Errorf("%d waits, want %d", got, tt.wantRequests-1)
			}
			if tt.wantOK {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("expected an error")
			}
			if IsAmbiguous(err) != tt.wantAmbig {
				t.Errorf("IsAmbiguous(%v) = %v, want %v", err, IsAmbiguous(err), tt.wantAmbig)
			}
			if tt.wantCode != "" && ErrorCode(err) != tt.wantCode {
				t.Errorf("ErrorCode(%v) = %q, want %q", err, ErrorCode(err), tt.wantCode)
			}
		})
	}
}

func TestBackoffFullJitterBounds(t *testing.T) {
	c, _ := newTestClient(t, "https://mpaas.aliyuncs.com", func(cfg *Config) { cfg.MaxBackoff = 2 * time.Second })
	for attempt := 0; attempt < 12; attempt++ {
		ceiling := min(baseBackoff<<attempt, 2*time.Second)
		for i := 0; i < 50; i++ {
			if d := c.backoff(attempt, 0); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", attempt, d, ceiling)
			}
		}
	}
	if d := c.backoff(0, 3*time.Second); d != 3*time.Second {
		t.Errorf("backoff with TimeLeft 3s = %v", d)
	}
}

func TestThrottlingTimeLeftParsing(t *testing.T) {
	for value, want := range map[string]time.Duration{
		"":                         0,
		"TimeLeft:250":             250 * time.Millisecond,
		"Limit:10, TimeLeft:2000 ": 2 * time.Second,
		"TimeLeft:abc":             0,
		"Remain:3":                 0,
	} {
		h := http.Header{}
		h.Set(ThrottlingTimeLeftHeader, value)
		if got := throttlingTimeLeft(h); got != want {
			t.Errorf("throttlingTimeLeft(%q) = %v, want %v", value, got, want)
		}
	}
}

// hijackingServer drops the connection for the first `drops` requests.
func hijackingServer(t *testing.T, drops int, ok http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	count := &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int(count.Add(1)) <= drops {
			conn, _, err := w.(http.Hijacker).Hijack() //nolint:forcetypeassert // httptest's ResponseWriter is a Hijacker
			if err == nil {
				conn.Close()
			}
			return
		}
		ok(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, count
}

func TestTransportErrors(t *testing.T) {
	t.Run("read retried", func(t *testing.T) {
		srv, count := hijackingServer(t, 2, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, queryMcubeVhostResponse{responseEnvelope: okEnvelope(), QueryVhostResult: &dataResult{Success: flexBoolOf(true), Data: "h5app.com"}})
		})
		c, sleeps := newTestClient(t, srv.URL)
		got, err := c.QueryVhost(context.Background())
		if err != nil || got != "h5app.com" {
			t.Fatalf("QueryVhost = %q, %v", got, err)
		}
		if count.Load() != 3 || len(sleeps.all()) != 2 {
			t.Errorf("%d requests, %d waits; want 3, 2", count.Load(), len(sleeps.all()))
		}
	})
	t.Run("write ambiguous", func(t *testing.T) {
		srv, count := hijackingServer(t, 1, func(w http.ResponseWriter, r *http.Request) { createAppOK(0, recorded{}, w) })
		c, _ := newTestClient(t, srv.URL)
		err := c.sendCreateApp(context.Background(), "12345678", "x")
		var te *TransportError
		if !IsAmbiguous(err) || !errors.As(err, &te) {
			t.Fatalf("err = %v, want ambiguous transport error", err)
		}
		if count.Load() != 1 {
			t.Errorf("%d requests, want 1", count.Load())
		}
	})
	t.Run("write dial error retried and redacted", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		log := &captureLogger{}
		c, sleeps := newTestClient(t, "http://"+addr, func(cfg *Config) {
			cfg.MaxRetries = 2
			cfg.SignatureVersion = "v1"
			cfg.SecurityToken = testToken
			cfg.Logger = log
		})
		err = c.sendCreateApp(context.Background(), "12345678", "x")
		if err == nil || IsAmbiguous(err) {
			t.Fatalf("err = %v, want a non-ambiguous dial error", err)
		}
		if len(sleeps.all()) != 2 {
			t.Errorf("waits %v, want 2", sleeps.all())
		}
		for _, leak := range []string{testToken, url.QueryEscape(testToken), "Signature=", testSecret} {
			if strings.Contains(err.Error(), leak) || strings.Contains(log.text(), leak) {
				t.Errorf("%q leaked into error %q or log", leak, err.Error())
			}
		}
	})
}

func TestContextCancellationStopsWaiting(t *testing.T) {
	api := newFakeAPI(t, func(int, recorded, http.ResponseWriter) {})
	api.handler = func(_ int, _ recorded, w http.ResponseWriter) {
		w.Header().Set(ThrottlingTimeLeftHeader, "TimeLeft:30000")
		writeJSON(w, 503, gatewayError{Code: CodeServiceUnavailable, RequestId: "X"})
	}
	cfg := testConfig(api.srv.URL)
	cfg.MaxBackoff = time.Minute
	c, err := New(cfg) // real Sleep
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = c.sendListApps(ctx, "", 0, 0)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v; cancellation did not stop the wait", elapsed)
	}
	if n := len(api.recorded()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// A context that is already done sends nothing.
	done, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	if _, _, err := c.sendListApps(done, "", 0, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want Canceled", err)
	}
}

func TestLogRedaction(t *testing.T) {
	for _, version := range []string{"v3", "v1"} {
		t.Run(version, func(t *testing.T) {
			api := newFakeAPI(t, func(n int, _ recorded, w http.ResponseWriter) {
				switch n {
				case 0:
					writeJSON(w, 503, gatewayError{Code: CodeServiceUnavailable, RequestId: "REQ-503",
						Message: flexString("server string to sign is: POST&%2F&SecurityToken%3D" + PercentEncode(PercentEncode(testToken)))})
				default:
					createAppOK(n, recorded{}, w)
				}
			})
			log := &captureLogger{}
			c, _ := newTestClient(t, api.srv.URL, func(cfg *Config) {
				cfg.SignatureVersion = version
				cfg.SecurityToken = testToken
				cfg.Logger = log
			})
			if err := c.sendCreateApp(context.Background(), "12345678", "x"); err != nil {
				t.Fatal(err)
			}
			text := log.text()
			secrets := []string{testSecret, testToken, url.QueryEscape(testToken), PercentEncode(testToken), "Authorization", "ACS3-HMAC-SHA256"}
			for _, r := range api.recorded() {
				secrets = append(secrets, r.Signature, url.QueryEscape(r.Signature))
			}
			for _, s := range secrets {
				if s != "" && strings.Contains(text, s) {
					t.Errorf("log contains %q:\n%s", s, text)
				}
			}
			if len(log.calls) != 2 {
				t.Fatalf("%d log lines, want 2", len(log.calls))
			}
			first := log.calls[0]
			for _, key := range []string{"action", "attempt", "http_status", "request_id", "duration_ms", "body_params"} {
				if _, ok := first[key]; !ok {
					t.Errorf("log fields lack %q: %v", key, first)
				}
			}
			if first["http_status"] != 503 || first["request_id"] != "REQ-503" || first["attempt"] != 1 {
				t.Errorf("first log line %v", first)
			}
			if first["body_params"] != "AppId,H5Id,H5Name,TenantId,WorkspaceId" {
				t.Errorf("body_params %v", first["body_params"])
			}
		})
	}
}

func TestServerEchoIsRedactedInErrors(t *testing.T) {
	api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) {
		writeJSON(w, 400, gatewayError{Code: "SignatureDoesNotMatch", RequestId: "R",
			Message: "string to sign: SecurityToken=" + testToken + " secret " + testSecret})
	})
	c, _ := newTestClient(t, api.srv.URL, func(cfg *Config) { cfg.SecurityToken = testToken })
	err := c.sendCreateApp(context.Background(), "12345678", "x")
	if err == nil || strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), testSecret) {
		t.Errorf("error leaks a secret: %v", err)
	}
}
