package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func TestDecideDelivery(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	official := deliveryTask{ID: 10, PublishType: mpaas.PublishTypeOfficial, PublishMode: mpaas.PublishModeOfficial, Status: mpaas.TaskStatusActive}
	with := func(t deliveryTask, f func(*deliveryTask)) deliveryTask { f(&t); return t }
	whitelist := deliveryTask{ID: 11, PublishType: mpaas.PublishTypeGrayscale, PublishMode: mpaas.PublishModeWhitelist,
		Status: mpaas.TaskStatusActive, Whitelist: []string{"u1", "u2"}}
	window := deliveryTask{ID: 12, PublishType: mpaas.PublishTypeGrayscale, PublishMode: mpaas.PublishModeTimeWindow,
		Status: mpaas.TaskStatusActive, GreyEnd: "2025-03-02 12:00:00"}
	rules := []mpaas.ReleaseRule{
		{Element: mpaas.RuleCity, Operator: mpaas.RuleContains, Values: []string{"Hangzhou", "Beijing"}},
		{Element: mpaas.RuleNetwork, Operator: mpaas.RuleExcludes, Values: []string{"2g"}},
		{Element: mpaas.RuleOSVersion, Operator: mpaas.RuleInRange, Values: []string{"10", "14.2"}},
		{Element: mpaas.RuleDeviceModel, Operator: mpaas.RuleContains, Values: []string{"Pixel 8"}},
	}
	pkg := func(version, platform, lo, hi string, tasks ...deliveryTask) deliveryPackage {
		return deliveryPackage{ID: 100, H5Id: "12345678", Version: version, Platform: platform, Min: lo, Max: hi,
			DownloadURL: "http://x/" + version, Tasks: tasks}
	}
	both := func(tasks ...deliveryTask) deliveryPackage {
		return pkg("1.0.0.2", mpaas.PlatformAll, "Android:10.1.0,iOS:10.2.0", "", tasks...)
	}
	android := func(v string) DeliveryClient { return DeliveryClient{Platform: "android", ClientVersion: v} }
	ios := func(v string) DeliveryClient { return DeliveryClient{Platform: "ios", ClientVersion: v} }
	ruleClient := DeliveryClient{Platform: "android", ClientVersion: "10.1.0", City: "hangzhou", Network: "wifi", OSVersion: "13.0", DeviceModel: "Pixel 8"}

	cases := []struct {
		name        string
		client      DeliveryClient
		pkgs        []deliveryPackage
		wantVersion string // "" means skipped
		wantReason  string
	}{
		{"no package", android("10.1.0"), nil, "", "no package"},
		{"no release", android("10.1.0"), []deliveryPackage{both()}, "", "no active release"},
		{"android below min", android("10.0.9"), []deliveryPackage{both(official)}, "", "client 10.0.9 is below min 10.1.0"},
		{"android at min", android("10.1.0"), []deliveryPackage{both(official)}, "1.0.0.2", "official release"},
		{"android far above min", android("99.0"), []deliveryPackage{both(official)}, "1.0.0.2", "official release"},
		{"ios below its own min", ios("10.1.9"), []deliveryPackage{both(official)}, "", "client 10.1.9 is below min 10.2.0"},
		{"ios at min", ios("10.2.0"), []deliveryPackage{both(official)}, "1.0.0.2", "official release"},
		{"above max", android("11.0.1"), []deliveryPackage{pkg("1.0.0.1", mpaas.PlatformAndroid, "10.0", "11.0", official)}, "", "client 11.0.1 is above max 11.0"},
		{"at max", android("11.0"), []deliveryPackage{pkg("1.0.0.1", mpaas.PlatformAndroid, "10.0", "11.0", official)}, "1.0.0.1", "official release"},
		{"platform not targeted", ios("10.2.0"), []deliveryPackage{pkg("1.0.0.1", mpaas.PlatformAndroid, "10.0", "", official)}, "", "package 1.0.0.1 does not target ios"},
		{"paused", android("10.1.0"), []deliveryPackage{both(with(official, func(t *deliveryTask) { t.Status = mpaas.TaskStatusPaused }))}, "", "release paused"},
		{"ended", android("10.1.0"), []deliveryPackage{both(with(official, func(t *deliveryTask) { t.Status = mpaas.TaskStatusEnded }))}, "", "release ended"},
		{"whitelist listed", DeliveryClient{Platform: "android", ClientVersion: "10.1.0", UserID: "u2"}, []deliveryPackage{both(whitelist)}, "1.0.0.2", "grayscale whitelist"},
		{"whitelist not listed", DeliveryClient{Platform: "android", ClientVersion: "10.1.0", UserID: "u3"}, []deliveryPackage{both(whitelist)}, "", "user u3 is not in the grayscale whitelist"},
		{"whitelist no user", android("10.1.0"), []deliveryPackage{both(whitelist)}, "", "grayscale whitelist release and no user_id given"},
		{"window open", android("10.1.0"), []deliveryPackage{both(window)}, "1.0.0.2", "grayscale time window"},
		{"window ended", android("10.1.0"), []deliveryPackage{both(with(window, func(t *deliveryTask) { t.GreyEnd = "2025-03-01 12:00:00" }))}, "", "grayscale time window ended at 2025-03-01T12:00:00Z"},
		{"window rules all match", ruleClient, []deliveryPackage{both(with(window, func(t *deliveryTask) { t.Rules = rules }))}, "1.0.0.2", "grayscale time window and rules"},
		{"rule city mismatch", func() DeliveryClient { c := ruleClient; c.City = "Shanghai"; return c }(),
			[]deliveryPackage{both(with(window, func(t *deliveryTask) { t.Rules = rules }))}, "", `rule city contains Hangzhou,Beijing does not match city "Shanghai"`},
		{"rule network excluded", func() DeliveryClient { c := ruleClient; c.Network = "2G"; return c }(),
			[]deliveryPackage{both(with(window, func(t *deliveryTask) { t.Rules = rules }))}, "", `rule network excludes 2g does not match network "2G"`},
		{"rule os below range", func() DeliveryClient { c := ruleClient; c.OSVersion = "9.3"; return c }(),
			[]deliveryPackage{both(with(window, func(t *deliveryTask) { t.Rules = rules }))}, "", `rule os_version in_range 10,14.2 does not match os_version "9.3"`},
		{"rule os missing", func() DeliveryClient { c := ruleClient; c.OSVersion = ""; return c }(),
			[]deliveryPackage{both(with(window, func(t *deliveryTask) { t.Rules = rules }))}, "", `rule os_version in_range 10,14.2 does not match os_version ""`},
		{"rule os out of range", func() DeliveryClient { c := ruleClient; c.OSVersion = "15"; return c }(),
			[]deliveryPackage{both(with(window, func(t *deliveryTask) {
				t.Rules = []mpaas.ReleaseRule{{Element: mpaas.RuleOSVersion, Operator: mpaas.RuleOutOfRange, Values: []string{"10", "14.2"}}}
			}))}, "1.0.0.2", "grayscale time window and rules"},
		{"rules apply to whitelist too", DeliveryClient{Platform: "android", ClientVersion: "10.1.0", UserID: "u1", City: "Xian"},
			[]deliveryPackage{both(with(whitelist, func(t *deliveryTask) { t.Rules = rules[:1] }))}, "", `rule city contains Hangzhou,Beijing does not match city "Xian"`},
		{"highest released version wins", android("10.1.0"), []deliveryPackage{
			pkg("1.0.0.9", mpaas.PlatformAndroid, "10.0", "", official),
			pkg("1.0.0.10", mpaas.PlatformAndroid, "10.0", "", official),
			pkg("1.0.0.11", mpaas.PlatformAndroid, "10.0", ""),
		}, "1.0.0.10", "official release"},
		{"falls back below a paused higher version", android("10.1.0"), []deliveryPackage{
			pkg("1.0.0.1", mpaas.PlatformAndroid, "10.0", "", official),
			pkg("1.0.0.2", mpaas.PlatformAndroid, "10.0", "", with(official, func(t *deliveryTask) { t.Status = mpaas.TaskStatusPaused })),
		}, "1.0.0.1", "official release"},
		{"newer task of a package wins", android("10.1.0"), []deliveryPackage{
			pkg("1.0.0.1", mpaas.PlatformAndroid, "10.0", "", with(official, func(t *deliveryTask) { t.Status = mpaas.TaskStatusEnded }),
				with(whitelist, func(t *deliveryTask) { t.ID = 20 })),
		}, "", "grayscale whitelist release and no user_id given"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			delivery, skip := decideDelivery(now, tc.client, "12345678", tc.pkgs)
			if (delivery == nil) == (skip == nil) {
				t.Fatalf("want exactly one result, got %+v and %+v", delivery, skip)
			}
			if tc.wantVersion == "" {
				if skip == nil {
					t.Fatalf("delivered %+v, want a skip (%s)", delivery, tc.wantReason)
				}
				if skip.Reason != tc.wantReason || skip.H5Id != "12345678" {
					t.Fatalf("skip = %+v, want reason %q", skip, tc.wantReason)
				}
				return
			}
			if delivery == nil {
				t.Fatalf("skipped (%s), want version %s", skip.Reason, tc.wantVersion)
			}
			if delivery.H5Version != tc.wantVersion || delivery.Reason != tc.wantReason || delivery.DownloadUrl != "http://x/"+tc.wantVersion {
				t.Fatalf("delivery = %+v, want %s (%s)", delivery, tc.wantVersion, tc.wantReason)
			}
		})
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
