package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
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
	cityRule := []delivery.Rule{{Element: delivery.City, Operator: delivery.Contains, Values: []string{"Hangzhou", "Beijing"}}}
	cases := []struct {
		name           string
		detail         *releaseRecord
		want           delivery.Release
		wantUnreadable string
	}{
		{"whitelist with rules", task(func(*releaseRecord) {}),
			delivery.Release{ID: 7, Status: delivery.Active, Type: delivery.Grayscale, Mode: delivery.ByWhitelist, Rules: cityRule}, ""},
		{"range rules", task(func(d *releaseRecord) {
			d.GreyConfigInfo = `[{"ruleElement":"osVersion","operation":4,"value1":"10","value2":"12"}]`
		}), delivery.Release{ID: 7, Status: delivery.Active, Type: delivery.Grayscale, Mode: delivery.ByWhitelist,
			Rules: []delivery.Rule{{Element: delivery.OSVersion, Operator: delivery.OutOfRange, Values: []string{"10", "12"}}}}, ""},
		{"time window read as UTC", task(func(d *releaseRecord) {
			d.TaskStatus, d.PublishMode, d.GreyEndtimeData, d.GreyConfigInfo = mpaas.TaskStatusPaused, mpaas.PublishModeTimeWindow, "2025-03-02 12:00:00", ""
		}), delivery.Release{ID: 7, Status: delivery.Paused, Type: delivery.Grayscale, Mode: delivery.ByTimeWindow,
			WindowEnd: time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)}, ""},
		{"official ignores grayscale fields", task(func(d *releaseRecord) {
			d.TaskStatus, d.PublishType, d.PublishMode, d.GreyConfigInfo = mpaas.TaskStatusEnded, mpaas.PublishTypeOfficial, mpaas.PublishModeOfficial, "not json"
		}), delivery.Release{ID: 7, Status: delivery.Ended, Type: delivery.Official}, ""},
		{"unknown status", task(func(d *releaseRecord) { d.TaskStatus = 9 }),
			delivery.Release{ID: 7, Type: delivery.Grayscale}, "unknown TaskStatus 9"},
		{"unknown type", task(func(d *releaseRecord) { d.PublishType = 5 }),
			delivery.Release{ID: 7, Status: delivery.Active}, "unknown PublishType 5"},
		{"unknown mode", task(func(d *releaseRecord) { d.PublishMode = 4 }),
			delivery.Release{ID: 7, Status: delivery.Active, Type: delivery.Grayscale, Rules: cityRule}, "unknown PublishMode 4"},
		{"unreadable end", task(func(d *releaseRecord) {
			d.PublishMode, d.GreyEndtimeData = mpaas.PublishModeTimeWindow, "tomorrow"
		}),
			delivery.Release{ID: 7, Status: delivery.Active, Type: delivery.Grayscale, Mode: delivery.ByTimeWindow, Rules: cityRule}, `cannot parse "tomorrow"`},
		{"unreadable rules", task(func(d *releaseRecord) {
			d.GreyConfigInfo = `[{"ruleElement":"planet","operation":1,"value":"x"}]`
		}),
			delivery.Release{ID: 7, Status: delivery.Active, Type: delivery.Grayscale, Mode: delivery.ByWhitelist}, `unknown ruleElement "planet"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := deliveryRelease(tc.detail, time.UTC)
			unreadable := got.Unreadable
			got.Unreadable = nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("release = %+v, want %+v", got, tc.want)
			}
			if (unreadable == nil) != (tc.wantUnreadable == "") || (unreadable != nil && !strings.Contains(unreadable.Error(), tc.wantUnreadable)) {
				t.Fatalf("Unreadable = %v, want %q", unreadable, tc.wantUnreadable)
			}
		})
	}
}

func TestDeliveryPackageMapsStoredTargets(t *testing.T) {
	item := func(platform, lo, hi string) packageRecord {
		return packageRecord{ID: 3, H5Version: "1.0.0.1", Platform: platform, ClientVersionMin: lo, ClientVersionMax: hi}
	}
	both := deliveryPackage(item(mpaas.PlatformAll, "Android:10.1.0,iOS:10.2.0", "11.0"), "http://x/p.amr")
	want := delivery.Package{ID: 3, Version: "1.0.0.1", DownloadURL: "http://x/p.amr",
		Android: &delivery.VersionRange{Min: "10.1.0", Max: "11.0"}, IOS: &delivery.VersionRange{Min: "10.2.0", Max: "11.0"}}
	if !reflect.DeepEqual(both, want) {
		t.Fatalf("both platforms: %+v, want %+v", both, want)
	}
	if ios := deliveryPackage(item(mpaas.PlatformIOS, "9", ""), ""); ios.Android != nil || ios.IOS == nil || *ios.IOS != (delivery.VersionRange{Min: "9"}) {
		t.Fatalf("iOS only: %+v", ios)
	}
	if bad := deliveryPackage(item("web", "1", ""), ""); bad.TargetsErr == nil || bad.Android != nil || bad.IOS != nil {
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
