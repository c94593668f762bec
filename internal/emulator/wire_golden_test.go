package emulator

// Golden wire shapes. Every action the provider uses is driven through the
// real client (internal/mpaas) against the emulator while a recording
// transport keeps the raw JSON body of each answer. Each body is reduced to
// its shape (every key, with the JSON type of its value; arrays as the one
// shape all their elements share) and compared, key path by key path, with
// testdata/wire/<Action>.json. A key renamed, dropped or added in wire.go, or
// a value changing JSON type, fails here, although the emulator and the client
// no longer share any struct.
//
// The comparison walks the decoded body as maps rather than decoding it into
// a struct with DisallowUnknownFields: encoding/json matches struct keys case
// insensitively, so a strict struct decode would accept "H5ID" for "H5Id".
//
// Reference: the golden files were generated while the emulator still
// encoded the client's own structs (internal/mpaas/wire.go), then compared
// key path by key path with the response body models of the official SDK
// github.com/alibabacloud-go/mpaas-20201028 v3.3.0: every file holds exactly
// the SDK model's keys, each with the JSON type of the SDK's field type,
// misspellings such as CreateMcubeNebulaResourceReslult included
// (DESIGN.md section 6 says how). The SDK decodes leniently, so these types
// are the emulator's plain dialect, not proof of what the service sends;
// the client reads other types too (internal/mpaas/lenient.go, and the
// emulator's SDK-lenient dialect in dialect_test.go). tools/live-check
// compares a real workspace's answers with these files (wire_shape.go).
//
// Regenerate after a deliberate wire change:
//
//	go test ./internal/emulator/ -run TestWireGolden -update

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/wire/*.json from the emulator's answers")

const wireGoldenDir = "testdata/wire"

// gatewayErrorGolden names the golden file of the gateway's error body.
const gatewayErrorGolden = "GatewayError"

// goldenActions are the actions the provider calls (internal/mpaas/enums.go).
var goldenActions = []string{
	mpaas.ActionCreateNebulaApp,
	mpaas.ActionListNebulaApps,
	mpaas.ActionDeleteNebulaApp,
	mpaas.ActionCreateNebulaResource,
	mpaas.ActionGetNebulaResource,
	mpaas.ActionListNebulaResources,
	mpaas.ActionCreateNebulaTask,
	mpaas.ActionListNebulaTasks,
	mpaas.ActionGetNebulaTaskDetail,
	mpaas.ActionChangeNebulaTaskStatus,
	mpaas.ActionGetFileToken,
	mpaas.ActionCreateVhost,
	mpaas.ActionQueryVhost,
	mpaas.ActionExistRsaKey,
	mpaas.ActionUploadRsaKey,
	mpaas.ActionCreateWhitelist,
	mpaas.ActionUpdateWhitelist,
	mpaas.ActionListWhitelists,
	mpaas.ActionDeleteWhitelist,
	mpaas.ActionDeleteWhitelistContent,
}

// bodyRecorder keeps the body of every API answer, by action (V3 requests
// name it in x-acs-action), or under gatewayErrorGolden for a non-200 answer.
// Uploads to /oss carry no action and pass through unrecorded.
type bodyRecorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies map[string][][]byte
}

func (r *bodyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	action := req.Header.Get("x-acs-action")
	if err != nil || action == "" {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	name := action
	if resp.StatusCode != http.StatusOK {
		name = gatewayErrorGolden
	}
	r.mu.Lock()
	r.bodies[name] = append(r.bodies[name], body)
	r.mu.Unlock()
	return resp, nil
}

// recordingClient is a client of the env whose answers land in rec.
func (e *env) recordingClient(secret string, rec *bodyRecorder) *mpaas.Client {
	e.t.Helper()
	c, err := mpaas.New(mpaas.Config{
		Endpoint: e.ts.URL, AccessKeyID: testKeyID, AccessKeySecret: secret,
		AppID: e.scope.Get("AppId"), WorkspaceID: e.scope.Get("WorkspaceId"), TenantID: e.scope.Get("TenantId"),
		HTTPClient: &http.Client{Transport: rec},
		Now:        func() time.Time { return e.now },
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func uploadLocalFile(ctx context.Context, c *mpaas.Client, path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	return c.UploadFile(ctx, filepath.Base(path), fi.Size(), func() (io.ReadCloser, error) { return os.Open(path) })
}

// driveEveryAction calls each of goldenActions at least once through the
// client, so that every list in an answer has at least one element, and
// checks what the emulator holds afterwards. The client's domain results
// only show that it read the answers; their keys are what this test checks.
func driveEveryAction(t *testing.T, e *env, c *mpaas.Client) {
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	check("SetVhost", c.SetVhost(ctx, "h5app.example.com"))
	vhost, err := c.QueryVhost(ctx)
	check("QueryVhost", err)
	check("CreateApp", c.CreateApp(ctx, "12345678", "Demo"))
	apps, err := c.ListApps(ctx, "")
	check("ListApps", err)
	if vhost != "h5app.example.com" || len(apps) != 1 {
		t.Fatalf("client read vhost %q and apps %v", vhost, apps)
	}

	zipPath := normalZip(t, "12345678")
	fileURL, err := uploadLocalFile(ctx, c, zipPath)
	check("UploadFile", err)
	zipInfo, err := os.Stat(zipPath)
	check("stat", err)
	created, _, err := c.CreatePackage(ctx, mpaas.CreatePackageInput{
		H5AppID: "12345678", H5AppName: "Demo", Version: "1.0.0.1", FileURL: fileURL,
		Content: mpaas.FileContent(zipPath, zipInfo.Size()),
		PackageSettings: mpaas.PackageSettings{
			ResourceType: mpaas.ResourceTypeNormal, Targets: mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1.0"}},
			MainURL: "/www/index.html", ExtendInfo: map[string]string{"asyncReqRate": "1800"},
			DownloadPolicy: mpaas.DownloadPolicyAllNetworks, InstallPolicy: mpaas.InstallPolicyPreload,
		},
	})
	check("CreatePackage", err)
	pkg := created.ID
	got, err := c.GetPackage(ctx, pkg)
	check("GetPackage", err)
	list, err := c.ListPackages(ctx, "12345678")
	check("ListPackages", err)
	if got == nil || len(list) != 1 {
		t.Fatalf("client read package %v and list %v", got, list)
	}

	release, err := c.CreateRelease(ctx, mpaas.CreateReleaseInput{
		PackageID: pkg, Memo: "golden", Type: mpaas.ReleaseTypeGrayscale, WhitelistIDs: []string{"7", "8"},
		Rules: []mpaas.ReleaseRule{
			{Element: mpaas.RuleCity, Operator: mpaas.RuleContains, Values: []string{"Hangzhou"}},
			{Element: mpaas.RuleOSVersion, Operator: mpaas.RuleInRange, Values: []string{"10", "12"}},
		},
	})
	check("CreateRelease", err)
	task := release.ID
	tasks, err := c.ListReleases(ctx, pkg)
	check("ListReleases", err)
	detail, err := c.GetRelease(ctx, task)
	check("GetRelease", err)
	if len(tasks) != 1 || detail == nil {
		t.Fatalf("client read %d tasks and detail %v", len(tasks), detail)
	}
	check("ChangeReleaseStatus", c.ChangeReleaseStatus(ctx, task, pkg, mpaas.ReleaseStatusPaused))
	st := e.srv.store
	st.mu.Lock()
	sc := st.st.scope(e.scopeKey(), false)
	var held taskRecord
	if sc != nil && sc.Tasks[task] != nil {
		held = *sc.Tasks[task]
	}
	st.mu.Unlock()
	if held.Detail.PackageID != pkg || held.Detail.TaskStatus != mpaas.TaskStatusPaused || len(held.Detail.Rules) != 2 {
		t.Fatalf("the emulator holds task %d as %+v", task, held)
	}

	driveWhitelistActions(t, e, c)
	exists, err := c.ExistRsaKey(ctx)
	check("ExistRsaKey", err)
	keyPath := filepath.Join(t.TempDir(), "rsa.pem")
	check("writing the key", os.WriteFile(keyPath, []byte(testRSAKeyPEM(t)), 0o600))
	keyURL, err := uploadLocalFile(ctx, c, keyPath)
	check("UploadFile (key)", err)
	check("UploadRsaKey", c.UploadRsaKey(ctx, keyURL))
	check("DeleteApp", c.DeleteApp(ctx, "12345678"))
	// An empty list is an answer too: its NebulaAppInfos must stay a list.
	remaining, err := c.ListApps(ctx, "")
	check("ListApps", err)
	if len(remaining) != 0 {
		t.Fatalf("client listed %d apps after the delete", len(remaining))
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if exists || sc.RsaKeyFile == "" || sc.Vhost != "h5app.example.com" || len(sc.Apps)+len(sc.Resources)+len(sc.Tasks) != 0 {
		t.Fatalf("key existed before the upload: %v; the emulator holds key %q, vhost %q, %d apps, %d packages, %d tasks",
			exists, sc.RsaKeyFile, sc.Vhost, len(sc.Apps), len(sc.Resources), len(sc.Tasks))
	}
	stats := e.srv.Stats()
	for _, action := range goldenActions {
		if stats[action] == 0 {
			t.Errorf("the emulator counted no %s call", action)
		}
	}
}

// scopeKey is the scope of the env's requests.
func (e *env) scopeKey() scopeKey {
	return scopeKey{AppID: e.scope.Get("AppId"), WorkspaceID: e.scope.Get("WorkspaceId"), TenantID: e.scope.Get("TenantId")}
}

func TestWireGolden(t *testing.T) {
	e := newEnv(t)
	rec := &bodyRecorder{next: http.DefaultTransport, bodies: map[string][][]byte{}}
	driveEveryAction(t, e, e.recordingClient(testSecret, rec))
	var apiErr *mpaas.APIError
	if _, err := e.recordingClient("wrong-secret", rec).QueryVhost(context.Background()); !errors.As(err, &apiErr) {
		t.Fatalf("a wrong secret gave %v, want an API error", err)
	}

	served := make([]string, 0, len(actions))
	for action := range actions {
		served = append(served, action)
	}
	sort.Strings(served)
	want := append(append([]string(nil), goldenActions...), gatewayErrorGolden)
	sort.Strings(want)
	if !reflect.DeepEqual(served, without(want, gatewayErrorGolden)) {
		t.Errorf("the emulator serves %v but the golden test covers %v: add the new action to goldenActions", served, without(want, gatewayErrorGolden))
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			bodies := rec.bodies[name]
			if len(bodies) == 0 {
				t.Fatalf("no %s answer was recorded", name)
			}
			if *updateGolden {
				writeGolden(t, name, bodies)
				return
			}
			for _, body := range bodies {
				checkGoldenShape(t, name, body)
			}
		})
	}
	checkNoStaleGolden(t, want)
}

func without(names []string, drop string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != drop {
			out = append(out, n)
		}
	}
	return out
}

// checkGoldenShape compares one answer's shape with testdata/wire/<name>.json.
func checkGoldenShape(t *testing.T, name string, body []byte) {
	t.Helper()
	got, err := bodyShape(body)
	if err != nil {
		t.Fatalf("%s answered %s: %v", name, body, err)
	}
	path := filepath.Join(wireGoldenDir, name+".json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	gotPaths, wantPaths := map[string]string{}, map[string]string{}
	flattenShape("", got, gotPaths)
	flattenShape("", want, wantPaths)
	for _, problem := range diffPaths(gotPaths, wantPaths) {
		t.Errorf("%s: %s", name, problem)
	}
	if t.Failed() {
		t.Logf("answer: %s", body)
	}
}

// writeGolden writes testdata/wire/<name>.json from the answer with the most
// key paths (an empty list shows no element keys).
func writeGolden(t *testing.T, name string, bodies [][]byte) {
	t.Helper()
	var richest any
	most := -1
	for _, body := range bodies {
		shape, err := bodyShape(body)
		if err != nil {
			t.Fatalf("%s answered %s: %v", name, body, err)
		}
		paths := map[string]string{}
		flattenShape("", shape, paths)
		if len(paths) > most {
			richest, most = shape, len(paths)
		}
	}
	path := filepath.Join(wireGoldenDir, name+".json")
	data, err := json.MarshalIndent(richest, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkNoStaleGolden fails on a golden file no recorded answer checked.
func checkNoStaleGolden(t *testing.T, names []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(wireGoldenDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, n := range names {
		known[n+".json"] = true
	}
	for _, f := range files {
		if !known[filepath.Base(f)] {
			t.Errorf("%s belongs to no recorded answer; delete it", f)
		}
	}
}

// TestGoldenShapeComparison shows that the comparison catches a renamed,
// missing or extra key, a key differing only in case, and a type change.
func TestGoldenShapeComparison(t *testing.T) {
	want := map[string]string{}
	flattenShape("", mustShape(t, `{"A":{"H5Id":"x","N":1,"L":[{"K":true}]}}`), want)
	for body, problem := range map[string]string{
		`{"A":{"H5ID":"x","N":1,"L":[{"K":true}]}}`:         "key A.H5Id (string) is missing",
		`{"A":{"N":1,"L":[{"K":true}]}}`:                    "key A.H5Id (string) is missing",
		`{"A":{"H5Id":"x","N":1,"L":[{"K":true}],"X":1}}`:   "key A.X (number) is not in the golden file",
		`{"A":{"H5Id":"x","N":"1","L":[{"K":true}]}}`:       "key A.N is string, want number",
		`{"A":{"H5Id":"x","N":1,"L":[{"K":true,"J":""}]}}`:  "key A.L[].J (string) is not in the golden file",
		`{"A":{"H5Id":"x","N":1,"L":null}}`:                 "key A.L is null, want array",
		`{"A":{"H5Id":"x","N":1,"L":[{"K":true}]}}`:         "",
		`{"A":{"H5Id":"x","N":1,"L":[]}}`:                   "",
		`{"A":{"H5Id":"x","N":1,"L":[{"K":true},{"K":1}]}}`: "element 1 has another shape",
	} {
		got := map[string]string{}
		shape, err := bodyShape([]byte(body))
		if err != nil {
			if problem == "" || !strings.Contains(err.Error(), problem) {
				t.Errorf("%s: %v, want %q", body, err, problem)
			}
			continue
		}
		flattenShape("", shape, got)
		problems := strings.Join(diffPaths(got, want), "; ")
		if (problem == "") != (problems == "") || !strings.Contains(problems, problem) {
			t.Errorf("%s: problems %q, want %q", body, problems, problem)
		}
	}
	if _, err := bodyShape([]byte(`{"A":1} {"B":2}`)); err == nil {
		t.Error("a second JSON document after the first was accepted")
	}
}

func mustShape(t *testing.T, body string) any {
	t.Helper()
	shape, err := bodyShape([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return shape
}
