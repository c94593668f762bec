package mpaas_test

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The reconciliation methods (EnsureApp, CreateApp, CreatePackage,
// CreateRelease) against the in-process emulator, with faults placed on
// chosen actions by a scripted handler.

const (
	emuKeyID  = "LTAIreconcile"
	emuSecret = "reconcile-secret-0123"
	appID     = "12345678" // the H5App of every test
)

// fault is what the scripted handler does to one request.
type fault int

const (
	// lostAnswer lets the emulator carry the request out and then closes
	// the connection without answering.
	lostAnswer fault = iota + 1
	// unavailable answers 503 without carrying the request out.
	unavailable
	// staleEmptyList answers a package list with no package, as a replica
	// that has not seen the latest write would.
	staleEmptyList
)

// scriptedAPI is an in-process emulator whose next requests of an action can
// be given faults.
type scriptedAPI struct {
	t      *testing.T
	emu    *emulator.Server
	server *httptest.Server
	client *mpaas.Client

	mu     sync.Mutex
	script map[string][]fault
}

func newScriptedAPI(t *testing.T) *scriptedAPI {
	t.Helper()
	return newScriptedAPIWith(t, emulator.Quirks{}, nil)
}

// newScriptedAPIWith is newScriptedAPI with emulator quirks and, when
// sleep is not nil, the client's Config.Sleep.
func newScriptedAPIWith(t *testing.T, quirks emulator.Quirks, sleep func(context.Context, time.Duration) error) *scriptedAPI {
	t.Helper()
	emu, err := emulator.New(emulator.Options{
		DataDir:     t.TempDir(),
		Credentials: []emulator.Credential{{AccessKeyID: emuKeyID, AccessKeySecret: emuSecret}},
		Quirks:      quirks,
	})
	if err != nil {
		t.Fatal(err)
	}
	api := &scriptedAPI{t: t, emu: emu, script: map[string][]fault{}}
	api.server = httptest.NewServer(http.HandlerFunc(api.serve))
	t.Cleanup(func() {
		api.server.Close()
		_ = emu.Close()
	})
	api.client, err = mpaas.New(mpaas.Config{
		Endpoint: api.server.URL, AccessKeyID: emuKeyID, AccessKeySecret: emuSecret,
		AppID: "ONEX570DA89211721", WorkspaceID: "default", TenantID: "TNTABCDE", Sleep: sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// then gives the next requests of action these faults, in order.
func (a *scriptedAPI) then(action string, faults ...fault) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.script[action] = append(a.script[action], faults...)
}

func (a *scriptedAPI) next(action string) fault {
	a.mu.Lock()
	defer a.mu.Unlock()
	faults := a.script[action]
	if len(faults) == 0 {
		return 0
	}
	a.script[action] = faults[1:]
	return faults[0]
}

func (a *scriptedAPI) serve(w http.ResponseWriter, r *http.Request) {
	switch a.next(r.Header.Get("x-acs-action")) {
	case lostAnswer:
		a.emu.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			a.t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
	case unavailable:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"RequestId":"R-503","Code":"ServiceUnavailable","Message":"try later"}`)
	case staleEmptyList:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"RequestId":"R-stale","ResultCode":"OK","ListMcubeNebulaResourceResult":`+
			`{"Success":true,"HasMore":false,"NebulaResourceInfo":[]}}`)
	default:
		a.emu.ServeHTTP(w, r)
	}
}

// calls is how many requests of action the emulator carried out.
func (a *scriptedAPI) calls(action string) int64 { return a.emu.Stats()[action] }

// zipOf writes a package zip for the test H5App (appID) whose index.html
// says body and returns its path and size.
func zipOf(t *testing.T, body string) (string, int64) {
	t.Helper()
	h5AppID := appID
	path := filepath.Join(t.TempDir(), h5AppID+".zip")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	writer := zip.NewWriter(file)
	entry, err := writer.CreateHeader(&zip.FileHeader{Name: h5AppID + "/www/index.html", Method: zip.Deflate})
	if err == nil {
		_, err = io.WriteString(entry, "<html>"+body+"</html>")
	}
	if err == nil {
		err = writer.Close()
	}
	if closeErr := file.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, info.Size()
}

var androidSettings = mpaas.PackageSettings{
	ResourceType: mpaas.ResourceTypeNormal, Targets: mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1.0"}},
	MainURL: "/www/index.html", DownloadPolicy: mpaas.DownloadPolicyWifiOnly, InstallPolicy: mpaas.InstallPolicyOnOpen,
}

// packageInput uploads a zip saying body and returns the input that
// registers it at version ("" for the next one).
func (a *scriptedAPI) packageInput(version, body string) mpaas.CreatePackageInput {
	a.t.Helper()
	path, size := zipOf(a.t, body)
	fileURL, err := a.client.UploadFile(context.Background(), filepath.Base(path), size, func() (io.ReadCloser, error) { return os.Open(path) })
	if err != nil {
		a.t.Fatal(err)
	}
	return mpaas.CreatePackageInput{H5AppID: appID, Version: version, PackageSettings: androidSettings, FileURL: fileURL,
		Content: mpaas.FileContent(path, size)}
}

func (a *scriptedAPI) mustCreateApp() {
	a.t.Helper()
	if err := a.client.CreateApp(context.Background(), appID, "app "+appID); err != nil {
		a.t.Fatal(err)
	}
}

func (a *scriptedAPI) versions() map[string]int64 {
	a.t.Helper()
	packages, err := a.client.ListPackages(context.Background(), appID)
	if err != nil {
		a.t.Fatal(err)
	}
	out := map[string]int64{}
	for _, pkg := range packages {
		out[pkg.Version] = pkg.ID
	}
	return out
}

func TestAdoptableNeedsSameContentAndSettings(t *testing.T) {
	const md5 = "0123456789abcdef0123456789abcdef"
	known := func(size int64, md5 string) *mpaas.Content {
		return mpaas.NewContent(size, func() (int64, string, error) { return size, md5, nil })
	}
	settings := mpaas.PackageSettings{ResourceType: mpaas.ResourceTypeNormal, Targets: mpaas.Targets{Android: &mpaas.VersionRange{Min: "1.0"}}}
	packages := []mpaas.Package{
		{ID: 1, Version: "0.0.0.9", PackageSettings: settings, FileSize: 10, MD5: md5},
		{ID: 2, Version: "0.0.0.10", PackageSettings: settings, FileSize: 10, MD5: md5},
	}
	if got := mpaas.Adoptable(packages, "", settings, known(10, md5)); got == nil || got.ID != 2 {
		t.Fatalf("the highest identical version must be adopted, got %+v", got)
	}
	if got := mpaas.Adoptable(packages, "0.0.0.9", settings, known(10, md5)); got == nil || got.ID != 1 {
		t.Fatalf("the pinned identical version must be adopted, got %+v", got)
	}
	other := settings
	other.MainURL = "/www/index.html"
	if mpaas.Adoptable(packages, "", other, known(10, md5)) != nil {
		t.Fatal("different settings must not be adopted")
	}
	if mpaas.Adoptable(packages, "", settings, known(10, "ffffffffffffffffffffffffffffffff")) != nil {
		t.Fatal("different content must not be adopted")
	}
	if mpaas.Adoptable(packages, "", settings, known(11, md5)) != nil {
		t.Fatal("different content must not be adopted")
	}
	unreadable := packages[1]
	unreadable.DecodeError = errors.New("unknown platform")
	if mpaas.Adoptable([]mpaas.Package{unreadable}, "", settings, known(10, md5)) != nil {
		t.Fatal("a package whose settings could not be read must not be adopted")
	}
}

// An apply retried after the package was registered but not recorded gets
// the registered package back instead of a duplicate version.
func TestCreatePackageAdoptsIdenticalUnrecordedPackage(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	in := api.packageInput("", "first")
	first, adopted, err := api.client.CreatePackage(ctx, in)
	if err != nil || adopted || first.Version != "0.0.0.1" {
		t.Fatalf("first create: %+v adopted=%v, %v", first, adopted, err)
	}
	for _, version := range []string{"", "0.0.0.1"} {
		in.Version = version
		again, adopted, err := api.client.CreatePackage(ctx, in)
		if err != nil || !adopted || again.ID != first.ID {
			t.Fatalf("version %q: %+v adopted=%v, %v; want package %d adopted", version, again, adopted, err, first.ID)
		}
	}
	in.Version = ""
	in.MainURL = ""
	changed, adopted, err := api.client.CreatePackage(ctx, in)
	if err != nil || adopted || changed.Version != "0.0.0.2" {
		t.Fatalf("other settings: %+v adopted=%v, %v; want a new version 0.0.0.2", changed, adopted, err)
	}
	if n := api.calls(mpaas.ActionCreateNebulaResource); n != 2 {
		t.Fatalf("%d creates, want 2", n)
	}
}

// Packages created at the same time in one H5App get distinct versions.
func TestCreatePackageAssignsDistinctVersionsConcurrently(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	const n = 6
	inputs := make([]mpaas.CreatePackageInput, n)
	for i := range inputs {
		inputs[i] = api.packageInput("", fmt.Sprintf("content %d", i))
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = api.client.CreatePackage(context.Background(), inputs[i])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	versions := api.versions()
	for i := 1; i <= n; i++ {
		if _, ok := versions[fmt.Sprintf("0.0.0.%d", i)]; !ok {
			t.Fatalf("versions %v, want 0.0.0.1 to 0.0.0.%d", versions, n)
		}
	}
}

// A create whose answer is lost went through: the lookup finds it, and it is
// not sent again.
func TestCreatePackageAmbiguousCreateFoundByLookup(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	in := api.packageInput("", "lost answer")
	api.then(mpaas.ActionCreateNebulaResource, lostAnswer)
	pkg, adopted, err := api.client.CreatePackage(context.Background(), in)
	if err != nil || adopted || pkg.Version != "0.0.0.1" || pkg.ID == 0 {
		t.Fatalf("CreatePackage = %+v adopted=%v, %v", pkg, adopted, err)
	}
	if n := api.calls(mpaas.ActionCreateNebulaResource); n != 1 {
		t.Fatalf("%d creates, want 1 (no resend after the lookup found the package)", n)
	}
	if versions := api.versions(); len(versions) != 1 || versions["0.0.0.1"] != pkg.ID {
		t.Fatalf("the H5App holds %v", versions)
	}
}

// When the lookup after a lost answer reads a stale list, the create is
// sent again and refused (the version exists); CreatePackage then looks once
// more and returns the package the first create made.
func TestCreatePackageLooksAgainAfterARefusedResend(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	in := api.packageInput("1.0.0.1", "resent")
	api.then(mpaas.ActionCreateNebulaResource, lostAnswer)
	api.then(mpaas.ActionListNebulaResources, 0, staleEmptyList) // the first list picks the version, the lookup is stale
	pkg, _, err := api.client.CreatePackage(context.Background(), in)
	if err != nil || pkg.Version != "1.0.0.1" {
		t.Fatalf("CreatePackage = %+v, %v", pkg, err)
	}
	if n := api.calls(mpaas.ActionCreateNebulaResource); n != 2 {
		t.Fatalf("%d creates, want 2 (the resend, refused)", n)
	}
	if versions := api.versions(); len(versions) != 1 || versions["1.0.0.1"] != pkg.ID {
		t.Fatalf("the H5App holds %v", versions)
	}
}

// A pinned version that exists with other content is refused by the
// service; nothing is adopted or added.
func TestCreatePackagePinnedVersionCollision(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	existing, _, err := api.client.CreatePackage(ctx, api.packageInput("1.0.0.1", "existing"))
	if err != nil {
		t.Fatal(err)
	}
	pkg, adopted, err := api.client.CreatePackage(ctx, api.packageInput("1.0.0.1", "other content"))
	if err == nil || adopted || pkg.ID != 0 || mpaas.IsAmbiguous(err) || mpaas.ErrorCode(err) == "" {
		t.Fatalf("CreatePackage = %+v adopted=%v, %v; want the service's refusal", pkg, adopted, err)
	}
	if versions := api.versions(); len(versions) != 1 || versions["1.0.0.1"] != existing.ID {
		t.Fatalf("the H5App holds %v", versions)
	}
}

// Several packages of one new H5App ensure it at once: it is created once.
func TestEnsureAppCreatesOnce(t *testing.T) {
	api := newScriptedAPI(t)
	const n = 5
	created := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			created[i], errs[i] = api.client.EnsureApp(context.Background(), appID, "shared")
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	creators := 0
	for _, c := range created {
		if c {
			creators++
		}
	}
	if creators != 1 || api.calls(mpaas.ActionCreateNebulaApp) != 1 {
		t.Fatalf("%d callers created the app with %d creates, want 1 and 1", creators, api.calls(mpaas.ActionCreateNebulaApp))
	}
	app, err := api.client.FindApp(context.Background(), appID)
	if err != nil || app == nil || app.Name != "shared" {
		t.Fatalf("FindApp = %+v, %v", app, err)
	}
}

// After an ambiguous failure EnsureApp looks the app up instead of sending
// the create again.
func TestEnsureAppAfterLostAnswerLooksUp(t *testing.T) {
	api := newScriptedAPI(t)
	api.then(mpaas.ActionCreateNebulaApp, lostAnswer)
	created, err := api.client.EnsureApp(context.Background(), appID, "lost")
	if err != nil || !created {
		t.Fatalf("EnsureApp = %v, %v", created, err)
	}
	if n := api.calls(mpaas.ActionCreateNebulaApp); n != 1 {
		t.Fatalf("%d creates, want 1", n)
	}
	created, err = api.client.EnsureApp(context.Background(), appID, "lost")
	if err != nil || created || api.calls(mpaas.ActionCreateNebulaApp) != 1 {
		t.Fatalf("an existing app: created=%v, %v, %d creates", created, err, api.calls(mpaas.ActionCreateNebulaApp))
	}
}

func (a *scriptedAPI) releasablePackage() int64 {
	a.t.Helper()
	a.mustCreateApp()
	pkg, _, err := a.client.CreatePackage(context.Background(), a.packageInput("", "released"))
	if err != nil {
		a.t.Fatal(err)
	}
	return pkg.ID
}

// windowRelease is a time-window release of the package, always with the
// same memo.
func windowRelease(packageID int64) mpaas.CreateReleaseInput {
	return mpaas.CreateReleaseInput{PackageID: packageID, Memo: "canary", Type: mpaas.ReleaseTypeGrayscale,
		Window: &mpaas.TimeWindow{End: time.Now().Add(48 * time.Hour), MaxUsers: 100}}
}

// After a lost answer the new task is found among the package's tasks,
// not the older one with the same memo.
func TestCreateReleaseAmbiguousFindsTheNewTask(t *testing.T) {
	api := newScriptedAPI(t)
	pkg := api.releasablePackage()
	ctx := context.Background()
	older, err := api.client.CreateRelease(ctx, windowRelease(pkg))
	if err != nil {
		t.Fatal(err)
	}
	api.then(mpaas.ActionCreateNebulaTask, lostAnswer)
	created, err := api.client.CreateRelease(ctx, windowRelease(pkg))
	if err != nil || created.ID == 0 || created.ID == older.ID || created.Status != mpaas.ReleaseStatusActive {
		t.Fatalf("CreateRelease = %+v, %v; want the new task, not %d", created, err, older.ID)
	}
	releases, err := api.client.ListReleases(ctx, pkg)
	if err != nil || len(releases) != 2 || api.calls(mpaas.ActionCreateNebulaTask) != 2 {
		t.Fatalf("the package has %d tasks (%v) after %d creates, want 2 and 2", len(releases), err, api.calls(mpaas.ActionCreateNebulaTask))
	}
}

// The list of the tasks that existed before is only a fallback: when it
// cannot be read the task is still created, but a lost answer is then
// returned as an error, never settled by taking a task with the same memo
// (it could be the older one), and the create is not sent again.
func TestCreateReleaseWithoutTheListBeforeAdoptsNothing(t *testing.T) {
	api := newScriptedAPI(t)
	pkg := api.releasablePackage()
	ctx := context.Background()
	older, err := api.client.CreateRelease(ctx, windowRelease(pkg))
	if err != nil {
		t.Fatal(err)
	}
	api.then(mpaas.ActionListNebulaTasks, unavailable, unavailable, unavailable, unavailable, unavailable, unavailable)
	api.then(mpaas.ActionCreateNebulaTask, lostAnswer)
	created, err := api.client.CreateRelease(ctx, windowRelease(pkg))
	if err == nil || !mpaas.IsAmbiguous(err) || created.ID != 0 {
		t.Fatalf("CreateRelease = %+v, %v; want the ambiguous error and no task (the older one is %d)", created, err, older.ID)
	}
	if n := api.calls(mpaas.ActionCreateNebulaTask); n != 2 {
		t.Fatalf("%d creates, want 2 (the older task's and the one whose answer was lost, not resent)", n)
	}
	api.script = map[string][]fault{}
	listed, err := api.client.CreateRelease(ctx, mpaas.CreateReleaseInput{PackageID: pkg, Memo: "with the list unavailable",
		Type: mpaas.ReleaseTypeOfficial})
	if err != nil || listed.ID == 0 {
		t.Fatalf("CreateRelease = %+v, %v", listed, err)
	}
}

// A create that answered with its ID is read back by that ID
// (GetMcubeNebulaResource): no list after the create, and the uploaded zip
// is not read again (no MD5 pass); the MD5 is then left to a later list.
func TestCreatePackageReadsBackByIDWithoutListing(t *testing.T) {
	a := newScriptedAPI(t)
	a.mustCreateApp()
	in := a.packageInput("", "by id")
	measured := 0
	in.Content = mpaas.NewContent(-1, func() (int64, string, error) {
		measured++
		return 0, "", errors.New("not measured on this path")
	})
	lists := a.calls(mpaas.ActionListNebulaResources)
	pkg, adopted, err := a.client.CreatePackage(context.Background(), in)
	if err != nil || adopted || pkg.ID == 0 || pkg.Version != "0.0.0.1" || pkg.DownloadURL == "" || pkg.CreatedAt == "" || pkg.MD5 != "" {
		t.Fatalf("CreatePackage = %+v, adopted %v, %v; want the package as GetMcubeNebulaResource reports it", pkg, adopted, err)
	}
	if measured != 0 {
		t.Fatalf("the uploaded zip was measured %d times after a create that answered", measured)
	}
	if n := a.calls(mpaas.ActionListNebulaResources) - lists; n != 1 {
		t.Fatalf("%d package lists, want 1 (before the create, to pick the version; none after)", n)
	}
	if n := a.calls(mpaas.ActionGetNebulaResource); n != 1 {
		t.Fatalf("%d GetMcubeNebulaResource, want 1", n)
	}
}

// waits records the client's waits instead of sleeping.
type waits struct {
	mu    sync.Mutex
	total time.Duration
	n     int
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.total += d
	w.n++
	return ctx.Err()
}

// A package the service lists only after a while: the create still
// succeeds. On the normal path nothing is listed after the create (it is
// read by its ID); after a lost answer, the lookups that miss it lead to a
// resend that is refused (the version exists), and the list is then read
// again with a wait until it shows the package, which is returned, not
// duplicated.
func TestCreatePackageSurvivesALaggingList(t *testing.T) {
	const hidden = 5 // list answers that leave a new package out
	var waited waits
	api := newScriptedAPIWith(t, emulator.Quirks{UnlistedCalls: hidden}, waited.sleep)
	api.mustCreateApp()
	ctx := context.Background()

	lists := api.calls(mpaas.ActionListNebulaResources)
	first, _, err := api.client.CreatePackage(ctx, api.packageInput("", "first"))
	if err != nil || first.Version != "0.0.0.1" {
		t.Fatalf("CreatePackage = %+v, %v", first, err)
	}
	if n := api.calls(mpaas.ActionListNebulaResources) - lists; n != 1 || waited.n != 0 {
		t.Fatalf("%d lists and %d waits for a create that answered, want 1 (before it) and 0", n, waited.n)
	}
	for range hidden { // let the first package be listed, so the next version is 0.0.0.2
		api.versions()
	}

	api.then(mpaas.ActionCreateNebulaResource, lostAnswer)
	second, _, err := api.client.CreatePackage(ctx, api.packageInput("", "second"))
	if err != nil || second.Version != "0.0.0.2" || second.ID == 0 {
		t.Fatalf("CreatePackage after a lost answer = %+v, %v", second, err)
	}
	if n := api.calls(mpaas.ActionCreateNebulaResource); n != 3 {
		t.Fatalf("%d creates, want 3 (the first package, the lost one, its refused resend)", n)
	}
	if waited.n == 0 || waited.total > 30*time.Second {
		t.Fatalf("waited %d times (%s in all), want a bounded wait for the list", waited.n, waited.total)
	}
	if versions := api.versions(); len(versions) != 2 || versions["0.0.0.2"] != second.ID {
		t.Fatalf("the H5App holds %v, want 0.0.0.1 and 0.0.0.2 once each", versions)
	}
}

// A package that is never listed: after the bounded wait the create fails
// with an error that names it, instead of waiting forever or registering
// it again.
func TestCreatePackageGivesUpOnAPackageNeverListed(t *testing.T) {
	var waited waits
	api := newScriptedAPIWith(t, emulator.Quirks{UnlistedFor: 24 * time.Hour}, waited.sleep)
	api.mustCreateApp()
	api.then(mpaas.ActionCreateNebulaResource, lostAnswer)
	_, _, err := api.client.CreatePackage(context.Background(), api.packageInput("1.0.0.1", "never listed"))
	if err == nil || mpaas.ErrorCode(err) != mpaas.CodeVersionExists {
		t.Fatalf("CreatePackage = %v, want the refusal of the resend", err)
	}
	if waited.total < 30*time.Second || waited.total > 40*time.Second {
		t.Fatalf("waited %s in all, want the bound (30s) and little more", waited.total)
	}
}

// Versions only rise: with Above set (the version the package last had, in a
// re-created H5App), the assigned version is above it although the H5App is
// empty, and an identical package at or below it is not adopted.
func TestCreatePackageAboveKeepsVersionsRising(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	in := api.packageInput("", "first")
	in.Above = "0.0.0.7"
	pkg, adopted, err := api.client.CreatePackage(ctx, in)
	if err != nil || adopted || pkg.Version != "0.0.0.8" {
		t.Fatalf("create above 0.0.0.7 in an empty H5App: %+v adopted=%v, %v; want 0.0.0.8", pkg, adopted, err)
	}
	in.Above = "0.0.0.8"
	again, adopted, err := api.client.CreatePackage(ctx, in)
	if err != nil || adopted || again.Version != "0.0.0.9" {
		t.Fatalf("identical package at the floor: %+v adopted=%v, %v; want a new version 0.0.0.9, not adopted", again, adopted, err)
	}
	in.Above = "0.0.0.1"
	adoptedPkg, adopted, err := api.client.CreatePackage(ctx, in)
	if err != nil || !adopted || adoptedPkg.Version != "0.0.0.9" {
		t.Fatalf("identical package above the floor: %+v adopted=%v, %v; want 0.0.0.9 adopted", adoptedPkg, adopted, err)
	}
}

// FileSize may be reported in bytes or in KB (inferred.go,
// ReportedSizeMatches): a package is adopted when either reading fits and
// the MD5 is the same; the MD5 decides, alone when no size is reported (-1).
func TestAdoptionTakesFileSizeInBytesOrKB(t *testing.T) {
	const md5, size = "0123456789abcdef0123456789abcdef", 2500 // 2.44 KB
	settings := mpaas.PackageSettings{ResourceType: mpaas.ResourceTypeNormal, Targets: mpaas.Targets{Android: &mpaas.VersionRange{Min: "1.0"}}}
	content := func() *mpaas.Content {
		return mpaas.NewContent(size, func() (int64, string, error) { return size, md5, nil })
	}
	for reported, adopted := range map[int64]bool{2500: true, 2: true, 3: true, 4: false, 2501: false, 0: false, -1: true, 2560: false} {
		pkg := mpaas.Package{ID: 1, Version: "0.0.0.1", PackageSettings: settings, FileSize: reported, MD5: md5}
		if got := mpaas.Adoptable([]mpaas.Package{pkg}, "", settings, content()) != nil; got != adopted {
			t.Errorf("FileSize %d for a %d-byte zip: adopted %v, want %v", reported, size, got, adopted)
		}
		pkg.MD5 = "ffffffffffffffffffffffffffffffff"
		if mpaas.Adoptable([]mpaas.Package{pkg}, "", settings, content()) != nil {
			t.Errorf("FileSize %d with another MD5 was adopted", reported)
		}
	}
}

func TestReportedSizeMatches(t *testing.T) {
	for _, c := range []struct {
		reported, size int64
		want           bool
	}{
		{1024, 1024, true}, {1, 1024, true}, {2, 1024, false},
		{0, 100, true}, {1, 100, true}, // under 1 KB: rounded down or up
		{1, 1536, true}, {2, 1536, true}, {3, 1536, false}, // 1.5 KB
		{529, 540_000, false}, {527, 540_000, true}, {528, 540_000, true},
		{-1, 10, false}, {10, -1, false},
	} {
		if got := mpaas.ReportedSizeMatches(c.reported, c.size); got != c.want {
			t.Errorf("ReportedSizeMatches(%d, %d) = %v, want %v", c.reported, c.size, got, c.want)
		}
	}
}

// An H5App the caller's listing did not show is created without a search
// first; the packages of one new app then ensure it with no call at all.
func TestEnsureUnlistedAppSendsOnlyTheCreate(t *testing.T) {
	a := newScriptedAPI(t)
	created, err := a.client.EnsureUnlistedApp(context.Background(), appID, "new")
	if err != nil || !created {
		t.Fatalf("EnsureUnlistedApp(new) = %v, %v", created, err)
	}
	if lists, creates := a.calls(mpaas.ActionListNebulaApps), a.calls(mpaas.ActionCreateNebulaApp); lists != 0 || creates != 1 {
		t.Fatalf("%d app lists and %d creates, want 0 and 1", lists, creates)
	}
	for _, ensure := range []func(context.Context, string, string) (bool, error){a.client.EnsureUnlistedApp, a.client.EnsureApp} {
		if created, err := ensure(context.Background(), appID, "new"); err != nil || created {
			t.Fatalf("ensuring it again = %v, %v; want false, nil", created, err)
		}
	}
	if lists, creates := a.calls(mpaas.ActionListNebulaApps), a.calls(mpaas.ActionCreateNebulaApp); lists != 0 || creates != 1 {
		t.Fatalf("after ensuring it again: %d app lists and %d creates, want 0 and 1", lists, creates)
	}
}

// An H5App another writer created after the caller's listing is not missed:
// the service refuses the create, and a lookup confirms the app.
func TestEnsureUnlistedAppCreatedElsewhere(t *testing.T) {
	a := newScriptedAPI(t)
	if err := separateClient(t, a.server.URL, nil).CreateApp(context.Background(), appID, "theirs"); err != nil {
		t.Fatal(err)
	}
	created, err := a.client.EnsureUnlistedApp(context.Background(), appID, "mine")
	if err != nil || created {
		t.Fatalf("EnsureUnlistedApp(created elsewhere) = %v, %v; want false, nil", created, err)
	}
	app, err := a.client.FindApp(context.Background(), appID)
	if err != nil || app == nil || app.Name != "theirs" {
		t.Fatalf("FindApp = %+v, %v; want the other writer's app, unchanged", app, err)
	}
}

// With the caller's listing (Listed), CreatePackage lists nothing: it
// assigns from that listing and this client's registrations since, and a
// version another writer took meanwhile is refused and retried.
func TestCreatePackageFromTheCallersListing(t *testing.T) {
	var slept waits
	a := newScriptedAPIWith(t, emulator.Quirks{}, slept.sleep)
	a.mustCreateApp()
	lists := a.calls(mpaas.ActionListNebulaResources)
	register := func(body string) mpaas.Package {
		t.Helper()
		in := a.packageInput("", body)
		in.Listed = true // the caller's listing, taken before any package: empty
		pkg, adopted, err := a.client.CreatePackage(context.Background(), in)
		if err != nil || adopted {
			t.Fatalf("CreatePackage(%s) = %+v, adopted %v, %v", body, pkg, adopted, err)
		}
		return pkg
	}
	if first, second := register("first"), register("second"); first.Version != "0.0.0.1" || second.Version != "0.0.0.2" {
		t.Fatalf("versions %s and %s from one stale listing, want 0.0.0.1 and 0.0.0.2", first.Version, second.Version)
	}
	if n := a.calls(mpaas.ActionListNebulaResources) - lists; n != 0 {
		t.Fatalf("%d package lists with the caller's listing, want 0", n)
	}
	other := separateClient(t, a.server.URL, nil)
	if _, _, err := other.CreatePackage(context.Background(), uploadedInput(t, other, "theirs")); err != nil {
		t.Fatal(err)
	}
	if third := register("third"); third.Version != "0.0.0.4" {
		t.Fatalf("after another writer took 0.0.0.3: version %s, want 0.0.0.4", third.Version)
	}
	if stored := a.versions(); len(stored) != 4 {
		t.Fatalf("the H5App holds %v, want 4 versions", stored)
	}
}
