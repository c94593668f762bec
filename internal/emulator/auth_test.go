package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The mPaaS-shaped V1 vector (the published V1 test vector), sent verbatim.
func TestV1PublishedShapeVectorAccepted(t *testing.T) {
	e := newEnv(t)
	query := "Action=CreateMcubeNebulaApp&Version=2020-10-28&Format=json&Timestamp=2024-01-01T00%3A00%3A00Z" +
		"&SignatureNonce=0123456789abcdef0123456789abcdef&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=testid" +
		"&Signature=" + url.QueryEscape("UnvekcHUmB/KcOnlfEp8X352z9k=")
	body := "AppId=ONEX570DA89211721&H5Id=12345678&H5Name=demo+app&TenantId=TNTABCDE&WorkspaceId=default"
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/?"+query, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, resp := e.send(req)
	if status != http.StatusOK {
		t.Fatalf("HTTP %d: %s", status, resp)
	}
	var list listMcubeNebulaAppsResponse
	e.call(mpaas.ActionListNebulaApps, e.params(), &list)
	if got := list.ListMcubeNebulaAppsResult.NebulaAppInfos; len(got) != 1 || got[0].H5Name != "demo app" {
		t.Fatalf("apps = %+v, want one named \"demo app\" (+ decoded to a space)", got)
	}
}

// The mPaaS-shaped V3 vector (the published V3 test vector), sent verbatim.
func TestV3PublishedShapeVectorAccepted(t *testing.T) {
	e := newEnv(t)
	body := "AppId=ONEX570DA89211721&H5Id=12345678&H5Name=demo+app&TenantId=TNTABCDE&WorkspaceId=default"
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/", strings.NewReader(body))
	req.Host = "mpaas.aliyuncs.com"
	req.Header.Set("content-type", "application/x-www-form-urlencoded")
	req.Header.Set("x-acs-action", "CreateMcubeNebulaApp")
	req.Header.Set("x-acs-version", "2020-10-28")
	req.Header.Set("x-acs-date", "2024-01-01T00:00:00Z")
	req.Header.Set("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef")
	req.Header.Set("x-acs-content-sha256", "53939cb87c54d74d466c4ffd2eb57b66767ef21241657eb33b07173b3c6b1079")
	req.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=af68045c8d3d000701c7e6942dac26015843cfa39df2a733af364975fbab58cd")
	status, resp := e.send(req)
	if status != http.StatusOK {
		t.Fatalf("HTTP %d: %s", status, resp)
	}
	// The same request again is a replay.
	req2, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/", strings.NewReader(body))
	req2.Host = req.Host
	req2.Header = req.Header.Clone()
	status, resp = e.send(req2)
	expectGateway(t, status, resp, http.StatusBadRequest, "SignatureNonceUsed")
}

func TestSignedRequestsAcceptedBothVersions(t *testing.T) {
	e := newEnv(t)
	for _, version := range []string{mpaas.APIVersion, mpaas.APIVersionLegacy} {
		for name, build := range map[string]func(string, url.Values, signing) *http.Request{"v3": e.requestV3, "v1": e.requestV1} {
			status, body := e.send(build(mpaas.ActionListNebulaApps, e.params("Keyword", "a b*~"), signing{version: version}))
			if status != http.StatusOK {
				t.Errorf("%s %s: HTTP %d: %s", name, version, status, body)
			}
		}
	}
	if got := e.srv.Stats()[mpaas.ActionListNebulaApps]; got != 4 {
		t.Errorf("Stats()[ListMcubeNebulaApps] = %d, want 4", got)
	}
}

// TestStatsCountEachSignatureAlgorithm: the emulator records which algorithm
// signed each authenticated call, so a test can tell a V1 client from a V3
// one; a refused signature counts for neither.
func TestStatsCountEachSignatureAlgorithm(t *testing.T) {
	e := newEnv(t)
	for range 2 {
		e.send(e.requestV1(mpaas.ActionListNebulaApps, e.params(), signing{}))
	}
	e.send(e.requestV3(mpaas.ActionListNebulaApps, e.params(), signing{}))
	status, body := e.send(e.requestV1(mpaas.ActionListNebulaApps, e.params(), signing{secret: "wrong"}))
	expectGateway(t, status, body, http.StatusBadRequest, "SignatureDoesNotMatch")
	stats := e.srv.Stats()
	if stats[SignatureStat(mpaas.AlgorithmV1)] != 2 || stats[SignatureStat(mpaas.AlgorithmV3)] != 1 {
		t.Fatalf("stats = %v; want 2 calls signed %s and 1 signed %s", stats, mpaas.AlgorithmV1, mpaas.AlgorithmV3)
	}
}

func TestAuthRejections(t *testing.T) {
	e := newEnv(t)
	list := mpaas.ActionListNebulaApps
	type build func(string, url.Values, signing) *http.Request
	cases := []struct {
		name   string
		build  build
		action string
		params url.Values
		s      signing
		status int
		code   string
	}{
		{"v3 wrong secret", e.requestV3, list, e.params(), signing{secret: "nope"}, 400, "SignatureDoesNotMatch"},
		{"v1 wrong secret", e.requestV1, list, e.params(), signing{secret: "nope"}, 400, "SignatureDoesNotMatch"},
		{"v3 tampered body", e.requestV3, list, e.params(), signing{mutate: func(r *http.Request) {
			r.Body = ioNopCloser("AppId=x&WorkspaceId=y&TenantId=z")
			r.ContentLength = int64(len("AppId=x&WorkspaceId=y&TenantId=z"))
		}}, 400, "SignatureDoesNotMatch"},
		{"v3 tampered signed header", e.requestV3, list, e.params(), signing{mutate: func(r *http.Request) {
			r.Header.Set("x-acs-signature-nonce", "ffffffffffffffffffffffffffffffff")
		}}, 400, "SignatureDoesNotMatch"},
		{"v3 wrong signature", e.requestV3, list, e.params(), signing{mutate: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-4]+"0000")
		}}, 400, "SignatureDoesNotMatch"},
		{"v1 tampered body", e.requestV1, list, e.params(), signing{mutate: func(r *http.Request) {
			r.Body = ioNopCloser("AppId=x&WorkspaceId=y&TenantId=z")
			r.ContentLength = int64(len("AppId=x&WorkspaceId=y&TenantId=z"))
		}}, 400, "SignatureDoesNotMatch"},
		{"v3 stale timestamp", e.requestV3, list, e.params(), signing{date: testStart.Add(-16 * time.Minute)}, 400, "InvalidTimeStamp.Expired"},
		{"v3 future timestamp", e.requestV3, list, e.params(), signing{date: testStart.Add(16 * time.Minute)}, 400, "InvalidTimeStamp.Expired"},
		{"v1 stale timestamp", e.requestV1, list, e.params(), signing{date: testStart.Add(-time.Hour)}, 400, "InvalidTimeStamp.Expired"},
		{"v3 unknown key", e.requestV3, list, e.params(), signing{keyID: "other"}, 404, "InvalidAccessKeyId.NotFound"},
		{"v1 unknown key", e.requestV1, list, e.params(), signing{keyID: "other"}, 404, "InvalidAccessKeyId.NotFound"},
		{"v3 unknown action", e.requestV3, "DeleteMcubeNebulaResource", e.params(), signing{}, 404, "InvalidAction.NotFound"},
		{"v1 unknown action", e.requestV1, "DescribeRegions", e.params(), signing{}, 404, "InvalidAction.NotFound"},
		{"v3 unknown version", e.requestV3, list, e.params(), signing{version: "2019-08-21"}, 400, "InvalidParameter"},
		{"v1 unknown version", e.requestV1, list, e.params(), signing{version: "2014-05-26"}, 400, "InvalidParameter"},
		{"v3 missing action", e.requestV3, list, e.params(), signing{mutate: func(r *http.Request) { r.Header.Del("x-acs-action") }}, 400, "MissingParameter"},
		{"v3 missing date", e.requestV3, list, e.params(), signing{mutate: func(r *http.Request) { r.Header.Del("x-acs-date") }}, 400, "MissingParameter"},
		{"v3 missing nonce", e.requestV3, list, e.params(), signing{mutate: func(r *http.Request) { r.Header.Del("x-acs-signature-nonce") }}, 400, "MissingParameter"},
		{"v3 missing credential", e.requestV3, list, e.params(), signing{mutate: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Credential=testid", "Credential=", 1))
		}}, 400, "MissingParameter"},
		{"v1 missing signature", e.requestV1, list, e.params(), signing{mutate: func(r *http.Request) { delQuery(r, "Signature") }}, 400, "MissingParameter"},
		{"v1 missing timestamp", e.requestV1, list, e.params(), signing{mutate: func(r *http.Request) { delQuery(r, "Timestamp") }}, 400, "MissingParameter"},
		{"v1 missing nonce", e.requestV1, list, e.params(), signing{mutate: func(r *http.Request) { delQuery(r, "SignatureNonce") }}, 400, "MissingParameter"},
		{"v1 missing key", e.requestV1, list, e.params(), signing{mutate: func(r *http.Request) { delQuery(r, "AccessKeyId") }}, 400, "MissingParameter"},
		{"v1 missing action", e.requestV1, list, e.params(), signing{mutate: func(r *http.Request) { delQuery(r, "Action") }}, 400, "MissingParameter"},
		{"missing TenantId", e.requestV3, list, url.Values{"AppId": {"a"}, "WorkspaceId": {"w"}}, signing{}, 400, "MissingParameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.send(tc.build(tc.action, tc.params, tc.s))
			ge := expectGateway(t, status, body, tc.status, tc.code)
			if tc.code == "SignatureDoesNotMatch" && strings.Contains(ge.Message, "POST&") {
				t.Errorf("the message echoes the string to sign: %s", ge.Message)
			}
		})
	}
}

func TestMissingParameterNamesIt(t *testing.T) {
	e := newEnv(t)
	status, body := e.send(e.requestV1(mpaas.ActionListNebulaApps, e.params(), signing{mutate: func(r *http.Request) { delQuery(r, "SignatureNonce") }}))
	ge := expectGateway(t, status, body, 400, "MissingParameter")
	if !strings.Contains(ge.Message, "SignatureNonce") {
		t.Errorf("message %q does not name SignatureNonce", ge.Message)
	}
}

func TestReplayedNonceRejected(t *testing.T) {
	e := newEnv(t)
	for _, build := range []func(string, url.Values, signing) *http.Request{e.requestV3, e.requestV1} {
		s := signing{nonce: e.nextNonce()}
		status, body := e.send(build(mpaas.ActionListNebulaApps, e.params(), s))
		if status != 200 {
			t.Fatalf("first: HTTP %d %s", status, body)
		}
		status, body = e.send(build(mpaas.ActionListNebulaApps, e.params(), s))
		expectGateway(t, status, body, 400, "SignatureNonceUsed")
	}
	// A rejected (badly signed) request does not burn its nonce.
	s := signing{nonce: e.nextNonce()}
	bad := s
	bad.secret = "wrong"
	status, body := e.send(e.requestV3(mpaas.ActionListNebulaApps, e.params(), bad))
	expectGateway(t, status, body, 400, "SignatureDoesNotMatch")
	if status, body := e.send(e.requestV3(mpaas.ActionListNebulaApps, e.params(), s)); status != 200 {
		t.Fatalf("HTTP %d %s", status, body)
	}
}

func TestNonceCacheBoundedAndPruned(t *testing.T) {
	c := newNonceCache(2)
	now := testStart
	if c.use("a", now, now.Add(time.Minute)) != nonceFresh || c.use("b", now, now.Add(time.Minute)) != nonceFresh {
		t.Fatal("fresh nonces refused")
	}
	if c.use("a", now, now.Add(time.Minute)) != nonceReused {
		t.Fatal("reuse not detected")
	}
	if c.use("c", now, now.Add(time.Minute)) != nonceFull {
		t.Fatal("a full cache accepted a nonce")
	}
	later := now.Add(2 * time.Minute)
	if c.use("c", later, later.Add(time.Minute)) != nonceFresh || len(c.seen) != 1 {
		t.Fatalf("expired nonces were not pruned: %v", c.seen)
	}
}

func TestSecurityToken(t *testing.T) {
	e := newEnvAt(t, t.TempDir()+"/d", func(o *Options) {
		o.Credentials = []Credential{{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SecurityToken: "sts-token"}}
	})
	for name, build := range map[string]func(string, url.Values, signing) *http.Request{"v3": e.requestV3, "v1": e.requestV1} {
		status, body := e.send(build(mpaas.ActionListNebulaApps, e.params(), signing{}))
		expectGateway(t, status, body, http.StatusForbidden, "InvalidSecurityToken")
		status, body = e.send(build(mpaas.ActionListNebulaApps, e.params(), signing{token: "other"}))
		expectGateway(t, status, body, http.StatusForbidden, "InvalidSecurityToken")
		if status, body := e.send(build(mpaas.ActionListNebulaApps, e.params(), signing{token: "sts-token"})); status != 200 {
			t.Errorf("%s with the token: HTTP %d %s", name, status, body)
		}
	}
}

func TestBodyTooLarge(t *testing.T) {
	e := newEnv(t)
	big := e.params("Keyword", strings.Repeat("x", apiBodyLimit))
	status, body := e.send(e.requestV3(mpaas.ActionListNebulaApps, big, signing{}))
	expectGateway(t, status, body, http.StatusRequestEntityTooLarge, "InvalidParameter")
}

func TestUnknownRoutes404(t *testing.T) {
	e := newEnv(t)
	for _, r := range []struct{ method, path string }{{"GET", "/"}, {"POST", "/nope"}, {"GET", "/oss"}, {"GET", "/download/none"}} {
		req, _ := http.NewRequest(r.method, e.ts.URL+r.path, nil)
		if status, _ := e.send(req); status != http.StatusNotFound {
			t.Errorf("%s %s: HTTP %d, want 404", r.method, r.path, status)
		}
	}
}

func delQuery(r *http.Request, name string) {
	q := r.URL.Query()
	q.Del(name)
	r.URL.RawQuery = q.Encode()
}
