package mpaas

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Any 2xx status carries an answer, as the official SDK reads it.
func TestAny2xxStatusIsAnAnswer(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusNonAuthoritativeInfo} {
		api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"RequestId":"R","ResultCode":"OK","CreateNebulaAppResult":{"Success":true}}`))
		})
		c, _ := newTestClient(t, api.srv.URL)
		if err := c.sendCreateApp(context.Background(), "12345678", "x"); err != nil {
			t.Errorf("HTTP %d: %v", status, err)
		}
		if n := len(api.recorded()); n != 1 {
			t.Errorf("HTTP %d: %d requests, want 1", status, n)
		}
	}
}

// Release read-back: the flat list the client sends and the documented Cube
// form {"operator":"and","subRules":[{"operator":..,"left":..,"right":..}]},
// with operators as words or numbers, read as the same rules.
func TestDecodeGreyConfigBothForms(t *testing.T) {
	want := []ReleaseRule{
		{Element: RuleCity, Operator: RuleContains, Values: []string{"Hangzhou", "Beijing"}},
		{Element: RuleDeviceModel, Operator: RuleExcludes, Values: []string{"Pixel 8"}},
		{Element: RuleOSVersion, Operator: RuleInRange, Values: []string{"10.0", "14.2.1"}},
		{Element: RuleOSVersion, Operator: RuleOutOfRange, Values: []string{"1", "2"}},
	}
	tests := []struct{ name, wire string }{
		{"flat, numbers", `[{"ruleElement":"city","operation":1,"value":"Hangzhou,Beijing"},` +
			`{"ruleElement":"mobileModel","operation":2,"value":"Pixel 8"},` +
			`{"ruleElement":"osVersion","operation":3,"value":"10.0-14.2.1","value1":"10.0","value2":"14.2.1"},` +
			`{"ruleElement":"osVersion","operation":4,"value":"1-2"}]`},
		{"flat, numbers as text", `[{"ruleElement":"city","operation":"1","value":"Hangzhou,Beijing"},` +
			`{"ruleElement":"mobileModel","operation":"2","value":"Pixel 8"},` +
			`{"ruleElement":"osVersion","operation":"3","value1":"10.0","value2":"14.2.1"},` +
			`{"ruleElement":"osVersion","operation":"4","value1":"1","value2":"2"}]`},
		{"Cube form, as documented", `{"operator":"and","subRules":[` +
			`{"operator":"contains","left":["Hangzhou","Beijing"],"right":"city"},` +
			`{"operator":"notContains","left":["Pixel 8"],"right":"mobileModel"},` +
			`{"operator":"vLimitIn","left":{"lower":"10.0","upper":"14.2.1"},"right":"osVersion"},` +
			`{"operator":"vLimitNotIn","left":{"lower":"1","upper":"2"},"right":"osVersion"}]}`},
		{"Cube form, sibling extras and other spellings", `{"operator":"AND","subRules":[` +
			`{"operator":"contains","left":["Hangzhou","Beijing"],"right":"city","defaultResult":false},` +
			`{"operator":2,"left":"Pixel 8","right":"mobileModel","defaultResult":false},` +
			`{"operator":"inRange","left":["10.0","14.2.1"],"right":"osVersion"},` +
			`{"operator":"4","left":"1-2","right":"OSVERSION"}]}`},
		{"Cube form, nested groups, numbers in left", `{"operator":"and","subRules":[` +
			`{"operator":"and","subRules":[{"operator":"contains","left":["Hangzhou","Beijing"],"right":"city"},` +
			`{"operator":"notContains","left":["Pixel 8"],"right":"mobileModel"}]},` +
			`{"subRules":[{"operator":"vLimitIn","left":{"lower":"10.0","upper":"14.2.1"},"right":"osVersion"},` +
			`{"operator":"vLimitNotIn","left":{"lower":1,"upper":2},"right":"osVersion"}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeGreyConfig(tt.wire)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("DecodeGreyConfig = %+v, %v\nwant %+v", got, err, want)
			}
		})
	}
	words, err := decodeRuleJSONList([]ruleJSON{{RuleElement: "city", Operation: "contains", Value: "Hangzhou,Beijing"}})
	if err != nil || !reflect.DeepEqual(words, want[:1]) {
		t.Fatalf("RuleJsonList with a word operation = %+v, %v", words, err)
	}
}

// Each operator word the emulator echoes (CubeRuleOperators) reads back as
// its rule operator.
func TestCubeRuleOperatorsReadBack(t *testing.T) {
	for operator, word := range CubeRuleOperators {
		if got, err := ruleOperatorName(word); err != nil || got != operator {
			t.Errorf("ruleOperatorName(%q) = %q, %v; want %q", word, got, err, operator)
		}
	}
}

// Answers the decoder refuses, each with an error that names the problem.
func TestDecodeGreyConfigRefuses(t *testing.T) {
	for _, bad := range []struct{ name, wire, says string }{
		{"or group", `{"operator":"or","subRules":[{"operator":"contains","left":["x"],"right":"city"}]}`, `"or"`},
		{"group without rules", `{"operator":"and"}`, "neither ruleElement, right nor subRules"},
		{"unknown element", `{"operator":"and","subRules":[{"operator":"contains","left":["x"],"right":"planet"}]}`, `unknown ruleElement "planet"`},
		{"unknown operator", `{"operator":"and","subRules":[{"operator":"resembles","left":["x"],"right":"city"}]}`, `unknown operation "resembles"`},
		{"no operator", `{"operator":"and","subRules":[{"left":["x"],"right":"city"}]}`, "no operation"},
		{"no values", `{"operator":"and","subRules":[{"operator":"contains","right":"city"}]}`, "has no values"},
		{"range without upper", `{"operator":"and","subRules":[{"operator":"vLimitIn","left":{"lower":"1"},"right":"osVersion"}]}`, "needs both lower and upper"},
		{"range of one value", `{"operator":"and","subRules":[{"operator":"vLimitIn","left":["1"],"right":"osVersion"}]}`, "exactly two values"},
		{"flat, unknown operator", `[{"ruleElement":"city","operator":"resembles","value":"x"}]`, `unknown operation "resembles"`},
		{"flat, no operation", `[{"ruleElement":"city","value":"x"}]`, "no operation"},
		{"flat, range of one value", `[{"ruleElement":"osVersion","operator":"inRange","value":["1"]}]`, "exactly two values"},
		{"text", `"city"`, "not a JSON array or object"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			if _, err := DecodeGreyConfig(bad.wire); err == nil || !strings.Contains(err.Error(), bad.says) {
				t.Errorf("DecodeGreyConfig(%s) = %v, want an error saying %s", bad.wire, err, bad.says)
			}
		})
	}
}

// Object keys hold only [A-Za-z0-9._-] after the token's Dir, whatever the
// file name; safe names are kept, distinct names stay distinct, the
// extension is kept.
func TestObjectKeyIsSafe(t *testing.T) {
	const dir = "mds/tempFileForOnex/APP/my ws/TNT/uuid/"
	names := map[string]string{
		"12345678.zip":    "12345678.zip",
		"a-b_c.1.zip":     "a-b_c.1.zip",
		"my package.zip":  "",
		"pkg#1.zip":       "",
		"what?.zip":       "",
		"100%.zip":        "",
		"包裹.zip":          "",
		"naïve pkg.ZIP":   "",
		".hidden.zip":     "",
		"rsa key.pem":     "",
		"no extension ~x": "",
	}
	seen := map[string]string{}
	for name, want := range names {
		key := objectKey(dir, name)
		base, ok := strings.CutPrefix(key, dir)
		if !ok || !safeKeyName.MatchString(base) {
			t.Errorf("objectKey(%q) = %q, want %q + a name of [A-Za-z0-9._-]", name, key, dir)
		}
		if want != "" && base != want {
			t.Errorf("objectKey(%q) = %q, want the safe name kept", name, base)
		}
		if ext := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:]); strings.Contains(name, ".") && !strings.HasSuffix(strings.ToLower(base), "."+ext) {
			t.Errorf("objectKey(%q) = %q lost the extension", name, base)
		}
		if other, dup := seen[base]; dup {
			t.Errorf("%q and %q share the key %q", name, other, base)
		}
		seen[base] = name
	}
	if got := objectURL("https://bucket.example.com/", dir+"a.zip"); got != "https://bucket.example.com/mds/tempFileForOnex/APP/my%20ws/TNT/uuid/a.zip" {
		t.Errorf("objectURL = %q, want each path segment escaped", got)
	}
}

var safeKeyName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*$`)

// A package list is read to its end whichever paging keys the service
// answers, also when it caps the page size below the 100 asked for.
func TestListPackagesWhateverPagingKeys(t *testing.T) {
	const total, serverPageSize = 130, 50
	variants := map[string]func(page, count int) listPaging{
		"none":       func(int, int) listPaging { return listPaging{} },
		"HasMore":    func(page, _ int) listPaging { return hasMore(page*serverPageSize < total) },
		"TotalCount": func(int, int) listPaging { return listPaging{TotalCount: flexIntOf(total)} },
		"PageSize":   func(int, int) listPaging { return listPaging{PageSize: flexIntOf(serverPageSize)} },
		// A TotalCount below what was listed is not believed.
		"bad TotalCount": func(int, int) listPaging { return listPaging{TotalCount: flexIntOf(3)} },
	}
	for name, paging := range variants {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
				page, _ := strconv.Atoi(r.Form.Get("PageNum"))
				var items []nebulaResourceListItem
				for i := (page - 1) * serverPageSize; i < min(page*serverPageSize, total); i++ {
					item := nebulaResourceListItem{}
					item.Id, item.H5Id, item.H5Version = flexIntOf(int64(1000+i)), "12345678", flexString(fmt.Sprintf("0.0.0.%d", i+1))
					item.ResourceType, item.Platform = "0", PlatformAndroid
					items = append(items, item)
				}
				writeJSON(w, 200, listMcubeNebulaResourcesResponse{responseEnvelope: okEnvelope(), ListMcubeNebulaResourceResult: &listMcubeNebulaResourceResult{
					nebulaResult: *okNebula(), listPaging: paging(page, len(items)), NebulaResourceInfo: items}})
			})
			c, _ := newTestClient(t, api.srv.URL)
			packages, err := c.ListPackages(context.Background(), "12345678")
			if err != nil || len(packages) != total {
				t.Fatalf("listed %d packages, %v; want %d", len(packages), err, total)
			}
			if n := len(api.recorded()); n != 3 {
				t.Errorf("%d list calls, want 3 (50, 50, 30)", n)
			}
		})
	}
}

// A server that ignores PageNum and repeats its first page does not make
// the client loop: a page with nothing new ends the list.
func TestListAppsStopsOnARepeatedPage(t *testing.T) {
	api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) {
		writeJSON(w, 200, listMcubeNebulaAppsResponse{responseEnvelope: okEnvelope(), ListMcubeNebulaAppsResult: &listMcubeNebulaAppsResult{
			nebulaResult: *okNebula(), listPaging: hasMore(true), NebulaAppInfos: []nebulaAppInfo{{H5Id: "11111111"}, {H5Id: "22222222"}}}})
	})
	c, _ := newTestClient(t, api.srv.URL)
	apps, err := c.ListApps(context.Background(), "")
	if err != nil || len(apps) != 2 {
		t.Fatalf("apps %v, %v", apps, err)
	}
	if n := len(api.recorded()); n != 2 {
		t.Errorf("%d list calls, want 2", n)
	}
}

func TestIsNotFound(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("plain"), false},
		{&APIError{Code: CodeTaskNotFound, HTTPStatus: 200}, true},
		{&APIError{Code: CodeResourceNotFound, HTTPStatus: 200}, true},
		{&APIError{Code: CodeAppNotFound, HTTPStatus: 200}, true},
		{&APIError{Code: "EntityNotExist.NebulaTask", HTTPStatus: 404}, true},
		{&APIError{Code: "InvalidTaskId.NotFound", HTTPStatus: 404}, true},
		{&APIError{Code: "NotFound.NebulaResource", HTTPStatus: 400}, true},
		{&APIError{Code: "ResourceNotExist", HTTPStatus: 200}, true},
		{&APIError{Code: "NEBULA_TASK_NOT_EXIST", HTTPStatus: 200}, true},
		// The gateway's codes about the request itself never mean absence.
		{&APIError{Code: "InvalidAction.NotFound", HTTPStatus: 404}, false},
		{&APIError{Code: "InvalidAccessKeyId.NotFound", HTTPStatus: 404}, false},
		{&APIError{Code: "InvalidProduct.NotFound", HTTPStatus: 404}, false},
		{&APIError{Code: "SignatureDoesNotMatch", HTTPStatus: 400}, false},
		{&APIError{Code: "H5APP_EXISTS", HTTPStatus: 200}, false},
		{&APIError{Code: CodeFailed, HTTPStatus: 200}, false},
		{&APIError{Code: CodeThrottlingUser, HTTPStatus: 400}, false},
		{&APIError{Code: "ResourceNotFound", HTTPStatus: 503}, false},
		{&TransportError{Action: ActionGetNebulaTaskDetail, Err: errors.New("reset")}, false},
	}
	for _, tc := range cases {
		if got := IsNotFound(tc.err); got != tc.want {
			t.Errorf("IsNotFound(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// GetPackage and GetRelease read every not-found signal as nil, nil, and
// keep every other failure an error.
func TestGetReadsNotFoundSignals(t *testing.T) {
	type answer struct {
		status int
		body   string
	}
	cases := []struct {
		name    string
		pkg     answer
		task    answer
		missing bool
	}{
		{"no object", answer{200, `{"RequestId":"R","ResultCode":"OK","GetNebulaResourceResult":{"Success":true}}`},
			answer{200, `{"RequestId":"R","ResultCode":"OK","GetMcubeNebulaTaskDetailResult":{"Success":true}}`}, true},
		{"empty object", answer{200, `{"RequestId":"R","ResultCode":"OK","GetNebulaResourceResult":{"Success":true,"NebulaResourceInfo":{}}}`},
			answer{200, `{"RequestId":"R","ResultCode":"OK","GetMcubeNebulaTaskDetailResult":{"Success":true,"NebulaTaskDetail":{"Id":0,"Memo":""}}}`}, true},
		{"emulator codes", answer{200, `{"RequestId":"R","ResultCode":"OK","GetNebulaResourceResult":{"Success":false,"ErrorCode":"RESOURCE_NOT_FOUND"}}`},
			answer{200, `{"RequestId":"R","ResultCode":"OK","GetMcubeNebulaTaskDetailResult":{"Success":false,"ErrorCode":"TASK_NOT_FOUND"}}`}, true},
		{"gateway convention", answer{404, `{"RequestId":"R","Code":"EntityNotExist.NebulaResource","Message":"no"}`},
			answer{404, `{"RequestId":"R","Code":"InvalidTaskId.NotFound","Message":"no"}`}, true},
		{"wrong access key", answer{404, `{"RequestId":"R","Code":"InvalidAccessKeyId.NotFound","Message":"no key"}`},
			answer{404, `{"RequestId":"R","Code":"InvalidAccessKeyId.NotFound","Message":"no key"}`}, false},
		{"unknown refusal", answer{200, `{"RequestId":"R","ResultCode":"OK","GetNebulaResourceResult":{"Success":false,"ResultMsg":"系统繁忙"}}`},
			answer{200, `{"RequestId":"R","ResultCode":"OK","GetMcubeNebulaTaskDetailResult":{"Success":false,"ResultMsg":"系统繁忙"}}`}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
				a := tc.pkg
				if r.Action == ActionGetNebulaTaskDetail {
					a = tc.task
				}
				w.WriteHeader(a.status)
				_, _ = w.Write([]byte(a.body))
			})
			c, _ := newTestClient(t, api.srv.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
			pkg, pkgErr := c.GetPackage(context.Background(), 7)
			release, taskErr := c.GetRelease(context.Background(), 9)
			if tc.missing && (pkg != nil || pkgErr != nil || release != nil || taskErr != nil) {
				t.Fatalf("GetPackage = %+v, %v; GetRelease = %+v, %v; want nil, nil for both", pkg, pkgErr, release, taskErr)
			}
			if !tc.missing && (pkgErr == nil || taskErr == nil) {
				t.Fatalf("GetPackage = %+v, %v; GetRelease = %+v, %v; want errors", pkg, pkgErr, release, taskErr)
			}
		})
	}
}

// FindRelease confirms an absence the task detail does not state clearly
// by the package's task list.
func TestFindReleaseConfirmsAbsenceByListing(t *testing.T) {
	const refused = `{"RequestId":"R","ResultCode":"OK","GetMcubeNebulaTaskDetailResult":{"Success":false,"ErrorCode":"SYS_ERR","ResultMsg":"任务不存在"}}`
	listOf := func(ids ...int) string {
		var infos []string
		for _, id := range ids {
			infos = append(infos, fmt.Sprintf(`{"Id":%d,"PackageId":7,"PublishType":3,"PublishMode":0,"TaskStatus":1}`, id))
		}
		return `{"RequestId":"R","ResultCode":"OK","ListMcubeNebulaTaskResult":{"Success":true,"NebulaTaskInfo":[` + strings.Join(infos, ",") + `]}}`
	}
	cases := []struct {
		name, detail, list string
		listStatus         int
		missing            bool
		listCalls          int
	}{
		{"task not listed", refused, listOf(8), 200, true, 1},
		{"package gone", refused, `{"RequestId":"R","ResultCode":"OK","ListMcubeNebulaTaskResult":{"Success":false,"ErrorCode":"RESOURCE_NOT_FOUND"}}`, 200, true, 1},
		{"task listed", refused, listOf(8, 9), 200, false, 1},
		{"list unavailable", refused, `{"RequestId":"R","Code":"ServiceUnavailable","Message":"later"}`, 503, false, 1},
		{"gateway refusal", `{"RequestId":"R","Code":"Forbidden.RAM","Message":"no"}`, listOf(), 200, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var lists atomic.Int32
			api := newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
				switch r.Action {
				case ActionGetNebulaTaskDetail:
					status := 200
					if strings.Contains(tc.detail, `"Code"`) {
						status = 403
					}
					w.WriteHeader(status)
					_, _ = w.Write([]byte(tc.detail))
				case ActionListNebulaTasks:
					lists.Add(1)
					w.WriteHeader(tc.listStatus)
					_, _ = w.Write([]byte(tc.list))
				}
			})
			c, _ := newTestClient(t, api.srv.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
			release, err := c.FindRelease(context.Background(), 7, 9)
			if tc.missing && (release != nil || err != nil) {
				t.Fatalf("FindRelease = %+v, %v; want nil, nil", release, err)
			}
			if !tc.missing && err == nil {
				t.Fatalf("FindRelease = %+v, nil; want the task detail's error", release)
			}
			if got := int(lists.Load()); got != tc.listCalls {
				t.Errorf("%d task lists, want %d", got, tc.listCalls)
			}
		})
	}
}

func TestServiceTimeZone(t *testing.T) {
	zone, err := LoadServiceTimeZone("")
	if err != nil || zone.String() != DefaultServiceTimeZone {
		t.Fatalf("default zone = %v, %v; want %s", zone, err, DefaultServiceTimeZone)
	}
	for _, bad := range []string{"Local", "Mars/Olympus", "+08:00"} {
		if _, err := LoadServiceTimeZone(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("LoadServiceTimeZone(%q) = %v, want an error naming it", bad, err)
		}
	}
	c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
	if c.times.zone.String() != DefaultServiceTimeZone {
		t.Errorf("a client without ServiceTimeZone uses %s", c.times.zone)
	}
	end := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for name, want := range map[string]string{"UTC": "2024-01-02 03:04:05", "Asia/Shanghai": "2024-01-02 11:04:05"} {
		zone, err := LoadServiceTimeZone(name)
		if err != nil {
			t.Fatal(err)
		}
		times := serviceTimes{zone: zone}
		if got := times.encode(end); got != want {
			t.Errorf("%s: GreyEndtimeData %q, want %q", name, got, want)
		}
		if back, err := times.decode(want); err != nil || !back.Equal(end) {
			t.Errorf("%s: %q read back as %s, %v", name, want, back, err)
		}
		if got := times.rfc3339(want); got != "2024-01-02T03:04:05Z" {
			t.Errorf("%s: GmtCreate %q read as %s", name, want, got)
		}
	}
}
