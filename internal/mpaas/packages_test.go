package mpaas

import (
	"fmt"
	"testing"
)

func TestExtendInfoRoundTrip(t *testing.T) {
	cases := map[string]map[string]string{
		`{"asyncReqRate":"1800"}`:                  {"asyncReqRate": "1800"},
		`{"asyncReqRate":1800,"b":true}`:           {"asyncReqRate": "1800", "b": "true"},
		`{"launchParams":{"enableTabBar":"NO"}}`:   {"launchParams": `{"enableTabBar":"NO"}`},
		``:                                         nil,
		`{"z":"1","a":"2"}`:                        {"a": "2", "z": "1"},
		`{"nested":[1, 2]}`:                        {"nested": "[1, 2]"},
		`{"unicode":"\u4e2d"}`:                     {"unicode": "中"},
		`{"quoted":"{\"enableTabBar\":\"NO\"}"}`:   {"quoted": `{"enableTabBar":"NO"}`},
		`{"asyncReqRate":"0","empty":""}`:          {"asyncReqRate": "0", "empty": ""},
		`{"n":-1.5e3}`:                             {"n": "-1.5e3"},
		`{"null":null}`:                            {"null": "null"},
		`{"s":"with space"}`:                       {"s": "with space"},
		`{"k":"v"}`:                                {"k": "v"},
		`{"asyncReqRate":"86400","x":"y","a":"b"}`: {"a": "b", "asyncReqRate": "86400", "x": "y"},
		`{"bool":false}`:                           {"bool": "false"},
		`{"obj":{}}`:                               {"obj": "{}"},
		`{"arr":[]}`:                               {"arr": "[]"},
		`{"big":12345678901234567890}`:             {"big": "12345678901234567890"},
		`{"esc":"a\\b"}`:                           {"esc": `a\b`},
		`{"emoji":"😀"}`:                            {"emoji": "😀"},
		`{"launchParams":"{\"a\":1}","other":"x"}`: {"launchParams": `{"a":1}`, "other": "x"},
	}
	for raw, want := range cases {
		got, err := decodeExtendInfo(raw)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", raw, got, want)
		}
	}
	if _, err := decodeExtendInfo(`[1]`); err == nil {
		t.Error("a JSON array must be rejected")
	}
	encoded, err := encodeExtendInfo(map[string]string{"z": "1", "asyncReqRate": "1800"})
	if err != nil || encoded != `{"asyncReqRate":"1800","z":"1"}` {
		t.Errorf("encode = %s, %v", encoded, err)
	}
	if encoded, err := encodeExtendInfo(nil); err != nil || encoded != "" {
		t.Errorf("no extend info must send nothing, got %q, %v", encoded, err)
	}
	if encoded, err := encodeExtendInfo(map[string]string{}); err != nil || encoded != "{}" {
		t.Errorf("an empty extend info must send {}, got %q, %v", encoded, err)
	}
}
