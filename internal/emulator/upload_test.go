package emulator

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFileTokenShape(t *testing.T) {
	e := newEnv(t)
	tok := e.fileToken()
	if !strings.HasPrefix(tok.Dir, "mds/tempFileForOnex/ONEX570DA89211721/default/TNTABCDE/") || !strings.HasSuffix(tok.Dir, "/") {
		t.Errorf("Dir = %q", tok.Dir)
	}
	if tok.Host != e.ts.URL+"/oss" || tok.Accessid != ossAccessKeyID {
		t.Errorf("Host/Accessid = %q %q", tok.Host, tok.Accessid)
	}
	if exp, err := strconv.ParseInt(tok.Expire, 10, 64); err != nil || exp != testStart.Add(30*time.Minute).Unix() {
		t.Errorf("Expire = %q", tok.Expire)
	}
	raw, err := base64.StdEncoding.DecodeString(tok.Policy)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Expiration string  `json:"expiration"`
		Conditions [][]any `json:"conditions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("policy %s: %v", raw, err)
	}
	if doc.Expiration != "2024-01-01T00:30:00Z" || len(doc.Conditions) != 2 || doc.Conditions[0][2] != tok.Dir || doc.Conditions[1][2].(float64) != 1<<30 { //nolint:forcetypeassert // in a test a panic is a failure
		t.Errorf("policy = %s", raw)
	}
	if tok2 := e.fileToken(); tok2.Dir == tok.Dir {
		t.Error("two tokens share a Dir")
	}
	// PublicURL, when set, is the base.
	p := newEnvAt(t, filepath.Join(t.TempDir(), "p"), func(o *Options) { o.PublicURL = "http://emulator.test:1234/" })
	if tok := p.fileToken(); tok.Host != "http://emulator.test:1234/oss" {
		t.Errorf("Host with PublicURL = %q", tok.Host)
	}
}

func ossErrorOf(t *testing.T, body []byte) ossError {
	t.Helper()
	var oe ossError
	if !strings.HasPrefix(string(body), "<?xml") {
		t.Fatalf("not an XML error: %s", body)
	}
	if err := xml.Unmarshal(body, &oe); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return oe
}

func TestUploadGoodAndStatuses(t *testing.T) {
	e := newEnv(t)
	tok := e.fileToken()
	fields := func(status string) [][2]string {
		f := tokenFields(tok, tok.Dir+"a.zip")
		f[3][1] = status
		return f
	}
	for status, want := range map[string]int{"": 204, "200": 200, "201": 201, "999": 204} {
		code, body := e.postObject(tok.Host+"/", fields(status), strings.NewReader("content"))
		if code != want {
			t.Errorf("success_action_status %q: HTTP %d, want %d: %s", status, code, want, body)
		}
		if want == 201 && !strings.Contains(string(body), "<PostResponse>") {
			t.Errorf("201 body = %s", body)
		}
	}
	obj := e.srv.store.st.Objects[tok.Dir+"a.zip"]
	if obj == nil || obj.Size != 7 || obj.Scope != e.scope.Get("AppId")+"/default/TNTABCDE" {
		t.Fatalf("object record = %+v", obj)
	}
	if got, _ := os.ReadFile(e.srv.store.abs(obj.File)); string(got) != "content" {
		t.Fatalf("stored %q", got)
	}
	if e.srv.Stats()["oss:PostObject"] != 4 {
		t.Errorf("stats = %v", e.srv.Stats())
	}
}

func TestUploadRejections(t *testing.T) {
	e := newEnv(t)
	tok := e.fileToken()
	key := tok.Dir + "a.zip"
	tampered := func() string {
		raw, _ := base64.StdEncoding.DecodeString(tok.Policy)
		return base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), "1073741824", "1073741825", 1)))
	}()
	replace := func(name, value string) [][2]string {
		f := tokenFields(tok, key)
		for i := range f {
			if f[i][0] == name {
				f[i][1] = value
			}
		}
		return f
	}
	without := func(name string) [][2]string {
		var out [][2]string
		for _, f := range tokenFields(tok, key) {
			if f[0] != name {
				out = append(out, f)
			}
		}
		return out
	}
	cases := []struct {
		name   string
		fields [][2]string
		file   io.Reader
		status int
		code   string
	}{
		{"tampered policy", replace("policy", tampered), strings.NewReader("x"), 403, "AccessDenied"},
		{"wrong signature", replace("Signature", "AAAA"), strings.NewReader("x"), 403, "AccessDenied"},
		{"wrong access id", replace("OSSAccessKeyId", "LTAIxxxx"), strings.NewReader("x"), 403, "AccessDenied"},
		{"wrong key prefix", replace("key", "mds/tempFileForOnex/ONEX570DA89211721/default/TNTABCDE/other/a.zip"), strings.NewReader("x"), 403, "AccessDenied"},
		{"missing key", without("key"), strings.NewReader("x"), 400, "InvalidArgument"},
		{"missing policy", without("policy"), strings.NewReader("x"), 400, "InvalidArgument"},
		{"no file", tokenFields(tok, key), nil, 400, "InvalidArgument"},
		{"key is the dir", replace("key", tok.Dir), strings.NewReader("x"), 400, "InvalidArgument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.postObject(tok.Host, tc.fields, tc.file)
			oe := ossErrorOf(t, body)
			if status != tc.status || oe.Code != tc.code || oe.Message == "" || oe.RequestId == "" {
				t.Fatalf("HTTP %d %+v, want %d %s", status, oe, tc.status, tc.code)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPost, tok.Host, strings.NewReader("key=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body := e.send(req)
	if oe := ossErrorOf(t, body); status != 400 || oe.Code != "InvalidArgument" {
		t.Fatalf("non-multipart: HTTP %d %+v", status, oe)
	}
	if len(e.srv.store.st.Objects) != 0 {
		t.Fatalf("a refused upload was stored: %v", e.srv.store.st.Objects)
	}
}

func TestUploadExpiredPolicy(t *testing.T) {
	e := newEnv(t)
	tok := e.fileToken()
	e.now = e.now.Add(31 * time.Minute)
	status, body := e.postObject(tok.Host, tokenFields(tok, tok.Dir+"a.zip"), strings.NewReader("x"))
	if oe := ossErrorOf(t, body); status != 403 || oe.Code != "AccessDenied" || !strings.Contains(oe.Message, "expired") {
		t.Fatalf("HTTP %d %+v", status, oe)
	}
}

// A policy signed by the emulator's secret but granting little room: the
// upload is cut off while streaming and leaves no file behind.
func TestUploadTooLarge(t *testing.T) {
	e := newEnv(t)
	tok := e.fileToken()
	doc := `{"expiration":"2024-01-01T00:30:00Z","conditions":[["starts-with","$key","` + tok.Dir + `"],["content-length-range",0,1000]]}`
	tok.Policy = base64.StdEncoding.EncodeToString([]byte(doc))
	tok.Signature = e.srv.signPolicy(tok.Policy)
	status, body := e.postObject(tok.Host, tokenFields(tok, tok.Dir+"a.zip"), strings.NewReader(strings.Repeat("x", 1000)))
	if status != 200 {
		t.Fatalf("exactly the limit: HTTP %d %s", status, body)
	}
	status, body = e.postObject(tok.Host, tokenFields(tok, tok.Dir+"b.zip"), io.LimitReader(zeroReader{}, 5<<20))
	if oe := ossErrorOf(t, body); status != 400 || oe.Code != "EntityTooLarge" {
		t.Fatalf("HTTP %d %+v", status, oe)
	}
	entries, _ := os.ReadDir(filepath.Join(e.dir, objectsDir))
	if len(entries) != 1 {
		t.Fatalf("objects folder holds %d entries after a refused upload, want 1", len(entries))
	}
	if e.srv.store.st.Objects[tok.Dir+"b.zip"] != nil {
		t.Fatal("the oversized object was recorded")
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestParsePolicyRejectsGarbage(t *testing.T) {
	for _, p := range []string{"!!", base64.StdEncoding.EncodeToString([]byte("{")), base64.StdEncoding.EncodeToString([]byte(`{"expiration":"soon"}`)),
		base64.StdEncoding.EncodeToString([]byte(`{"expiration":"2024-01-01T00:00:00Z","conditions":[["content-length-range",5,1]]}`))} {
		if _, err := parsePolicy(p); err == nil {
			t.Errorf("parsePolicy(%q) accepted", p)
		}
	}
}
