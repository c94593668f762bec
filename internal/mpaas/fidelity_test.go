package mpaas

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
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

// Release read-back: the flat list the client sends and the normalised
// {"operator":"and","subRules":[...]} form, with operators as words or
// numbers, read as the same rules.
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
		{"normalised, words", `{"operator":"and","subRules":[` +
			`{"ruleElement":"city","operator":"contains","value":"Hangzhou,Beijing"},` +
			`{"ruleElement":"mobileModel","operator":"notContain","value":"Pixel 8"},` +
			`{"ruleElement":"osVersion","operator":"inRange","value":"10.0-14.2.1"},` +
			`{"ruleElement":"osVersion","operator":"out_of_range","value":["1","2"]}]}`},
		{"normalised, numbers", `{"operator":"AND","subRules":[` +
			`{"ruleElement":"city","operation":1,"value":["Hangzhou","Beijing"]},` +
			`{"ruleElement":"mobileModel","operator":2,"value":"Pixel 8"},` +
			`{"ruleElement":"osVersion","operation":"3","value1":"10.0","value2":"14.2.1"},` +
			`{"ruleElement":"osVersion","operator":"4","value":"1-2"}]}`},
		{"normalised, nested groups", `{"operator":"and","subRules":[` +
			`{"operator":"and","subRules":[{"ruleElement":"city","operator":"include","value":"Hangzhou,Beijing"},` +
			`{"ruleElement":"mobileModel","operator":"exclude","value":"Pixel 8"}]},` +
			`{"subRules":[{"ruleElement":"osVersion","operator":"between","value":"10.0-14.2.1"},` +
			`{"ruleElement":"osVersion","operator":"not in range","value":"1-2"}]}]}`},
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
	for _, bad := range []struct{ wire, says string }{
		{`{"operator":"or","subRules":[{"ruleElement":"city","operator":"contains","value":"x"}]}`, `"or"`},
		{`{"operator":"and"}`, "neither ruleElement nor subRules"},
		{`[{"ruleElement":"city","operator":"resembles","value":"x"}]`, `unknown operation "resembles"`},
		{`[{"ruleElement":"city","value":"x"}]`, "no operation"},
		{`[{"ruleElement":"osVersion","operator":"inRange","value":["1"]}]`, "exactly two values"},
		{`"city"`, "not a JSON array or object"},
	} {
		if _, err := DecodeGreyConfig(bad.wire); err == nil || !strings.Contains(err.Error(), bad.says) {
			t.Errorf("DecodeGreyConfig(%s) = %v, want an error saying %s", bad.wire, err, bad.says)
		}
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
		"TotalCount": func(int, int) listPaging { n := int64(total); return listPaging{TotalCount: &n} },
		"PageSize":   func(int, int) listPaging { return listPaging{PageSize: serverPageSize} },
		// A TotalCount below what was listed is not believed.
		"bad TotalCount": func(int, int) listPaging { n := int64(3); return listPaging{TotalCount: &n} },
	}
	for name, paging := range variants {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
				page, _ := strconv.Atoi(r.Form.Get("PageNum"))
				var items []nebulaResourceListItem
				for i := (page - 1) * serverPageSize; i < min(page*serverPageSize, total); i++ {
					item := nebulaResourceListItem{}
					item.Id, item.H5Id, item.H5Version = int64(1000+i), "12345678", fmt.Sprintf("0.0.0.%d", i+1)
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
