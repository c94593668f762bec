package emulator

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// mustCreateWhitelist creates a whitelist with members (added through
// KeyIds) and returns its ID.
func (e *env) mustCreateWhitelist(name, typeCode string, members ...string) string {
	e.t.Helper()
	var created createMcubeWhitelistResponse
	e.call("CreateMcubeWhitelist", e.params("WhiteListName", name, "WhitelistType", typeCode), &created)
	if r := created.CreateWhitelistResult; r == nil || !r.Success || r.WhitelistId == "" {
		e.t.Fatalf("create whitelist %s: %+v", name, created)
	}
	if len(members) > 0 {
		info := e.addToWhitelist(created.CreateWhitelistResult.WhitelistId, "KeyIds", strings.Join(members, ","))
		if info.FailNum != 0 {
			e.t.Fatalf("add %v: %+v", members, info)
		}
	}
	return created.CreateWhitelistResult.WhitelistId
}

func (e *env) addToWhitelist(id, param, value string) *addWhitelistInfo {
	e.t.Helper()
	var updated updateMcubeWhitelistResponse
	e.call("UpdateMcubeWhitelist", e.params("Id", id, "OnexFlag", "true", param, value), &updated)
	if r := updated.AddWhitelistResult; r == nil || !r.Success || r.AddWhitelistInfo == nil {
		e.t.Fatalf("update whitelist %s: %+v", id, updated)
	}
	return updated.AddWhitelistResult.AddWhitelistInfo
}

func (e *env) listWhitelists(kv ...string) []whitelistItem {
	e.t.Helper()
	var listed listMcubeWhitelistsResponse
	e.call("ListMcubeWhitelists", e.params(kv...), &listed)
	if r := listed.ListWhitelistResult; r == nil || !r.Success {
		e.t.Fatalf("list whitelists: %+v", listed)
	}
	return listed.ListWhitelistResult.Whitelists
}

func (e *env) whitelistIDNamed(name string) string {
	e.t.Helper()
	for _, w := range e.listWhitelists("WhitelistName", name) {
		if w.WhiteListName == name {
			return strconv.FormatInt(w.Id, 10)
		}
	}
	e.t.Fatalf("no whitelist %s", name)
	return ""
}

// storedMembers is what the store holds of a whitelist's members.
func (e *env) storedMembers(id string) []string {
	e.t.Helper()
	n, _ := strconv.ParseInt(id, 10, 64)
	e.srv.store.mu.Lock()
	defer e.srv.store.mu.Unlock()
	for _, sc := range e.srv.store.st.Scopes {
		if w := sc.Whitelists[n]; w != nil {
			return append([]string{}, w.Members...)
		}
	}
	e.t.Fatalf("whitelist %s is not stored", id)
	return nil
}

func TestWhitelistLifecycle(t *testing.T) {
	e := newEnv(t)
	id := e.mustCreateWhitelist("qa", "normal", "alice", " bob ", "alice")
	if got := e.storedMembers(id); !reflect.DeepEqual(got, []string{"alice", "bob"}) {
		t.Fatalf("members %v", got)
	}
	// A file of one value a line adds to what is there.
	file := filepath.Join(t.TempDir(), "members.txt")
	if err := os.WriteFile(file, []byte("carol\ndave\r\n\nalice\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if info := e.addToWhitelist(id, "OssUrl", e.upload(file)); info.SuccessNum != 3 || info.FailNum != 0 {
		t.Fatalf("file add: %+v", info)
	}
	var removed deleteMdsWhitelistContentResponse
	e.call("DeleteMdsWhitelistContent", e.params("WhitelistId", id, "WhitelistValue", "bob"), &removed)
	if removed.ResultContent == nil || removed.ResultContent.Data == nil || !removed.ResultContent.Data.Success {
		t.Fatalf("remove: %+v", removed)
	}
	if got := e.storedMembers(id); !reflect.DeepEqual(got, []string{"alice", "carol", "dave"}) {
		t.Fatalf("members %v", got)
	}
	items := e.listWhitelists()
	if len(items) != 1 || strconv.FormatInt(items[0].Id, 10) != id || items[0].WhiteListCount != 3 || items[0].WhiteListName != "qa" ||
		items[0].WhitelistType != "normal" || items[0].AppCode == "" || items[0].GmtCreate == "" {
		t.Fatalf("listed %+v", items)
	}
	if len(e.listWhitelists("WhitelistName", "other")) != 0 {
		t.Fatal("the name filter matched another name")
	}
	// The store keeps whitelists across a restart.
	e = e.reopen()
	if got := e.storedMembers(id); len(got) != 3 {
		t.Fatalf("after reopen: %v", got)
	}
	var deleted deleteMcubeWhitelistResponse
	e.call("DeleteMcubeWhitelist", e.params("Id", id), &deleted)
	if deleted.DeleteWhitelistResult == nil || !deleted.DeleteWhitelistResult.Success {
		t.Fatalf("delete: %+v", deleted)
	}
	if len(e.listWhitelists()) != 0 {
		t.Fatal("a deleted whitelist is still listed")
	}
}

func TestRegexWhitelistRefusesExpressionsThatDoNotCompile(t *testing.T) {
	e := newEnv(t)
	id := e.mustCreateWhitelist("patterns", "regex")
	info := e.addToWhitelist(id, "KeyIds", "qa-[0-9]+,([")
	if info.SuccessNum != 1 || info.FailNum != 1 || info.FailUserIds != "([" {
		t.Fatalf("%+v", info)
	}
	if got := e.storedMembers(id); !reflect.DeepEqual(got, []string{"qa-[0-9]+"}) {
		t.Fatalf("members %v", got)
	}
}

func TestWhitelistBusinessErrors(t *testing.T) {
	e := newEnv(t)
	id := e.mustCreateWhitelist("qa", "normal")
	for _, tc := range []struct {
		action string
		kv     []string
		code   string
	}{
		{"CreateMcubeWhitelist", []string{"WhiteListName", "", "WhitelistType", "normal"}, errInvalidParameter},
		{"CreateMcubeWhitelist", []string{"WhiteListName", "x", "WhitelistType", "vip"}, errInvalidParameter},
		{"UpdateMcubeWhitelist", []string{"Id", id, "KeyIds", "a"}, errInvalidParameter},
		{"UpdateMcubeWhitelist", []string{"Id", id, "OnexFlag", "true"}, errInvalidParameter},
		{"UpdateMcubeWhitelist", []string{"Id", "99", "OnexFlag", "true", "KeyIds", "a"}, errWhitelistNotFound},
		{"UpdateMcubeWhitelist", []string{"Id", id, "OnexFlag", "true", "OssUrl", "http://elsewhere/x.txt"}, errFileNotFound},
		{"DeleteMcubeWhitelist", []string{"Id", "99"}, errWhitelistNotFound},
		{"DeleteMdsWhitelistContent", []string{"WhitelistId", "99", "WhitelistValue", "a"}, errWhitelistNotFound},
		{"DeleteMdsWhitelistContent", []string{"WhitelistId", id}, errInvalidParameter},
	} {
		status, body := e.send(e.requestV3(tc.action, e.params(tc.kv...), signing{}))
		if status != http.StatusOK || !strings.Contains(string(body), `"Success":false`) || !strings.Contains(string(body), tc.code) {
			t.Errorf("%s %v: HTTP %d: %s, want %s", tc.action, tc.kv, status, body, tc.code)
		}
	}
}

func TestDeliveryFollowsWhitelistMembership(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Gray")
	pkg := e.mustCreatePackage("12345678", "1.0.0.1")
	normal := e.mustCreateWhitelist("qa", "normal", "alice")
	regex := e.mustCreateWhitelist("staff", "regex", "staff-[0-9]+")
	resp := e.createTask("PackageId", pkg, "PublishType", "2", "PublishMode", "1", "WhitelistIds", normal+","+regex+",404", "Memo", "testers")
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaTaskResult.nebulaResult)
	delivered := func(user string) string {
		status, out, body := e.delivery(url.Values{"platform": {"android"}, "client_version": {"10.1.0"}, "user_id": {user}})
		if status != http.StatusOK {
			t.Fatalf("HTTP %d: %s", status, body)
		}
		if len(out.Deliveries) == 1 {
			return out.Deliveries[0].H5Version
		}
		return out.Skipped[0].Reason
	}
	for user, want := range map[string]string{
		"alice":     "1.0.0.1",
		"staff-17":  "1.0.0.1",
		"staff-17x": "user staff-17x is not in the grayscale whitelist",
		"bob":       "user bob is not in the grayscale whitelist",
		normal:      "user " + normal + " is not in the grayscale whitelist",
		"404":       "user 404 is not in the grayscale whitelist",
	} {
		if got := delivered(user); got != want {
			t.Errorf("%s: %q, want %q", user, got, want)
		}
	}
	// A member removed no longer receives it; one added does.
	var removed deleteMdsWhitelistContentResponse
	e.call("DeleteMdsWhitelistContent", e.params("WhitelistId", normal, "WhitelistValue", "alice"), &removed)
	e.addToWhitelist(normal, "KeyIds", "bob")
	if got := delivered("alice"); got != "user alice is not in the grayscale whitelist" {
		t.Errorf("alice after removal: %q", got)
	}
	if got := delivered("bob"); got != "1.0.0.1" {
		t.Errorf("bob after adding: %q", got)
	}
}

// driveWhitelistActions calls the five whitelist actions through the client
// for the golden wire test: members added inline and as a file, one removed.
func driveWhitelistActions(t *testing.T, e *env, c *mpaas.Client) {
	ctx := context.Background()
	id, err := c.CreateWhitelist(ctx, "golden", mpaas.WhitelistRegex)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddWhitelistMembers(ctx, id, []string{"qa-[0-9]+", "ops"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddWhitelistMembers(ctx, id, []string{"staff-[0-9]{2,3}"}); err != nil { // a comma: sent as a file
		t.Fatal(err)
	}
	if err := c.RemoveWhitelistMember(ctx, id, "ops"); err != nil {
		t.Fatal(err)
	}
	found, err := c.FindWhitelist(ctx, id)
	if err != nil || found == nil || found.MemberCount != 2 || found.Type != mpaas.WhitelistRegex {
		t.Fatalf("FindWhitelist = %+v, %v", found, err)
	}
	if got := e.storedMembers(strconv.FormatInt(id, 10)); !reflect.DeepEqual(got, []string{"qa-[0-9]+", "staff-[0-9]{2,3}"}) {
		t.Fatalf("the emulator holds %v", got)
	}
	if err := c.DeleteWhitelist(ctx, id); err != nil {
		t.Fatal(err)
	}
}
