package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

const (
	testKeyID, testSecret                    = "LTAIlivecheck", "live-check-secret"
	testAppID, testWorkspaceID, testTenantID = "ONEX570DA89211721", "default", "TNTABCDE"
)

// workspace is an emulator holding an H5App with a package and a release
// task, and the environment that points live-check at it.
type workspace struct {
	emu  *emulator.Server
	srv  *httptest.Server
	env  map[string]string
	sent atomic.Int64 // requests that reached the emulator
}

func newWorkspace(t *testing.T, quirks emulator.Quirks) *workspace {
	t.Helper()
	emu, err := emulator.New(emulator.Options{
		DataDir: t.TempDir(), Quirks: quirks,
		Credentials: []emulator.Credential{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}},
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &workspace{emu: emu}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.sent.Add(1)
		emu.ServeHTTP(rw, r)
	}))
	t.Cleanup(w.srv.Close)
	w.env = map[string]string{
		"MPAAS_ENDPOINT": w.srv.URL, "ALIBABA_CLOUD_ACCESS_KEY_ID": testKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": testSecret,
		"MPAAS_APP_ID": testAppID, "MPAAS_WORKSPACE_ID": testWorkspaceID, "MPAAS_TENANT_ID": testTenantID,
	}
	w.seed(t)
	return w
}

// seed creates, through the client, what live-check then reads.
func (w *workspace) seed(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c, err := mpaas.New(mpaas.Config{Endpoint: w.srv.URL, AccessKeyID: testKeyID, AccessKeySecret: testSecret,
		AppID: testAppID, WorkspaceID: testWorkspaceID, TenantID: testTenantID})
	if err != nil {
		t.Fatal(err)
	}
	const h5AppID = "12345678"
	if err := c.SetVhost(ctx, "h5app.example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateWhitelist(ctx, "qa devices", mpaas.WhitelistNormal); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateApp(ctx, h5AppID, "Demo"); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), h5AppID+".zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entry, _ := zw.Create(h5AppID + "/www/index.html")
	_, _ = io.WriteString(entry, "<html></html>")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	fileURL, err := c.UploadFile(ctx, h5AppID+".zip", int64(buf.Len()), func() (io.ReadCloser, error) { return os.Open(zipPath) })
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := c.CreatePackage(ctx, mpaas.CreatePackageInput{
		H5AppID: h5AppID, H5AppName: "Demo", FileURL: fileURL, Content: mpaas.FileContent(zipPath, int64(buf.Len())),
		PackageSettings: mpaas.PackageSettings{ResourceType: mpaas.ResourceTypeNormal, MainURL: "/www/index.html",
			Targets:        mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1.0"}},
			DownloadPolicy: mpaas.DownloadPolicyWifiOnly, InstallPolicy: mpaas.InstallPolicyOnOpen},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateRelease(ctx, mpaas.CreateReleaseInput{PackageID: pkg.ID, Memo: "live-check", Type: mpaas.ReleaseTypeGrayscale,
		WhitelistIDs: []string{"7"}}); err != nil {
		t.Fatal(err)
	}
}

func (w *workspace) run(t *testing.T, next http.RoundTripper) (int, string) {
	t.Helper()
	var out bytes.Buffer
	before := w.emu.Stats()
	code := run(context.Background(), nil, func(name string) string { return w.env[name] }, &out, next)
	after := w.emu.Stats()
	for action, n := range after {
		if n != before[action] && !readActions[action] && !strings.HasPrefix(action, "signature:") {
			t.Errorf("live-check called %s %d times", action, n-before[action])
		}
	}
	return code, out.String()
}

// Against the emulator's plain dialect live-check reads every read action
// the provider uses and reports no difference and nothing unread.
func TestLiveCheckAgainstThePlainEmulator(t *testing.T) {
	w := newWorkspace(t, emulator.Quirks{})
	code, out := w.run(t, http.DefaultTransport)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for action := range readActions {
		if !strings.Contains(out, "\n"+action+": ") {
			t.Errorf("%s was not read:\n%s", action, out)
		}
	}
	for _, want := range []string{"same keys and types", "every answer read, every field understood",
		"live-check: 0 differences from the emulator's shapes, 0 failed reads, 0 fields not understood; nothing was written",
		`ResultCode: "OK"`, `ResourceType: "0" (`, "GmtCreate: yyyy-MM-dd HH:mm:ss", "PublishType: 2 ("} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "differences:") {
		t.Errorf("differences reported against the plain dialect:\n%s", out)
	}
}

// Against the SDK-lenient dialect every answer is still read (exit 0), and
// each key in another JSON type is named.
func TestLiveCheckNamesTypesThatDiffer(t *testing.T) {
	w := newWorkspace(t, emulator.Quirks{SDKLenient: true})
	code, out := w.run(t, http.DefaultTransport)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{
		"key ListMcubeNebulaResourceResult.NebulaResourceInfo[].FileSize is number, want string",
		"key ListMcubeNebulaResourceResult.NebulaResourceInfo[].Id is string, want number",
		"key ListMcubeNebulaAppsResult.Success is string, want bool",
		"every answer read, every field understood", "GmtCreate: epoch milliseconds (number)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}

func TestLiveCheckWithoutCredentialsSaysWhatItNeeds(t *testing.T) {
	var out bytes.Buffer
	var called atomic.Int64
	next := roundTripFunc(func(*http.Request) (*http.Response, error) { called.Add(1); return nil, io.EOF })
	code := run(context.Background(), nil, func(string) string { return "" }, &out, next)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if code == 0 || len(lines) != 1 || !strings.Contains(lines[0], "needs ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, MPAAS_APP_ID") || called.Load() != 0 {
		t.Errorf("exit %d, %d calls, output:\n%s", code, called.Load(), out.String())
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A write never leaves the machine, however it is asked for.
func TestReadOnlyTransportRefusesEverythingButReads(t *testing.T) {
	var sent atomic.Int64
	next := roundTripFunc(func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{}`)), Header: http.Header{}}, nil
	})
	transport := &readOnlyTransport{next: next, bodies: map[string][][]byte{}}
	request := func(method, target string, header map[string]string) *http.Request {
		r := httptestRequest(method, target)
		for k, v := range header {
			r.Header.Set(k, v)
		}
		return r
	}
	refused := map[string]*http.Request{
		"V3 write":           request("POST", "https://mpaas.aliyuncs.com/", map[string]string{"x-acs-action": mpaas.ActionCreateNebulaApp}),
		"V1 write":           request("POST", "https://mpaas.aliyuncs.com/?Action="+mpaas.ActionDeleteNebulaApp, nil),
		"status change":      request("POST", "https://mpaas.aliyuncs.com/", map[string]string{"x-acs-action": mpaas.ActionChangeNebulaTaskStatus}),
		"file token":         request("POST", "https://mpaas.aliyuncs.com/", map[string]string{"x-acs-action": mpaas.ActionGetFileToken}),
		"upload":             request("POST", "https://bucket.example.com/oss/", nil),
		"two actions":        request("POST", "https://mpaas.aliyuncs.com/?Action="+mpaas.ActionCreateNebulaApp, map[string]string{"x-acs-action": mpaas.ActionListNebulaApps}),
		"GET of a read":      request("GET", "https://mpaas.aliyuncs.com/", map[string]string{"x-acs-action": mpaas.ActionListNebulaApps}),
		"read on other path": request("POST", "https://mpaas.aliyuncs.com/x", map[string]string{"x-acs-action": mpaas.ActionListNebulaApps}),
	}
	for name, r := range refused {
		if _, err := transport.RoundTrip(r); err == nil {
			t.Errorf("%s was sent", name)
		}
	}
	if sent.Load() != 0 {
		t.Fatalf("%d refused requests reached the network", sent.Load())
	}
	for action := range readActions {
		if _, err := transport.RoundTrip(request("POST", "https://mpaas.aliyuncs.com/", map[string]string{"x-acs-action": action})); err != nil {
			t.Errorf("the read %s was refused: %v", action, err)
		}
		if !strings.HasPrefix(action, "List") && !strings.HasPrefix(action, "Get") && !strings.HasPrefix(action, "Query") && !strings.HasPrefix(action, "Exist") {
			t.Errorf("%s is allowed but is not named as a read", action)
		}
	}
	if int(sent.Load()) != len(readActions) {
		t.Errorf("%d reads sent, want %d", sent.Load(), len(readActions))
	}
}

func httptestRequest(method, target string) *http.Request {
	return httptest.NewRequest(method, target, strings.NewReader("a=b"))
}
