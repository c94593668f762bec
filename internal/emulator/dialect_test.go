package emulator

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSDKLenientBody(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	in := `{"RequestId":"R","ResultCode":"OK","ResultMessage":"","X":{"Success":true,"HasMore":false,"CurrentPage":1,"TotalCount":12,
		"Items":[{"Id":4242,"FileSize":"2048","GmtCreate":"2025-07-04 10:04:09","GmtModified":"bad","GreyEndtimeData":"2025-07-05 10:04:09",
		"ExtendInfo":"{\"a\":1}","H5Id":"12345678"}]}}`
	want := `{"RequestId":"R","ResultCode":"OK","ResultMessage":null,"X":{"Success":"true","HasMore":"false","CurrentPage":"1","TotalCount":"12",
		"Items":[{"Id":"4242","FileSize":2048,"GmtCreate":1751594649000,"GmtModified":"bad","GreyEndtimeData":"1751681049000",
		"ExtendInfo":"{\"a\":1}","H5Id":"12345678"}]}}`
	var got, expected any
	if err := json.Unmarshal(sdkLenientBody([]byte(in), shanghai), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &expected); err != nil {
		t.Fatal(err)
	}
	gotText, _ := json.Marshal(got)
	wantText, _ := json.Marshal(expected)
	if string(gotText) != string(wantText) {
		t.Errorf("dialect:\n got %s\nwant %s", gotText, wantText)
	}
	if string(sdkLenientBody([]byte("not json"), shanghai)) != "not json" {
		t.Error("a body that is not JSON was changed")
	}
}

// Every action the provider uses, through the real client, against an
// emulator answering in the SDK-lenient dialect: the client reads it all
// (driveEveryAction checks what it read and what the emulator holds), and
// each answer has exactly the golden file's keys, in the dialect's types.
func TestSDKLenientDialectThroughTheClient(t *testing.T) {
	e := newEnvAt(t, filepath.Join(t.TempDir(), "data"), func(o *Options) { o.Quirks.SDKLenient = true })
	rec := &bodyRecorder{next: http.DefaultTransport, bodies: map[string][][]byte{}}
	driveEveryAction(t, e, e.recordingClient(testSecret, rec))
	for _, action := range goldenActions {
		raw, err := os.ReadFile(filepath.Join(wireGoldenDir, action+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var golden any
		if err := json.Unmarshal(raw, &golden); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		flattenShape("", golden, want)
		for _, body := range rec.bodies[action] {
			shape, err := bodyShape(body)
			if err != nil {
				t.Fatalf("%s: %v", action, err)
			}
			got := map[string]string{}
			flattenShape("", shape, got)
			checkDialectShape(t, action, got, want)
		}
	}
}

// checkDialectShape compares an answer in the dialect with the plain
// golden shape: the same keys, each in its dialect type.
func checkDialectShape(t *testing.T, action string, got, plain map[string]string) {
	t.Helper()
	for path, typ := range got {
		plainType, ok := plain[path]
		if !ok {
			t.Errorf("%s: key %s is not in the golden file", action, path)
			continue
		}
		if allowed := dialectTypes(lastKey(path), plainType); !allowed[typ] {
			t.Errorf("%s: key %s is %s in the dialect (plain: %s)", action, path, typ, plainType)
		}
	}
	for path := range plain {
		if _, ok := got[path]; !ok && !underEmptyList(path, got) {
			t.Errorf("%s: key %s is missing in the dialect", action, path)
		}
	}
}

// dialectTypes are the JSON types a value of the plain type may have in the dialect.
func dialectTypes(key, plain string) map[string]bool {
	switch {
	case key == "FileSize" || key == "GmtCreate" || key == "GmtModified":
		return map[string]bool{"number": true, "null": true}
	case plain == "number" || plain == "bool":
		return map[string]bool{"string": true}
	case plain == "string":
		return map[string]bool{"string": true, "null": true}
	}
	return map[string]bool{plain: true}
}

func lastKey(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' {
			return path[i+1:]
		}
	}
	return path
}
