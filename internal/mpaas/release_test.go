package mpaas

import (
	"reflect"
	"testing"
)

func TestGreyConfigRoundTrip(t *testing.T) {
	rules := []ReleaseRule{
		{Element: RuleCity, Operator: RuleContains, Values: []string{"Hangzhou", "Beijing"}},
		{Element: RuleDeviceModel, Operator: RuleExcludes, Values: []string{"Pixel 8"}},
		{Element: RuleNetwork, Operator: RuleContains, Values: []string{"wifi"}},
		{Element: RuleOSVersion, Operator: RuleInRange, Values: []string{"10.0", "14.2.1"}},
		{Element: RuleOSVersion, Operator: RuleOutOfRange, Values: []string{"1", "2"}},
	}
	encoded, err := EncodeGreyConfig(rules)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"ruleElement":"city","operation":1,"value":"Hangzhou,Beijing"},` +
		`{"ruleElement":"mobileModel","operation":2,"value":"Pixel 8"},` +
		`{"ruleElement":"netType","operation":1,"value":"wifi"},` +
		`{"ruleElement":"osVersion","operation":3,"value":"10.0-14.2.1","value1":"10.0","value2":"14.2.1"},` +
		`{"ruleElement":"osVersion","operation":4,"value":"1-2","value1":"1","value2":"2"}]`
	if encoded != want {
		t.Fatalf("encoded\n%s\nwant\n%s", encoded, want)
	}
	decoded, err := DecodeGreyConfig(encoded)
	if err != nil || !reflect.DeepEqual(decoded, rules) {
		t.Fatalf("decoded %+v, %v", decoded, err)
	}
	fromList, err := decodeRuleJSONList([]ruleJSON{
		{RuleElement: "city", Operation: "1", Value: "Hangzhou,Beijing"},
		{RuleElement: "mobileModel", Operation: "2", Value: "Pixel 8"},
		{RuleElement: "netType", Operation: "1", Value: "wifi"},
		{RuleElement: "osVersion", Operation: "3", Value: "10.0-14.2.1"},
		{RuleElement: "osVersion", Operation: "4", Value: "1-2"},
	})
	if err != nil || !reflect.DeepEqual(fromList, rules) {
		t.Fatalf("from RuleJsonList %+v, %v", fromList, err)
	}
	if s, err := EncodeGreyConfig(nil); s != "" || err != nil {
		t.Fatalf("no rules: %q %v", s, err)
	}
	for _, bad := range []string{`{}`, `[{"ruleElement":"planet","operation":1,"value":"x"}]`, `[{"ruleElement":"city","operation":9,"value":"x"}]`,
		`[{"ruleElement":"osVersion","operation":3,"value":"10"}]`} {
		if _, err := DecodeGreyConfig(bad); err == nil {
			t.Errorf("DecodeGreyConfig(%s) succeeded", bad)
		}
	}
}

func TestReleaseEnums(t *testing.T) {
	for _, name := range ReleaseStatuses {
		code, err := releaseStatusCode(name)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := ReleaseStatusOf(code); err != nil || back != name {
			t.Fatalf("%s -> %d -> %s %v", name, code, back, err)
		}
	}
	for _, name := range ReleaseTypes {
		code, err := releaseTypeCode(name)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := ReleaseTypeOf(code); err != nil || back != name {
			t.Fatalf("%s -> %d -> %s %v", name, code, back, err)
		}
	}
	if _, err := ReleaseStatusOf(99); err == nil {
		t.Fatal("unknown status accepted")
	}
}
