package mpaas

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// lenientFields is one of each lenient scalar, as in a wire struct.
type lenientFields struct {
	S flexString `json:"S"`
	I flexInt    `json:"I"`
	B flexBool   `json:"B"`
	T flexTime   `json:"T"`
}

func decodeLenient(t *testing.T, value string) lenientFields {
	t.Helper()
	var out lenientFields
	body := `{"S":` + value + `,"I":` + value + `,"B":` + value + `,"T":` + value + `}`
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%s: the answer was refused: %v", body, err)
	}
	return out
}

func TestFlexString(t *testing.T) {
	cases := map[string]string{ // JSON value -> the string read
		`"abc"`:             "abc",
		`""`:                "",
		`null`:              "",
		`12345678`:          "12345678",
		`1751594649000`:     "1751594649000",
		`1.5`:               "1.5",
		`-3`:                "-3",
		`true`:              "true",
		`false`:             "false",
		`{"a": 1}`:          `{"a": 1}`,
		`[1,"x"]`:           `[1,"x"]`,
		`"caf\u00e9 \"q\""`: `café "q"`,
	}
	for value, want := range cases {
		if got := decodeLenient(t, value).S; string(got) != want {
			t.Errorf("flexString from %s = %q, want %q", value, got, want)
		}
	}
	// null keeps what the field held, like an absent key.
	s := flexString("kept")
	if err := json.Unmarshal([]byte("null"), &s); err != nil || s != "kept" {
		t.Errorf("null over %q gave %q, %v", "kept", s, err)
	}
}

func TestFlexInt(t *testing.T) {
	type want struct {
		value   int64
		set     bool
		problem string // part of problem(64), "" for none
	}
	cases := map[string]want{
		`42`:                    {42, true, ""},
		`-7`:                    {-7, true, ""},
		`"42"`:                  {42, true, ""},
		`" 42 "`:                {42, true, ""},
		`"-7"`:                  {-7, true, ""},
		`12.0`:                  {12, true, ""},
		`"12.0"`:                {12, true, ""},
		`1e3`:                   {1000, true, ""},
		`9223372036854775807`:   {9223372036854775807, true, ""},
		`"9223372036854775807"`: {9223372036854775807, true, ""},
		`null`:                  {0, false, ""},
		`""`:                    {0, false, ""},
		`"  "`:                  {0, false, ""},
		`1.5`:                   {0, false, `"1.5" is not a whole number`},
		`"abc"`:                 {0, false, `"abc" is not a whole number`},
		`true`:                  {0, false, `"true" is not a whole number`},
		`{"n":1}`:               {0, false, `"{\"n\":1}" is not a whole number`},
		`[1]`:                   {0, false, `"[1]" is not a whole number`},
		`1e400`:                 {0, false, "not a whole number"},
		`99999999999999999999`:  {0, false, "not a whole number"},
	}
	for value, w := range cases {
		got := decodeLenient(t, value).I
		problem := ""
		if err := got.problem(64); err != nil {
			problem = err.Error()
		}
		if got.int64Value() != w.value || got.set != w.set || !strings.Contains(problem, w.problem) || (w.problem == "") != (problem == "") {
			t.Errorf("flexInt from %s = %d (set %v, problem %q), want %d (set %v, problem %q)", value, got.int64Value(), got.set, problem, w.value, w.set, w.problem)
		}
	}
	big := decodeLenient(t, `4294967296`).I
	if big.problem(32) == nil || big.int32Value() != 0 || big.problem(64) != nil {
		t.Errorf("2^32 as a 32-bit code: problem %v, value %d", big.problem(32), big.int32Value())
	}
}

func TestFlexBool(t *testing.T) {
	type want struct{ value, set, bad bool }
	cases := map[string]want{
		`true`: {true, true, false}, `false`: {false, true, false},
		`"true"`: {true, true, false}, `"false"`: {false, true, false}, `"TRUE"`: {true, true, false}, `" False "`: {false, true, false},
		`1`: {true, true, false}, `0`: {false, true, false}, `"1"`: {true, true, false}, `"0"`: {false, true, false},
		`null`: {false, false, false}, `""`: {false, false, false},
		`2`: {false, false, true}, `"yes"`: {false, false, true}, `{}`: {false, false, true}, `[true]`: {false, false, true},
	}
	for value, w := range cases {
		got := decodeLenient(t, value).B
		if got.isTrue() != w.value || got.set != w.set || (got.raw != "") != w.bad {
			t.Errorf("flexBool from %s = %+v, want %+v", value, got, w)
		}
	}
}

func TestFlexTime(t *testing.T) {
	shanghai, err := LoadServiceTimeZone("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	times := serviceTimes{zone: shanghai}
	want := time.Date(2025, 7, 4, 2, 4, 9, 0, time.UTC) // 2025-07-04 10:04:09 in Shanghai
	for _, value := range []string{`"2025-07-04 10:04:09"`, `1751594649000`, `"1751594649000"`, `1.751594649e12`, `"2025-07-04T02:04:09Z"`, `"2025-07-04T10:04:09+08:00"`} {
		got, err := times.decode(string(decodeLenient(t, value).T))
		if err != nil || !got.Equal(want) {
			t.Errorf("time from %s = %v, %v; want %v", value, got, err, want)
		}
	}
	for _, value := range []string{`"soon"`, `""`, `null`, `0`, `-5`, `"2025-07-04"`, `true`} {
		if got, err := times.decode(string(decodeLenient(t, value).T)); err == nil {
			t.Errorf("time from %s = %v, want an error", value, got)
		}
	}
	if got := times.rfc3339("1751594649000"); got != "2025-07-04T02:04:09Z" {
		t.Errorf("created_at from epoch milliseconds = %q", got)
	}
}

// The same package and task answers, once as the emulator writes them and
// once in the forms the SDK's decoder accepts (numbers as strings and back,
// bools as strings and numbers, times as epoch milliseconds, absent keys
// as null), read the same.
func TestLenientAnswersReadAsStrictOnes(t *testing.T) {
	const strictPackages = `{"RequestId":"R","ResultCode":"OK","ResultMessage":"","ListMcubeNebulaResourceResult":{
		"Success":true,"ResultMsg":"","ErrorCode":"","RequestId":"R","CurrentPage":1,"PageSize":100,"TotalCount":1,"HasMore":false,
		"NebulaResourceInfo":[{"Id":4242,"H5Id":"12345678","H5Name":"Demo","H5Version":"1.0.0.1","ResourceType":"0","Platform":"Android",
		"ClientVersionMin":"10.1.0","ClientVersionMax":"","InstallType":1,"AutoInstall":1,"MainUrl":"/www/index.html","Vhost":"h5.example.com",
		"ExtendInfo":"{\"asyncReqRate\":\"1800\"}","DownloadUrl":"https://dl/x.amr","FileSize":"2048","GmtCreate":"2025-07-04 10:04:09","Md5":"abc"}]}}`
	const lenientPackages = `{"RequestId":"R","ResultCode":"OK","ResultMessage":null,"ListMcubeNebulaResourceResult":{
		"Success":"true","ResultMsg":null,"ErrorCode":null,"RequestId":"R","CurrentPage":"1","PageSize":"100","TotalCount":"1","HasMore":"false",
		"NebulaResourceInfo":[{"Id":"4242","H5Id":12345678,"H5Name":"Demo","H5Version":"1.0.0.1","ResourceType":0,"Platform":"Android",
		"ClientVersionMin":"10.1.0","ClientVersionMax":null,"InstallType":"1","AutoInstall":"1","MainUrl":"/www/index.html","Vhost":"h5.example.com",
		"ExtendInfo":{"asyncReqRate":1800},"DownloadUrl":"https://dl/x.amr","FileSize":2048,"GmtCreate":1751594649000,"Md5":"abc"}]}}`
	const strictTasks = `{"RequestId":"R","ResultCode":"OK","ListMcubeNebulaTaskResult":{"Success":true,"NebulaTaskInfo":[
		{"Id":77,"PackageId":4242,"TaskStatus":1,"ReleaseVersion":"1.0.0.1","PublishType":2,"PublishMode":2,"GreyNum":500,
		"GreyConfigInfo":"","GreyEndtimeData":"2025-07-05 10:04:09","WhitelistIds":"","Memo":"m","GmtCreate":"2025-07-04 10:04:09"}]}}`
	const lenientTasks = `{"RequestId":"R","ResultCode":"OK","ListMcubeNebulaTaskResult":{"Success":1,"NebulaTaskInfo":[
		{"Id":"77","PackageId":"4242","TaskStatus":"1","ReleaseVersion":"1.0.0.1","PublishType":"2","PublishMode":"2","GreyNum":"500",
		"GreyConfigInfo":null,"GreyEndtimeData":"1751681049000","WhitelistIds":null,"Memo":"m","GmtCreate":"1751594649000"}]}}`

	read := func(body string) ([]Package, []Release) {
		t.Helper()
		api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) { _, _ = w.Write([]byte(body)) })
		c, _ := newTestClient(t, api.srv.URL)
		if strings.Contains(body, "NebulaTaskInfo") {
			releases, err := c.ListReleases(context.Background(), 4242)
			if err != nil {
				t.Fatalf("ListReleases: %v", err)
			}
			return nil, releases
		}
		packages, err := c.ListPackages(context.Background(), "12345678")
		if err != nil {
			t.Fatalf("ListPackages: %v", err)
		}
		return packages, nil
	}
	strict, _ := read(strictPackages)
	lenient, _ := read(lenientPackages)
	if len(strict) != 1 || strict[0].DecodeError != nil || strict[0].FileSize != 2048 || strict[0].CreatedAt != "2025-07-04T02:04:09Z" {
		t.Fatalf("the strict answer read as %+v", strict)
	}
	if !reflect.DeepEqual(lenient, strict) {
		t.Errorf("the lenient answer read as\n%+v\nthe strict one as\n%+v", lenient, strict)
	}
	_, strictReleases := read(strictTasks)
	_, lenientReleases := read(lenientTasks)
	if len(strictReleases) != 1 || strictReleases[0].DecodeError != nil || strictReleases[0].Window == nil || strictReleases[0].Window.MaxUsers != 500 {
		t.Fatalf("the strict task answer read as %+v", strictReleases)
	}
	if !reflect.DeepEqual(lenientReleases, strictReleases) {
		t.Errorf("the lenient task answer read as\n%+v\nthe strict one as\n%+v", lenientReleases, strictReleases)
	}
}

// A value no lenient form reads is a tolerant read of its field (named in
// DecodeError with the value as sent), never a refused answer; only an
// object's ID, without which it cannot be told apart, fails the answer.
func TestUnreadableValuesAreNamedNotFatal(t *testing.T) {
	item := func(fields string) string {
		return `{"RequestId":"R","ResultCode":"OK","ListMcubeNebulaResourceResult":{"Success":true,"HasMore":"maybe","TotalCount":{},
			"NebulaResourceInfo":[{"Id":4242,"H5Id":"12345678","H5Version":"1.0.0.1","ResourceType":"0","Platform":"Android",
			"ClientVersionMin":"10.1.0",` + fields + `}]}}`
	}
	serve := func(body string) *Client {
		api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) { _, _ = w.Write([]byte(body)) })
		c, _ := newTestClient(t, api.srv.URL)
		return c
	}
	packages, err := serve(item(`"AutoInstall":"wifi","InstallType":[1],"FileSize":"2 KB","GmtCreate":{"t":1}`)).ListPackages(context.Background(), "12345678")
	if err != nil || len(packages) != 1 {
		t.Fatalf("ListPackages = %v, %v; want the package with its unreadable fields named", packages, err)
	}
	want := map[string]string{FieldAutoInstall: "wifi", FieldInstallType: "[1]", FieldFileSize: "2 KB"}
	got := map[string]string{}
	for _, f := range UndecodedFields(packages[0].DecodeError) {
		got[f.Field] = f.Code
	}
	if !reflect.DeepEqual(got, want) || packages[0].FileSize != -1 || packages[0].ID != 4242 || packages[0].CreatedAt != `{"t":1}` {
		t.Errorf("package read as %+v with undecoded %v, want %v", packages[0], got, want)
	}

	_, err = serve(strings.Replace(item(`"FileSize":"1"`), `"Id":4242`, `"Id":"pkg-1"`, 1)).ListPackages(context.Background(), "12345678")
	var invalid *InvalidResponseError
	if !errors.As(err, &invalid) || !strings.Contains(err.Error(), `"pkg-1" is not a whole number`) {
		t.Errorf("an unreadable package ID gave %v, want an invalid response naming it", err)
	}
}

// FuzzFlexScalars: no JSON value makes a lenient scalar refuse an answer,
// and whatever a flexInt reads is the number the text spells.
func FuzzFlexScalars(f *testing.F) {
	for _, seed := range []string{`1`, `"1"`, `null`, `true`, `"true"`, `1.0`, `1e3`, `"x"`, `{}`, `[]`, `""`, `-0`, `"1751594649000"`, `"\u0031"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		if !json.Valid([]byte(value)) {
			return
		}
		var out lenientFields
		body := `{"S":` + value + `,"I":` + value + `,"B":` + value + `,"T":` + value + `}`
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%s was refused: %v", body, err)
		}
		if out.I.set {
			var text string
			if json.Unmarshal([]byte(value), &text) != nil {
				text = value
			}
			n, ok := parseIntegral(text)
			if !ok || n != out.I.int64Value() {
				t.Fatalf("flexInt read %s as %d", value, out.I.int64Value())
			}
		}
		if out.I.set && out.I.raw != "" || out.B.set && out.B.raw != "" {
			t.Fatalf("%s: read and unreadable at once: %+v %+v", value, out.I, out.B)
		}
		// What a flexInt or flexBool writes, it reads back the same.
		for _, v := range []any{&out.I, &out.B} {
			data, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			back := reflect.New(reflect.TypeOf(v).Elem())
			if err := json.Unmarshal(data, back.Interface()); err != nil || !reflect.DeepEqual(back.Elem().Interface(), reflect.ValueOf(v).Elem().Interface()) {
				t.Fatalf("%s: %s read back as %+v", value, data, back.Elem().Interface())
			}
		}
	})
}
