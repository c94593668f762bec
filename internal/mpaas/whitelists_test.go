package mpaas

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestLinesReaderWritesOneValuePerLine(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a\n"},
		{[]string{"alice", "bob", "^qa-[0-9]{2,3}$"}, "alice\nbob\n^qa-[0-9]{2,3}$\n"},
	} {
		// A one-byte buffer makes every line span several reads.
		got, err := io.ReadAll(io.LimitReader(&oneByteReader{&linesReader{lines: tc.lines}}, 1<<20))
		if err != nil || string(got) != tc.want {
			t.Errorf("lines %q: read %q, %v; want %q", tc.lines, got, err, tc.want)
		}
	}
}

type oneByteReader struct{ r io.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(1, len(p))]) }

func TestWhitelistInline(t *testing.T) {
	many := make([]string, whitelistInlineValues+1)
	for i := range many {
		many[i] = "u"
	}
	for _, tc := range []struct {
		name   string
		values []string
		inline bool
	}{
		{"few plain IDs", []string{"alice", "bob"}, true},
		{"the most values a request takes", many[:whitelistInlineValues], true},
		{"one value too many", many, false},
		{"a value with a comma", []string{"alice", "qa-[0-9]{2,3}"}, false},
		{"too many bytes", []string{strings.Repeat("x", whitelistInlineBytes)}, false},
	} {
		if got := whitelistInline(tc.values); got != tc.inline {
			t.Errorf("%s: inline = %v, want %v", tc.name, got, tc.inline)
		}
	}
}

func TestWhitelistPatternMatchesWholeIDs(t *testing.T) {
	for _, tc := range []struct {
		expr, user string
		match      bool
	}{
		{"qa-[0-9]+", "qa-17", true},
		{"qa-[0-9]+", "xqa-17", false},
		{"qa-[0-9]+", "qa-17x", false},
		{"alice|bob", "bob", true},
		{"alice|bob", "alicebob", false},
	} {
		re, err := WhitelistPattern(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.MatchString(tc.user); got != tc.match {
			t.Errorf("%q matches %q = %v, want %v", tc.expr, tc.user, got, tc.match)
		}
	}
	if _, err := WhitelistPattern("qa-(?=1)"); err == nil {
		t.Error("a look-ahead should be refused")
	}
}

func TestWhitelistTypeCodesRoundTrip(t *testing.T) {
	for _, kind := range []WhitelistType{WhitelistNormal, WhitelistRegex} {
		code, err := whitelistTypeCode(kind)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := WhitelistTypeOf(code); err != nil || back != kind {
			t.Errorf("%s: code %q reads back as %q, %v", kind, code, back, err)
		}
	}
	if _, err := WhitelistTypeOf("2"); err == nil {
		t.Error("an unknown code should not be read")
	}
}

// whitelistAPI answers the whitelist actions, and the file token, with
// canned successes; refused makes UpdateMcubeWhitelist report refused values.
func whitelistAPI(t *testing.T, refused string) *fakeAPI {
	return newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
		env := okEnvelope()
		ok := whitelistResult{Success: flexBoolOf(true)}
		switch r.Action {
		case ActionCreateWhitelist:
			writeJSON(w, 200, createMcubeWhitelistResponse{responseEnvelope: env, CreateWhitelistResult: &createWhitelistResult{whitelistResult: ok, WhitelistId: "4321"}})
		case ActionListWhitelists:
			writeJSON(w, 200, listMcubeWhitelistsResponse{responseEnvelope: env, ListWhitelistResult: &listWhitelistResult{whitelistResult: ok,
				Whitelists: []whitelistItem{{Id: flexIntOf(4321), WhiteListName: "qa", WhitelistType: "regex", WhiteListCount: flexIntOf(3)}}}})
		case ActionUpdateWhitelist:
			info := &addWhitelistInfo{SuccessNum: flexIntOf(2)}
			if refused != "" {
				info = &addWhitelistInfo{SuccessNum: flexIntOf(1), FailNum: flexIntOf(1), FailUserIds: flexString(refused)}
			}
			writeJSON(w, 200, updateMcubeWhitelistResponse{responseEnvelope: env, AddWhitelistResult: &addWhitelistResult{whitelistResult: ok, AddWhitelistInfo: info}})
		case ActionDeleteWhitelistContent:
			writeJSON(w, 200, deleteMdsWhitelistContentResponse{responseEnvelope: env,
				ResultContent: &deleteWhitelistContent{Data: &deleteWhitelistContentData{whitelistResult: ok}}})
		case ActionDeleteWhitelist:
			writeJSON(w, 200, deleteMcubeWhitelistResponse{responseEnvelope: env, DeleteWhitelistResult: &deleteWhitelistResult{whitelistResult: ok, Data: "success"}})
		default:
			t.Errorf("unexpected action %s", r.Action)
			writeJSON(w, 400, gatewayError{Code: "InvalidParameter"})
		}
	})
}

func TestWhitelistRequestsCarryTheSDKParameters(t *testing.T) {
	api := whitelistAPI(t, "")
	client, _ := newTestClient(t, api.srv.URL)
	ctx := context.Background()
	id, err := client.CreateWhitelist(ctx, "qa", WhitelistRegex)
	if err != nil || id != 4321 {
		t.Fatalf("CreateWhitelist = %d, %v", id, err)
	}
	if err := client.AddWhitelistMembers(ctx, id, []string{"alice", "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := client.RemoveWhitelistMember(ctx, id, "carol"); err != nil {
		t.Fatal(err)
	}
	if err := client.DeleteWhitelist(ctx, id); err != nil {
		t.Fatal(err)
	}
	found, err := client.FindWhitelist(ctx, 4321)
	if err != nil || found == nil || found.Type != WhitelistRegex || found.MemberCount != 3 || found.Name != "qa" {
		t.Fatalf("FindWhitelist = %+v, %v", found, err)
	}
	want := map[string]map[string]string{
		ActionCreateWhitelist:        {"WhiteListName": "qa", "WhitelistType": "regex"},
		ActionUpdateWhitelist:        {"Id": "4321", "KeyIds": "alice,bob", "OnexFlag": "true", "OssUrl": ""},
		ActionDeleteWhitelistContent: {"WhitelistId": "4321", "WhitelistValue": "carol"},
		ActionDeleteWhitelist:        {"Id": "4321"},
	}
	for _, r := range api.recorded() {
		for name, value := range want[r.Action] {
			if got := r.Form.Get(name); got != value {
				t.Errorf("%s %s = %q, want %q", r.Action, name, got, value)
			}
		}
		delete(want, r.Action)
	}
	if len(want) > 0 {
		t.Errorf("actions never called: %v", want)
	}
}

func TestAddWhitelistMembersReportsRefusedValues(t *testing.T) {
	api := whitelistAPI(t, "bad id")
	client, _ := newTestClient(t, api.srv.URL)
	err := client.AddWhitelistMembers(context.Background(), 4321, []string{"alice", "bad id"})
	if !errors.Is(err, ErrMembersRefused) || !strings.Contains(err.Error(), "bad id") {
		t.Fatalf("err = %v, want ErrMembersRefused naming the value", err)
	}
}

func TestAddWhitelistMembersRefusesValuesTheWireCannotCarry(t *testing.T) {
	client, _ := newTestClient(t, "http://127.0.0.1:1")
	for _, values := range [][]string{{""}, {"two\nlines"}} {
		if err := client.AddWhitelistMembers(context.Background(), 1, values); err == nil {
			t.Errorf("%q: no error", values)
		}
	}
}
