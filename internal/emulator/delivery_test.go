package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func TestDeliveryReleaseMapsStoredTasks(t *testing.T) {
	task := func(change func(*releaseRecord)) *releaseRecord {
		d := &releaseRecord{
			ID: 7, TaskStatus: mpaas.TaskStatusActive, PublishType: mpaas.PublishTypeGrayscale, PublishMode: mpaas.PublishModeWhitelist,
			WhitelistIDs: "u1,u2", GreyConfigInfo: `[{"ruleElement":"city","operation":1,"value":"Hangzhou,Beijing"}]`,
		}
		change(d)
		return d
	}
	cityRule := []mpaas.ReleaseRule{{Element: mpaas.RuleCity, Operator: mpaas.RuleContains, Values: []string{"Hangzhou", "Beijing"}}}
	gray := func(change func(*mpaas.Release)) mpaas.Release {
		r := mpaas.Release{ID: 7, Status: mpaas.ReleaseStatusActive, Type: mpaas.ReleaseTypeGrayscale}
		change(&r)
		return r
	}
	cases := []struct {
		name           string
		detail         *releaseRecord
		want           mpaas.Release
		wantUnreadable string
	}{
		{"whitelist with rules", task(func(*releaseRecord) {}),
			gray(func(r *mpaas.Release) { r.WhitelistIDs, r.Rules = []string{"u1", "u2"}, cityRule }), ""},
		{"range rules", task(func(d *releaseRecord) {
			d.GreyConfigInfo = `[{"ruleElement":"osVersion","operation":4,"value1":"10","value2":"12"}]`
		}), gray(func(r *mpaas.Release) {
			r.WhitelistIDs = []string{"u1", "u2"}
			r.Rules = []mpaas.ReleaseRule{{Element: mpaas.RuleOSVersion, Operator: mpaas.RuleOutOfRange, Values: []string{"10", "12"}}}
		}), ""},
		{"empty whitelist list is still a whitelist release", task(func(d *releaseRecord) { d.WhitelistIDs, d.GreyConfigInfo = "", "" }),
			gray(func(r *mpaas.Release) { r.WhitelistIDs = []string{} }), ""},
		{"time window read as UTC", task(func(d *releaseRecord) {
			d.TaskStatus, d.PublishMode, d.GreyEndtimeData, d.GreyNum, d.GreyConfigInfo = mpaas.TaskStatusPaused, mpaas.PublishModeTimeWindow, "2025-03-02 12:00:00", 50, ""
		}), gray(func(r *mpaas.Release) {
			r.Status, r.Window = mpaas.ReleaseStatusPaused, &mpaas.TimeWindow{End: time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC), MaxUsers: 50}
		}), ""},
		{"official ignores grayscale fields", task(func(d *releaseRecord) {
			d.TaskStatus, d.PublishType, d.PublishMode, d.GreyConfigInfo = mpaas.TaskStatusEnded, mpaas.PublishTypeOfficial, mpaas.PublishModeOfficial, "not json"
		}), mpaas.Release{ID: 7, Status: mpaas.ReleaseStatusEnded, Type: mpaas.ReleaseTypeOfficial}, ""},
		{"unknown status", task(func(d *releaseRecord) { d.TaskStatus = 9 }),
			mpaas.Release{ID: 7, Type: mpaas.ReleaseTypeGrayscale}, "unknown TaskStatus 9"},
		{"unknown type", task(func(d *releaseRecord) { d.PublishType = 5 }),
			mpaas.Release{ID: 7, Status: mpaas.ReleaseStatusActive}, "unknown PublishType 5"},
		{"unknown mode", task(func(d *releaseRecord) { d.PublishMode = 4 }),
			gray(func(r *mpaas.Release) { r.Rules = cityRule }), "unknown PublishMode 4"},
		{"unreadable end", task(func(d *releaseRecord) {
			d.PublishMode, d.GreyEndtimeData = mpaas.PublishModeTimeWindow, "tomorrow"
		}),
			gray(func(r *mpaas.Release) { r.Window, r.Rules = &mpaas.TimeWindow{}, cityRule }), `cannot parse "tomorrow"`},
		{"unreadable rules", task(func(d *releaseRecord) {
			d.GreyConfigInfo = `[{"ruleElement":"planet","operation":1,"value":"x"}]`
		}),
			gray(func(r *mpaas.Release) { r.WhitelistIDs = []string{"u1", "u2"} }), `unknown ruleElement "planet"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := deliveryRelease(tc.detail, time.UTC)
			unreadable := got.DecodeError
			got.DecodeError = nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("release = %+v, want %+v", got, tc.want)
			}
			if (unreadable == nil) != (tc.wantUnreadable == "") || (unreadable != nil && !strings.Contains(unreadable.Error(), tc.wantUnreadable)) {
				t.Fatalf("DecodeError = %v, want %q", unreadable, tc.wantUnreadable)
			}
		})
	}
}

func TestDeliveryPackageMapsStoredTargets(t *testing.T) {
	item := func(platform, lo, hi string) packageRecord {
		return packageRecord{ID: 3, H5Version: "1.0.0.1", Platform: platform, ClientVersionMin: lo, ClientVersionMax: hi}
	}
	both := deliveryPackage(item(mpaas.PlatformAll, "Android:10.1.0,iOS:10.2.0", "11.0"), "http://x/p.amr")
	want := mpaas.Package{ID: 3, Version: "1.0.0.1", DownloadURL: "http://x/p.amr"}
	want.Targets = mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1.0", Max: "11.0"}, IOS: &mpaas.VersionRange{Min: "10.2.0", Max: "11.0"}}
	if !reflect.DeepEqual(both, want) {
		t.Fatalf("both platforms: %+v, want %+v", both, want)
	}
	if ios := deliveryPackage(item(mpaas.PlatformIOS, "9", ""), ""); ios.Targets.Android != nil || ios.Targets.IOS == nil || *ios.Targets.IOS != (mpaas.VersionRange{Min: "9"}) {
		t.Fatalf("iOS only: %+v", ios)
	}
	// An unknown platform is named as the client names it, so that the
	// endpoint and the provider's preview give the same reason.
	bad := deliveryPackage(item("web", "1", ""), "")
	if err := mpaas.UndecodedField(bad.DecodeError, mpaas.FieldPlatform); err == nil || bad.Targets.Android != nil || bad.Targets.IOS != nil {
		t.Fatalf("unknown platform: %+v", bad)
	}
}

func (e *env) delivery(query url.Values) (int, DeliveryResponse, []byte) {
	e.t.Helper()
	for k, v := range e.scope {
		query.Set(map[string]string{"AppId": "app_id", "WorkspaceId": "workspace_id", "TenantId": "tenant_id"}[k], v[0])
	}
	req, err := http.NewRequest(http.MethodGet, e.ts.URL+deliveryPath+"?"+query.Encode(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	status, body := e.send(req)
	var out DeliveryResponse
	if status == http.StatusOK {
		if err := json.Unmarshal(body, &out); err != nil {
			e.t.Fatalf("decoding %s: %v", body, err)
		}
	}
	return status, out, body
}

func TestDeliveryEndpoint(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Released")
	e.mustCreateApp("23456789", "Unreleased")
	pkg := e.mustCreatePackage("12345678", "1.0.0.1", "Platform", "all", "ClientVersionMin", "Android:10.1.0,iOS:10.2.0")
	e.mustCreatePackage("23456789", "1.0.0.1")
	resp := e.createTask("PackageId", pkg, "PublishType", "3", "PublishMode", "0", "Memo", "go")
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaTaskResult.nebulaResult)
	before := e.srv.Stats()

	status, out, body := e.delivery(url.Values{"platform": {"android"}, "client_version": {"10.1.0"}})
	if status != http.StatusOK || len(out.Deliveries) != 1 || len(out.Skipped) != 1 {
		t.Fatalf("HTTP %d: %s", status, body)
	}
	d := out.Deliveries[0]
	if d.H5Id != "12345678" || d.H5Version != "1.0.0.1" || d.PackageId != pkg || d.Reason != "official release" ||
		d.DownloadUrl != e.ts.URL+"/download/ONEX570DA89211721-default/12345678/1.0.0.1_all/nebula/12345678_1.0.0.1.amr" {
		t.Fatalf("delivery = %+v", d)
	}
	if s := out.Skipped[0]; s.H5Id != "23456789" || s.Reason != "no active release" {
		t.Fatalf("skipped = %+v", s)
	}

	status, out, body = e.delivery(url.Values{"platform": {"ios"}, "client_version": {"10.1.9"}, "h5app_id": {"12345678"}})
	if status != http.StatusOK || len(out.Deliveries) != 0 || len(out.Skipped) != 1 || out.Skipped[0].Reason != "client 10.1.9 is below min 10.2.0" {
		t.Fatalf("HTTP %d: %s", status, body)
	}
	status, out, body = e.delivery(url.Values{"platform": {"ios"}, "client_version": {"10.1.9"}, "h5app_id": {"99999999"}})
	if status != http.StatusOK || len(out.Skipped) != 1 || out.Skipped[0].Reason != "no such H5App" {
		t.Fatalf("HTTP %d: %s", status, body)
	}

	for _, bad := range []url.Values{
		{"platform": {"windows"}, "client_version": {"10.1.0"}},
		{"platform": {"android"}, "client_version": {"ten"}},
		{"platform": {"android"}, "client_version": {"10.1.0"}, "os_version": {"x"}},
	} {
		status, _, body := e.delivery(bad)
		expectGateway(t, status, body, http.StatusBadRequest, "InvalidParameter")
	}
	// Another scope sees nothing.
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+deliveryPath+"?app_id=OTHER&workspace_id=default&tenant_id=T&platform=android&client_version=10.1.0", nil)
	if status, body := e.send(req); status != http.StatusOK || string(body) != `{"Deliveries":[],"Skipped":[]}` {
		t.Fatalf("other scope: HTTP %d: %s", status, body)
	}
	// Only GET is served, and nothing is written or counted as an API action.
	req, _ = http.NewRequest(http.MethodPost, e.ts.URL+deliveryPath, nil)
	if status, _ := e.send(req); status != http.StatusNotFound {
		t.Fatalf("POST: HTTP %d", status)
	}
	after := e.srv.Stats()
	for k, v := range after {
		if k != "delivery" && v != before[k] {
			t.Fatalf("stat %s changed from %d to %d", k, before[k], v)
		}
	}
}

func TestDeliveryEndpointGrayscale(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Gray")
	older := e.mustCreatePackage("12345678", "1.0.0.1")
	newer := e.mustCreatePackage("12345678", "1.0.0.2")
	for _, kv := range [][]string{
		{"PackageId", older, "PublishType", "3", "PublishMode", "0", "Memo", "everyone"},
		{"PackageId", newer, "PublishType", "2", "PublishMode", "1", "WhitelistIds", e.mustCreateWhitelist("testers", "normal", "alice", "bob"), "Memo", "testers",
			"GreyConfigInfo", `[{"ruleElement":"osVersion","operation":3,"value1":"12","value2":"14"}]`},
	} {
		resp := e.createTask(kv...)
		expectOK(t, resp.envelope, resp.CreateMcubeNebulaTaskResult.nebulaResult)
	}
	for _, tc := range []struct {
		query       url.Values
		wantVersion string
		wantReason  string
	}{
		{url.Values{"user_id": {"alice"}, "os_version": {"13"}}, "1.0.0.2", "grayscale whitelist and rules"},
		{url.Values{"user_id": {"alice"}, "os_version": {"15"}}, "1.0.0.1", "official release"},
		{url.Values{"user_id": {"carol"}, "os_version": {"13"}}, "1.0.0.1", "official release"},
		// The whitelist's ID is not a user.
		{url.Values{"user_id": {e.whitelistIDNamed("testers")}, "os_version": {"13"}}, "1.0.0.1", "official release"},
	} {
		tc.query.Set("platform", "android")
		tc.query.Set("client_version", "10.1.0")
		status, out, body := e.delivery(tc.query)
		if status != http.StatusOK || len(out.Deliveries) != 1 || out.Deliveries[0].H5Version != tc.wantVersion || out.Deliveries[0].Reason != tc.wantReason {
			t.Fatalf("%v: HTTP %d: %s, want %s (%s)", tc.query, status, body, tc.wantVersion, tc.wantReason)
		}
	}
}

func TestDeliveryEndpointDisabled(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(o *Options) { o.DisableDeliveryEndpoint = true })
	e.mustCreateApp("12345678", "Released")
	status, _, body := e.delivery(url.Values{"platform": {"android"}, "client_version": {"10.1.0"}})
	expectGateway(t, status, body, http.StatusNotFound, "InvalidPath.NotFound")
	if n := e.srv.Stats()["delivery"]; n != 0 {
		t.Fatalf("a disabled endpoint counted %d calls", n)
	}
	// The API and the stats path still answer.
	if apps := e.appCount(); apps != 1 {
		t.Fatalf("apps = %d", apps)
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+statsPath, nil)
	if status, body := e.send(req); status != http.StatusOK {
		t.Fatalf("stats: HTTP %d: %s", status, body)
	}
}
