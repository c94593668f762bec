package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func httpGet(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestRestartKeepsEverything(t *testing.T) {
	e := newEnv(t)
	var vh createMcubeVhostResponse
	e.call(mpaas.ActionCreateVhost, e.params("Vhost", "h5app.example.com"), &vh)
	e.mustCreateApp("12345678", "Demo")
	pkg := e.mustCreatePackage("12345678", "1.0.0.1")
	task := e.createTask("PackageId", pkg, "PublishType", "3", "PublishMode", "0").CreateMcubeNebulaTaskResult.NebulaTaskId
	pendingURL := e.upload(normalZip(t, "12345678"))
	tok := e.fileToken()

	r := e.reopen()
	var list listMcubeNebulaAppsResponse
	r.call(mpaas.ActionListNebulaApps, r.params(), &list)
	if infos := list.ListMcubeNebulaAppsResult.NebulaAppInfos; len(infos) != 1 || infos[0].H5Id != "12345678" {
		t.Fatalf("apps after restart = %+v", infos)
	}
	var q queryMcubeVhostResponse
	r.call(mpaas.ActionQueryVhost, r.params(), &q)
	if q.QueryVhostResult.Data != "h5app.example.com" {
		t.Fatalf("vhost after restart = %q", q.QueryVhostResult.Data)
	}
	var get getMcubeNebulaResourceResponse
	r.call(mpaas.ActionGetNebulaResource, r.params("Id", pkg), &get)
	expectOK(t, get.envelope, get.GetNebulaResourceResult.nebulaResult)
	if status := must(httpGet(get.GetNebulaResourceResult.NebulaResourceInfo.DownloadUrl)); status != 200 {
		t.Fatalf("download after restart: HTTP %d", status)
	}
	var detail getMcubeNebulaTaskDetailResponse
	r.call(mpaas.ActionGetNebulaTaskDetail, r.params("TaskId", task), &detail)
	expectOK(t, detail.envelope, detail.GetMcubeNebulaTaskDetailResult.nebulaResult)

	// Ids keep growing: never reused.
	pendingURL = r.ts.URL + pendingURL[len(e.ts.URL):] // the new server listens elsewhere
	resp := r.createResource(r.resourceParams("12345678", "1.0.0.2", pendingURL))
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	if must(strconv.ParseInt(resp.CreateMcubeNebulaResourceReslult.NebulaResourceId, 10, 64)) <= must(strconv.ParseInt(pkg, 10, 64)) {
		t.Fatalf("id %s after restart is not above %s", resp.CreateMcubeNebulaResourceReslult.NebulaResourceId, pkg)
	}
	task2 := r.createTask("PackageId", pkg, "PublishType", "3", "PublishMode", "0").CreateMcubeNebulaTaskResult.NebulaTaskId
	if must(strconv.ParseInt(task2, 10, 64)) <= must(strconv.ParseInt(task, 10, 64)) {
		t.Fatalf("task id %s after restart is not above %s", task2, task)
	}
	// A token issued before the restart still verifies (the OSS secret persists).
	tok.Host = r.ts.URL + "/oss"
	if status, body := r.postObject(tok.Host, tokenFields(tok, tok.Dir+"late.zip"), http.NoBody); status != 200 {
		t.Fatalf("upload with a pre-restart token: HTTP %d %s", status, body)
	}
}

func TestFileModes(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	e.mustCreatePackage("12345678", "1.0.0.1")
	for _, d := range []string{"", objectsDir, packagesDir, rsaDir} {
		fi, err := os.Stat(filepath.Join(e.dir, d))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("%s/%s has mode %o, want 700", e.dir, d, fi.Mode().Perm())
		}
	}
	err := filepath.Walk(e.dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 600", path, fi.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// No temp files are left behind.
	entries, _ := os.ReadDir(e.dir)
	for _, en := range entries {
		if !en.IsDir() && en.Name() != stateFile && en.Name() != journalFile {
			t.Errorf("stray file %s in the data folder", en.Name())
		}
	}
}

func TestCorruptStateRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DataDir: dir, Credentials: []Credential{{AccessKeyID: "a", AccessKeySecret: "b"}}}); err == nil {
		t.Fatal("New accepted a corrupt state file")
	}
}

func TestNewRequiresOptions(t *testing.T) {
	if _, err := New(Options{Credentials: []Credential{{AccessKeyID: "a", AccessKeySecret: "b"}}}); err == nil {
		t.Error("no DataDir accepted")
	}
	if _, err := New(Options{DataDir: t.TempDir()}); err == nil {
		t.Error("no credentials accepted")
	}
	if _, err := New(Options{DataDir: t.TempDir(), Credentials: []Credential{{AccessKeyID: "a"}}}); err == nil {
		t.Error("a credential without a secret accepted")
	}
}

// A failed write leaves memory as it was on disk.
func TestCommitFailureRollsBack(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	e.srv.store.appendBytes = func(f *os.File, data []byte) error {
		_, _ = f.Write(data[:len(data)/2]) // torn: half an entry reaches the file
		return errors.New("disk full")
	}
	status, body := e.send(e.requestV3(mpaas.ActionCreateNebulaApp, e.params("H5Id", "12345679", "H5Name", "x"), signing{}))
	expectGateway(t, status, body, 500, "InternalFailure")
	e.srv.store.appendBytes = appendAndSync
	var list listMcubeNebulaAppsResponse
	e.call(mpaas.ActionListNebulaApps, e.params(), &list)
	if n := list.ListMcubeNebulaAppsResult.TotalCount; n != 1 {
		t.Fatalf("%d apps after a failed write, want 1", n)
	}
}

// storedState is the server's whole state as JSON.
func (e *env) storedState() string {
	e.t.Helper()
	st := e.srv.store
	st.mu.Lock()
	defer st.mu.Unlock()
	data, err := json.Marshal(st.st)
	if err != nil {
		e.t.Fatal(err)
	}
	return string(data)
}

// mutateMuch makes every kind of mutation, many times.
func mutateMuch(e *env) {
	var vh createMcubeVhostResponse
	e.call(mpaas.ActionCreateVhost, e.params("Vhost", "h5app.example.com"), &vh)
	for i := 0; i < 12; i++ {
		e.mustCreateApp(strconv.Itoa(12345600+i), "App "+strconv.Itoa(i))
	}
	for i := 0; i < 4; i++ {
		pkg := e.mustCreatePackage(strconv.Itoa(12345600+i), "1.0.0.1")
		task := e.createTask("PackageId", pkg, "PublishType", "3", "PublishMode", "0").CreateMcubeNebulaTaskResult.NebulaTaskId
		if i%2 == 0 {
			var changed changeMcubeNebulaTaskStatusResponse
			e.call(mpaas.ActionChangeNebulaTaskStatus, e.params("TaskId", task, "PackageId", pkg, "TaskStatus", "3", "BizType", "nebula"), &changed)
		}
	}
	for _, h5ID := range []string{"12345600", "12345605"} { // one with a package and a task, one empty
		var deleted deleteMcubeNebulaAppResponse
		e.call(mpaas.ActionDeleteNebulaApp, e.params("H5Id", h5ID), &deleted)
	}
}

// A restart replays the journal to the same state, whether or not the old
// server was closed; each mutation appends about its own size.
func TestJournalReopenGivesTheSameState(t *testing.T) {
	e := newEnv(t)
	mutateMuch(e)
	want := e.storedState()
	journal := filepath.Join(e.dir, journalFile)
	grown := must(os.Stat(journal)).Size()
	e.mustCreateApp("12345699", "One more")
	if perApp := must(os.Stat(journal)).Size() - grown; perApp > 1024 {
		t.Errorf("creating an H5App appended %d bytes; a journal entry holds only what changed", perApp)
	}
	want2 := e.storedState()

	// Not closed: the new server replays the journal.
	r := e.reopen()
	if got := r.storedState(); got != want2 {
		t.Fatalf("state after replay differs:\n got %s\nwant %s", got, want2)
	}
	if want == want2 {
		t.Fatal("the last mutation changed nothing")
	}
	// The old server, closed late, must not fold its stale state over the new one's.
	r.mustCreateApp("12345698", "After the restart")
	want3 := r.storedState()
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	// Closed: state.json holds everything and the journal is empty.
	if err := r.srv.Close(); err != nil {
		t.Fatal(err)
	}
	if size := must(os.Stat(journal)).Size(); size != 0 {
		t.Fatalf("journal holds %d bytes after Close", size)
	}
	if got := r.reopen().storedState(); got != want3 {
		t.Fatalf("state after Close and reopen differs:\n got %s\nwant %s", got, want3)
	}
}

// A crash in the middle of an append leaves a torn last line: it is
// ignored. An unreadable line before the last is corruption, refused.
func TestJournalTornTail(t *testing.T) {
	e := newEnv(t)
	mutateMuch(e)
	want := e.storedState()
	journal := filepath.Join(e.dir, journalFile)
	whole := must(os.ReadFile(journal))
	for i, tail := range []string{`{"next":[99,4294967`, "{\"next\":[99]}garbage\n", "\x00\x00\x00\x00"} {
		if err := os.WriteFile(journal, append(append([]byte(nil), whole...), tail...), 0o600); err != nil {
			t.Fatal(err)
		}
		r := newEnvAt(t, e.dir, nil)
		if got := r.storedState(); got != want {
			t.Fatalf("tail %q: state differs:\n got %s\nwant %s", tail, got, want)
		}
		// The store goes on from there: a mutation, Close, reopen.
		r.mustCreateApp(strconv.Itoa(12345690+i), "After the crash")
		want = r.storedState()
		if err := r.srv.Close(); err != nil {
			t.Fatal(err)
		}
		if got := newEnvAt(t, e.dir, nil).storedState(); got != want {
			t.Fatalf("tail %q: state after a mutation, Close and reopen differs", tail)
		}
		whole = must(os.ReadFile(journal)) // empty: the reopen folded it into state.json
	}

	e2 := newEnvAt(t, e.dir, nil)
	e2.mustCreateApp("12345681", "a")
	e2.mustCreateApp("12345682", "b")
	lines := bytes.SplitAfter(must(os.ReadFile(journal)), []byte("\n"))
	if len(lines) < 2 {
		t.Fatalf("journal has %d lines", len(lines))
	}
	corrupt := append([]byte("{not an entry}\n"), bytes.Join(lines, nil)...)
	if err := os.WriteFile(journal, corrupt, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DataDir: e.dir, Credentials: []Credential{{AccessKeyID: "a", AccessKeySecret: "b"}}}); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("New accepted a journal with a corrupt first line: %v", err)
	}
}
