package mpaas

import (
	"context"
	"net/http"
	"reflect"
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
