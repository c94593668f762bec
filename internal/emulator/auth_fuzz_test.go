package emulator

import (
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The fuzz targets call (*Server).authenticate directly: random headers,
// query and body must never panic, and a request verifies only when it was
// signed with the right secret and not changed afterwards.

const fuzzHost = "mpaas.fuzz.test"

// fuzzClock counts hours after testStart; every request moves it on, so the
// nonce cache never fills up however many inputs run.
var fuzzClock atomic.Int64

func fuzzSrv(f *testing.F) *Server {
	s, err := New(Options{
		DataDir:     filepath.Join(f.TempDir(), "data"),
		Credentials: []Credential{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}},
		Now:         func() time.Time { return testStart.Add(time.Duration(fuzzClock.Load()) * time.Hour) },
	})
	if err != nil {
		f.Fatal(err)
	}
	return s
}

// tick advances the clock and returns the new now and a fresh nonce.
func tick() (time.Time, string) {
	n := fuzzClock.Add(1)
	return testStart.Add(time.Duration(n) * time.Hour), "fuzz-nonce-" + strconv.FormatInt(n, 10)
}

var fuzzActions = []string{mpaas.ActionListNebulaApps, mpaas.ActionCreateNebulaApp, mpaas.ActionDeleteNebulaApp, mpaas.ActionCreateNebulaResource}

func FuzzVerifyV3(f *testing.F) {
	f.Add(uint8(0), uint8(0), "AppId=a&WorkspaceId=w&TenantId=t", "", "x-fuzz", "v", uint16(0), byte(1), "")
	f.Add(uint8(1), uint8(1), "H5Id=12345678", "a=1&b=2", "x-acs-security-token", "tok", uint16(3), byte(7), "Credential=testid,SignedHeaders=host,Signature=00")
	f.Add(uint8(2), uint8(2), "a=%zz", "q=%", "", "", uint16(9), byte(0x80), "")
	f.Add(uint8(3), uint8(3), "", "", "Authorization", "x", uint16(1), byte(2), "deadbeef")
	f.Add(uint8(0), uint8(2), "k=v", "", "x-acs-action", "DeleteMcubeNebulaApp", uint16(1), byte(1), "")
	s := fuzzSrv(f)
	f.Fuzz(func(t *testing.T, mode, actionIdx uint8, body, rawQuery, extraName, extraValue string, tamperAt uint16, tamperByte byte, forged string) {
		now, nonce := tick()
		action := fuzzActions[int(actionIdx)%len(fuzzActions)]
		target := "http://" + fuzzHost + "/"
		if rawQuery != "" {
			target += "?" + rawQuery
		}
		req, err := http.NewRequest(http.MethodPost, target, nil)
		if err != nil {
			return
		}
		req.Host = fuzzHost
		raw := []byte(body)
		sum := mpaas.HexSHA256(raw)
		signed := map[string]string{
			"host":                  fuzzHost,
			"content-type":          "application/x-www-form-urlencoded",
			"x-acs-action":          action,
			"x-acs-version":         mpaas.APIVersion,
			"x-acs-date":            now.UTC().Format("2006-01-02T15:04:05Z"),
			"x-acs-signature-nonce": nonce,
			"x-acs-content-sha256":  sum,
		}
		for k, v := range signed {
			if k != "host" {
				req.Header.Set(k, v)
			}
		}
		// An extra header the signer does not know about.
		if name := http.CanonicalHeaderKey(extraName); extraName != "" && validHeaderName(extraName) {
			req.Header.Add(name, extraValue)
		}
		correct := mpaas.AuthorizationV3(testKeyID, testSecret, http.MethodPost, "/", req.URL.Query(), signed, sum)
		req.Header.Set("Authorization", correct)
		changed := false // the request differs from what was signed
		switch mode % 4 {
		case 0: // signed as is
		case 1: // a forged Authorization (never computed with the secret)
			req.Header.Set("Authorization", mpaas.AlgorithmV3+" "+forged)
			changed = req.Header.Get("Authorization") != correct
		case 2: // signed, then one part changed
			changed = tamperV3(req, &raw, tamperAt, tamperByte)
		case 3: // the right structure with a forged signature
			req.Header.Set("Authorization", mpaas.AlgorithmV3+" Credential="+testKeyID+
				",SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="+forged)
			changed = req.Header.Get("Authorization") != correct
		}
		a, gerr := s.authenticate(req, raw)
		if gerr == nil && changed {
			t.Fatalf("a request changed after signing verified (mode %d): %s %q headers %v", mode%4, req.URL, raw, req.Header)
		}
		if gerr == nil && (a.action != req.Header.Get("x-acs-action") || a.accessKeyID != testKeyID) {
			t.Fatalf("verified as %+v", a)
		}
		// An untouched, correctly signed request with a valid body and no
		// extra x-acs- or Authorization header must verify.
		if mode%4 == 0 && gerr != nil {
			_, perr := url.ParseQuery(body)
			lower := strings.ToLower(extraName)
			if perr == nil && !strings.HasPrefix(lower, "x-acs-") && lower != "authorization" && lower != "host" {
				t.Fatalf("a correctly signed request was refused: %d %s %s", gerr.status, gerr.code, gerr.message)
			}
		}
	})
}

// tamperV3 changes one signed part of req; it reports whether anything changed.
func tamperV3(req *http.Request, raw *[]byte, at uint16, b byte) bool {
	switch at % 5 {
	case 0:
		if len(*raw) == 0 {
			*raw = []byte{b}
			return true
		}
		i := int(at/5) % len(*raw)
		(*raw)[i] ^= b | 1
		return true
	case 1:
		old := req.Header.Get("x-acs-action")
		for _, a := range fuzzActions {
			if a != old {
				req.Header.Set("x-acs-action", a)
				return true
			}
		}
	case 2:
		req.URL.RawQuery += "&tampered=" + strconv.Itoa(int(b))
		return true
	case 3:
		req.Header.Set("x-acs-signature-nonce", req.Header.Get("x-acs-signature-nonce")+"x")
		return true
	case 4:
		req.Header.Set("x-acs-date", "2000-01-01T00:00:00Z")
		return true
	}
	return false
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return false
		}
	}
	return true
}

// v1ReservedParams are the query parameters of the V1 protocol.
var v1ReservedParams = map[string]bool{
	"Action": true, "Format": true, "Version": true, "Timestamp": true, "SignatureNonce": true,
	"SignatureMethod": true, "SignatureVersion": true, "AccessKeyId": true, "Signature": true, "SecurityToken": true,
}

func FuzzVerifyV1(f *testing.F) {
	f.Add(uint8(0), uint8(0), "AppId=a&WorkspaceId=w&TenantId=t", "Extra", "1", uint16(0), byte(1), "")
	f.Add(uint8(1), uint8(1), "H5Id=12345678", "", "", uint16(1), byte(3), "AAAA")
	f.Add(uint8(2), uint8(2), "a=%zz&b", "Signature", "x", uint16(2), byte(0x41), "")
	f.Add(uint8(2), uint8(3), "k=v+w", "Timestamp", "2000-01-01T00:00:00Z", uint16(4), byte(0x0b), "")
	s := fuzzSrv(f)
	f.Fuzz(func(t *testing.T, mode, actionIdx uint8, body, extraKey, extraValue string, tamperAt uint16, tamperByte byte, forged string) {
		now, nonce := tick()
		action := fuzzActions[int(actionIdx)%len(fuzzActions)]
		query := url.Values{
			"Action": {action}, "Format": {"json"}, "Version": {mpaas.APIVersion},
			"Timestamp": {now.UTC().Format("2006-01-02T15:04:05Z")}, "SignatureNonce": {nonce},
			"SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"}, "AccessKeyId": {testKeyID},
		}
		if extraKey != "" {
			query.Set(extraKey, extraValue)
		}
		form, formErr := url.ParseQuery(body)
		// Sign as the client does: the form, then the query on top.
		merged := url.Values{}
		for k, v := range form {
			merged[k] = v
		}
		for k, v := range query {
			merged[k] = v
		}
		correct := mpaas.SignV1(testSecret, mpaas.StringToSignV1(http.MethodPost, merged))
		query.Set("Signature", correct)
		rawQuery := query.Encode()
		raw := []byte(body)
		changed := false
		switch mode % 3 {
		case 0:
		case 1: // a forged signature
			q := query
			q.Set("Signature", forged)
			rawQuery = q.Encode()
			changed = forged != correct
		case 2: // signed, then changed
			rawQuery, raw, changed = tamperV1(query, raw, form, tamperAt, tamperByte)
		}
		req, err := http.NewRequest(http.MethodPost, "http://"+fuzzHost+"/?"+rawQuery, nil)
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		a, gerr := s.authenticate(req, raw)
		if gerr == nil && changed {
			t.Fatalf("a request changed after signing verified (mode %d): %s %q", mode%3, rawQuery, raw)
		}
		if gerr == nil && (a.action != req.URL.Query().Get("Action") || a.accessKeyID != testKeyID) {
			t.Fatalf("verified as %+v", a)
		}
		if mode%3 == 0 && gerr != nil && formErr == nil && !v1ReservedParams[extraKey] && !shadows(form, query) && !repeatsAName(form) {
			t.Fatalf("a correctly signed request was refused: %d %s %s", gerr.status, gerr.code, gerr.message)
		}
	})
}

// tamperV1 changes the signed request; changed is false when the change
// does not alter what was signed: the first decoded value of each name ("a+b"
// and "a b" are the same request, a malformed body "%" signed as no
// parameters means the same as "&", and a value repeated after the first is
// not signed; the emulator refuses repeated names anyway).
func tamperV1(query url.Values, raw []byte, signedForm url.Values, at uint16, b byte) (string, []byte, bool) {
	q := url.Values{}
	for k, v := range query {
		q[k] = append([]string(nil), v...)
	}
	switch at % 4 {
	case 0:
		out := append([]byte(nil), raw...)
		if len(out) == 0 {
			out = []byte("x=" + string(rune('a'+b%26)))
		} else {
			out[int(at/4)%len(out)] ^= b | 1
		}
		after, err := url.ParseQuery(string(out))
		same := err == nil && reflect.DeepEqual(firstValues(signedForm), firstValues(after))
		return q.Encode(), out, !same
	case 1:
		for _, a := range fuzzActions {
			if a != q.Get("Action") {
				q.Set("Action", a)
				break
			}
		}
	case 2:
		q.Set("AccessKeyId", q.Get("AccessKeyId")+"x")
	case 3:
		q.Set("Timestamp", testStart.Add(-time.Hour).Format("2006-01-02T15:04:05Z"))
	}
	return q.Encode(), raw, true
}

// firstValues is what V1 signs of a form: the first value of each name.
func firstValues(form url.Values) map[string]string {
	out := make(map[string]string, len(form))
	for name, values := range form {
		if len(values) > 0 {
			out[name] = values[0]
		}
	}
	return out
}

// repeatsAName reports whether the form sends a parameter more than once,
// which no client does and the emulator refuses (only the first value of a
// name is signed).
func repeatsAName(form url.Values) bool {
	for _, values := range form {
		if len(values) > 1 {
			return true
		}
	}
	return false
}

// shadows reports whether the form repeats a query parameter.
func shadows(form, query url.Values) bool {
	for k := range form {
		if _, ok := query[k]; ok {
			return true
		}
	}
	return false
}
