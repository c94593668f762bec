package mpaas

import (
	"context"
	"net/http"
	"reflect"
	"regexp"
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
