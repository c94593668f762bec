package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// withFaults puts a FaultInjector between the test's requests and the
// emulator (the emulator itself and its data stay the same).
func (e *env) withFaults(cfg FaultConfig) *FaultInjector {
	e.t.Helper()
	fi := NewFaultInjector(e.srv, cfg)
	old := e.ts
	e.ts = httptest.NewServer(fi)
	old.Close()
	return fi
}

// client is an mpaas.Client for the env's clock and credentials, without retries.
func (e *env) client() *mpaas.Client {
	e.t.Helper()
	c, err := mpaas.New(mpaas.Config{
		Endpoint: e.ts.URL, AccessKeyID: testKeyID, AccessKeySecret: testSecret,
		AppID: e.scope.Get("AppId"), WorkspaceID: e.scope.Get("WorkspaceId"), TenantID: e.scope.Get("TenantId"),
		MaxRetries: 0,
		Now:        func() time.Time { return e.now },
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// rawDo sends a request and returns the transport error, if any.
func rawDo(req *http.Request) (*http.Response, []byte, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	var body []byte
	buf := make([]byte, 4096)
	for {
		n, rerr := resp.Body.Read(buf)
		body = append(body, buf[:n]...)
		if rerr != nil {
			break
		}
	}
	return resp, body, nil
}

func (e *env) appCount() int {
	e.t.Helper()
	apps, err := e.client().ListApps(context.Background(), "")
	if err != nil {
		e.t.Fatal(err)
	}
	return len(apps)
}

func TestFaultThrottle(t *testing.T) {
	e := newEnv(t)
	fi := e.withFaults(FaultConfig{Seed: 1, Throttle: 1})
	req := e.requestV3(mpaas.ActionCreateNebulaApp, e.params("H5Id", "12345678", "H5Name", "x"), signing{})
	resp, body, err := rawDo(req)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	want := map[string]string{"RequestId": got["RequestId"], "HostId": "mpaas.aliyuncs.com", "Code": "Throttling.User", "Message": "Request was denied due to user flow control."}
	if resp.StatusCode != http.StatusBadRequest || !reflect.DeepEqual(got, want) || got["RequestId"] == "" {
		t.Fatalf("HTTP %d %s", resp.StatusCode, body)
	}
	if h := resp.Header.Get("x-ratelimit-user"); h != "TimeLeft:50" {
		t.Fatalf("x-ratelimit-user = %q", h)
	}
	// The client sees a retryable throttling error.
	if err := e.client().CreateApp(context.Background(), "12345678", "x"); !mpaas.IsThrottling(err) || mpaas.IsAmbiguous(err) {
		t.Fatalf("client error %v is not throttling", err)
	}
	// An upload gets OSS's SlowDown.
	fi.SetEnabled(false)
	tok := e.fileToken()
	fi.SetEnabled(true)
	status, body := e.postObject(tok.Host, tokenFields(tok, tok.Dir+"a.zip"), ioNopCloser("x"))
	if oe := ossErrorOf(t, body); status != http.StatusServiceUnavailable || oe.Code != "SlowDown" {
		t.Fatalf("upload: HTTP %d %+v", status, oe)
	}
	fi.SetEnabled(false)
	if n := e.appCount(); n != 0 {
		t.Fatalf("a throttled create was processed: %d apps", n)
	}
	if len(e.srv.store.st.Objects) != 0 {
		t.Fatal("a throttled upload was stored")
	}
	if s := fi.Stats(); s[FaultThrottle] != 3 || s[FaultRequests] != 3 {
		t.Fatalf("stats %v", s)
	}
}

func TestFaultServerError(t *testing.T) {
	e := newEnv(t)
	fi := e.withFaults(FaultConfig{Seed: 7, ServerError: 1})
	seen := map[int]string{}
	const n = 40
	for i := 0; i < n; i++ {
		resp, body, err := rawDo(e.requestV3(mpaas.ActionCreateNebulaApp, e.params("H5Id", "12345678", "H5Name", "x"), signing{}))
		if err != nil {
			t.Fatal(err)
		}
		var ge gatewayErrorBody
		if err := json.Unmarshal(body, &ge); err != nil {
			t.Fatal(err)
		}
		seen[resp.StatusCode] = ge.Code
	}
	if seen[500] != "InternalFailure" || seen[503] != "ServiceUnavailable" || len(seen) != 2 {
		t.Fatalf("statuses seen: %v", seen)
	}
	s := fi.Stats()
	if s[FaultHTTP500]+s[FaultHTTP503] != n || s[FaultHTTP500] == 0 || s[FaultHTTP503] == 0 || s[FaultRequests] != n {
		t.Fatalf("stats %v", s)
	}
	// 500 on a write is ambiguous to the client (its lookups fail too); 503 is safe to retry.
	err := e.client().CreateApp(context.Background(), "12345678", "x")
	var apiErr *mpaas.APIError
	if !errors.As(err, &apiErr) || (apiErr.HTTPStatus == 500) != mpaas.IsAmbiguous(err) {
		t.Fatalf("client error %v", err)
	}
	fi.SetEnabled(false)
	if n := e.appCount(); n != 0 {
		t.Fatalf("a failed create was processed: %d apps", n)
	}
	if e.srv.Stats()[mpaas.ActionCreateNebulaApp] != 0 {
		t.Fatal("the emulator saw a create")
	}
}

func TestFaultReset(t *testing.T) {
	e := newEnv(t)
	fi := e.withFaults(FaultConfig{Seed: 1, Reset: 1})
	_, _, err := rawDo(e.requestV3(mpaas.ActionCreateNebulaApp, e.params("H5Id", "12345678", "H5Name", "x"), signing{}))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("want a connection reset, got %v", err)
	}
	// After the ambiguous reset, CreateApp looks for the app three times
	// (every lookup is reset too) and returns the ambiguous error.
	if err := e.client().CreateApp(context.Background(), "12345678", "x"); !mpaas.IsAmbiguous(err) {
		t.Fatalf("client: want an ambiguous error, got %v", err)
	}
	if _, err := e.client().ListApps(context.Background(), ""); err == nil {
		t.Fatal("a list went through a reset")
	}
	fi.SetEnabled(false)
	if n := e.appCount(); n != 0 {
		t.Fatalf("a reset create was processed: %d apps", n)
	}
	if s := fi.Stats(); s[FaultReset] != 6 {
		t.Fatalf("stats %v", s)
	}
}

// faultsOn enables the injector for the requests it names (by action, or
// "/oss" for uploads) and disables it for every other request of a client.
type faultsOn struct {
	fi    *FaultInjector
	names map[string]bool
}

func (f faultsOn) RoundTrip(req *http.Request) (*http.Response, error) {
	f.fi.SetEnabled(f.names[req.Header.Get("x-acs-action")] || f.names[req.URL.Path])
	return http.DefaultTransport.RoundTrip(req)
}

func TestFaultLostResponseStillCreates(t *testing.T) {
	e := newEnv(t)
	fi := e.withFaults(FaultConfig{Seed: 1, LostResponse: 1})
	ctx := context.Background()
	// The writes lose their answers; the lookups that follow them do not.
	c, err := mpaas.New(mpaas.Config{
		Endpoint: e.ts.URL, AccessKeyID: testKeyID, AccessKeySecret: testSecret,
		AppID: e.scope.Get("AppId"), WorkspaceID: e.scope.Get("WorkspaceId"), TenantID: e.scope.Get("TenantId"),
		Now: func() time.Time { return e.now },
		HTTPClient: &http.Client{Transport: faultsOn{fi: fi, names: map[string]bool{
			mpaas.ActionCreateNebulaApp: true, mpaas.ActionCreateNebulaResource: true, "/oss": true,
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The create's answer is lost, but the app is created: the client's
	// lookup finds it.
	if err := c.CreateApp(ctx, "12345678", "Demo"); err != nil {
		t.Fatalf("create app: %v", err)
	}
	// The upload's answer is lost too, but the file is stored.
	zipPath := normalZip(t, "12345678")
	zipInfo, err := os.Stat(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadFile(ctx, filepath.Base(zipPath), zipInfo.Size(), func() (io.ReadCloser, error) { return os.Open(zipPath) }); err == nil {
		t.Fatal("upload: want an error")
	}
	var fileURL string
	for key := range e.srv.store.st.Objects {
		fileURL = e.ts.URL + "/oss/" + key
	}
	if len(e.srv.store.st.Objects) != 1 {
		t.Fatalf("%d files stored, want the one whose answer was lost", len(e.srv.store.st.Objects))
	}
	pkg, adopted, err := c.CreatePackage(ctx, mpaas.CreatePackageInput{
		H5AppID: "12345678", Version: "1.0.0.1", FileURL: fileURL, Content: mpaas.FileContent(zipPath, zipInfo.Size()),
		PackageSettings: mpaas.PackageSettings{ResourceType: mpaas.ResourceTypeNormal,
			Targets: mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1.0"}}, MainURL: "/www/index.html",
			DownloadPolicy: mpaas.DownloadPolicyWifiOnly, InstallPolicy: mpaas.InstallPolicyOnOpen},
	})
	if err != nil || adopted || pkg.Version != "1.0.0.1" || pkg.FileSize != zipInfo.Size() {
		t.Fatalf("create package: %+v adopted=%v, %v", pkg, adopted, err)
	}
	if s := fi.Stats(); s[FaultLostResponse] != 3 || s[FaultRequests] != 3 {
		t.Fatalf("stats %v", s)
	}
	fi.SetEnabled(false)
	stats := e.srv.Stats()
	if stats[mpaas.ActionCreateNebulaApp] != 1 || stats[mpaas.ActionCreateNebulaResource] != 1 {
		t.Fatalf("the emulator saw %d app and %d package creates, want one each", stats[mpaas.ActionCreateNebulaApp], stats[mpaas.ActionCreateNebulaResource])
	}
	pkgs, err := c.ListPackages(ctx, "12345678")
	if err != nil || len(pkgs) != 1 || pkgs[0].ID != pkg.ID {
		t.Fatalf("packages %+v, %v", pkgs, err)
	}
}

func TestFaultDeterministic(t *testing.T) {
	cfg := FaultConfig{Seed: 42, Throttle: 0.2, ServerError: 0.2, Reset: 0.2, LostResponse: 0.2}
	sequence := func(cfg FaultConfig) []string {
		fi := NewFaultInjector(http.NotFoundHandler(), cfg)
		out := make([]string, 500)
		for i := range out {
			out[i] = fi.draw()
		}
		return out
	}
	a, b := sequence(cfg), sequence(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different sequences")
	}
	counts := map[string]int{}
	for _, k := range a {
		counts[k]++
	}
	for _, k := range []string{"", FaultThrottle, FaultHTTP500, FaultHTTP503, FaultReset, FaultLostResponse} {
		if counts[k] == 0 {
			t.Errorf("kind %q never drawn in 500 requests: %v", k, counts)
		}
	}
	cfg.Seed = 43
	if reflect.DeepEqual(a, sequence(cfg)) {
		t.Fatal("another seed gave the same sequence")
	}

	// Over HTTP: the same requests in the same order get the same faults.
	run := func() map[string]int64 {
		e := newEnv(t)
		fi := e.withFaults(FaultConfig{Seed: 42, Throttle: 0.25, ServerError: 0.25, Reset: 0.25})
		for i := 0; i < 30; i++ {
			_, _, _ = rawDo(e.requestV3(mpaas.ActionListNebulaApps, e.params(), signing{}))
		}
		return fi.Stats()
	}
	if s1, s2 := run(), run(); !reflect.DeepEqual(s1, s2) || s1[FaultRequests] != 30 {
		t.Fatalf("stats differ: %v vs %v", s1, s2)
	}
}

func TestFaultZeroConfigAndDisabledPassThrough(t *testing.T) {
	e := newEnv(t)
	fi := e.withFaults(FaultConfig{})
	for i := 0; i < 20; i++ {
		if e.appCount() != 0 {
			t.Fatal("unexpected app")
		}
	}
	s := fi.Stats()
	if s[FaultRequests] != 20 || s[FaultThrottle]+s[FaultHTTP500]+s[FaultHTTP503]+s[FaultReset]+s[FaultLostResponse] != 0 {
		t.Fatalf("stats %v", s)
	}
	fi2 := e.withFaults(FaultConfig{Reset: 1})
	fi2.SetEnabled(false)
	e.mustCreateApp("12345678", "Demo")
	if s := fi2.Stats(); s[FaultRequests] != 0 {
		t.Fatalf("a disabled injector counted: %v", s)
	}
	if line := fi2.StatsLine(); line != "throttle=0 http500=0 http503=0 reset=0 lost_response=0 requests=0" {
		t.Fatalf("stats line %q", line)
	}
}

func TestFaultsSkipDownloadsAndEmulatorRoutes(t *testing.T) {
	e := newEnv(t)
	fi := e.withFaults(FaultConfig{Reset: 1})
	for _, p := range []string{"/download/none", "/emulator/delivery", "/emulator/anything"} {
		resp, err := http.Get(e.ts.URL + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		resp.Body.Close()
	}
	if s := fi.Stats(); s[FaultRequests] != 0 || s[FaultReset] != 0 {
		t.Fatalf("stats %v", s)
	}
}

func TestFaultLatency(t *testing.T) {
	e := newEnv(t)
	e.withFaults(FaultConfig{Latency: 60 * time.Millisecond})
	start := time.Now()
	e.appCount()
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("request took %s, want at least 60ms", d)
	}
}

func TestFaultRatesNormalised(t *testing.T) {
	fi := NewFaultInjector(http.NotFoundHandler(), FaultConfig{Throttle: 2, ServerError: 1, Reset: -1})
	for i := 0; i < 100; i++ {
		if k := fi.draw(); k == "" || k == FaultReset || k == FaultLostResponse {
			t.Fatalf("draw %d gave %q", i, k)
		}
	}
}
