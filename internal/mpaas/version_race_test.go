package mpaas_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Pipelines on separate machines do not share CreatePackage's per-H5App
// lock: each is a separate client. These tests hold the first creates at a
// barrier until all have arrived, so every writer has listed the H5App
// before any package is registered and all pick the same version.

// createBarrier passes requests to next, holding the first n creates of a
// package until n have arrived (or a few seconds passed).
func createBarrier(next http.Handler, n int) http.Handler {
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-acs-action") == mpaas.ActionCreateNebulaResource {
			mu.Lock()
			arrived++
			held := arrived <= n
			if arrived == n {
				close(all)
			}
			mu.Unlock()
			if held {
				select {
				case <-all:
				case <-time.After(10 * time.Second):
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// separateClient is a client of its own (its own per-H5App locks) for the
// server at url.
func separateClient(t *testing.T, url string, sleep func(context.Context, time.Duration) error) *mpaas.Client {
	t.Helper()
	client, err := mpaas.New(mpaas.Config{
		Endpoint: url, AccessKeyID: emuKeyID, AccessKeySecret: emuSecret,
		AppID: "ONEX570DA89211721", WorkspaceID: "default", TenantID: "TNTABCDE", Sleep: sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// uploadedInput uploads a zip saying body through client and returns the
// input that registers it at the next version.
func uploadedInput(t *testing.T, client *mpaas.Client, body string) mpaas.CreatePackageInput {
	t.Helper()
	path, size := zipOf(t, body)
	fileURL, err := client.UploadFile(context.Background(), filepath.Base(path), size, func() (io.ReadCloser, error) { return os.Open(path) })
	if err != nil {
		t.Fatal(err)
	}
	return mpaas.CreatePackageInput{H5AppID: appID, PackageSettings: androidSettings, FileURL: fileURL, Content: mpaas.FileContent(path, size)}
}

func TestCreatePackageSeparateClientsTakeTheNextFreeVersion(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	const writers = 8
	server := httptest.NewServer(createBarrier(api.emu, writers))
	t.Cleanup(server.Close)
	clients := make([]*mpaas.Client, writers)
	inputs := make([]mpaas.CreatePackageInput, writers)
	for i := range inputs {
		clients[i] = separateClient(t, server.URL, nil)
		inputs[i] = uploadedInput(t, clients[i], fmt.Sprintf("pipeline %d", i))
	}
	versions := make([]string, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pkg, adopted, err := clients[i].CreatePackage(context.Background(), inputs[i])
			if adopted {
				err = fmt.Errorf("writer %d adopted %s", i, pkg.Version)
			}
			versions[i], errs[i] = pkg.Version, err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	stored := api.versions()
	if len(stored) != writers {
		t.Fatalf("the H5App holds %d packages %v, want %d", len(stored), stored, writers)
	}
	for i, version := range versions {
		if _, ok := stored[version]; !ok {
			t.Errorf("writer %d got version %q, which the H5App does not hold (%v)", i, version, stored)
		}
	}
	for i := 1; i <= writers; i++ {
		if _, ok := stored[fmt.Sprintf("0.0.0.%d", i)]; !ok {
			t.Fatalf("the H5App holds %v, want 0.0.0.1 to 0.0.0.%d", stored, writers)
		}
	}
	// All eight sent 0.0.0.1 first: seven were refused and sent again.
	if creates := api.calls(mpaas.ActionCreateNebulaResource); creates < 2*writers-1 {
		t.Fatalf("%d creates, want at least %d (every writer but one refused at least once)", creates, 2*writers-1)
	}
}

// bizRefusal answers a create with the emulator's business error shape.
func bizRefusal(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"RequestId":"R-refused","ResultCode":"OK","CreateMcubeNebulaResourceReslult":`+
		`{"Success":false,"ErrorCode":"`+code+`","ResultMsg":"refused by the test","RequestId":"R-refused"}}`)
}

// A service that keeps saying the version exists is asked at most ten
// times, with a growing, jittered wait between.
func TestCreatePackageGivesUpAfterTenTakenVersions(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	var creates atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-acs-action") == mpaas.ActionCreateNebulaResource {
			creates.Add(1)
			bizRefusal(w, mpaas.CodeVersionExists)
			return
		}
		api.emu.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	var waits []time.Duration
	client := separateClient(t, server.URL, func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	})
	_, _, err := client.CreatePackage(context.Background(), uploadedInput(t, client, "never"))
	if err == nil || mpaas.ErrorCode(err) != mpaas.CodeVersionExists || !strings.Contains(err.Error(), "10 automatically assigned versions") ||
		!strings.Contains(err.Error(), "0.0.0.10") {
		t.Fatalf("CreatePackage error %v, want the tenth refusal, naming version 0.0.0.10", err)
	}
	if n := creates.Load(); n != 10 {
		t.Fatalf("%d creates, want 10", n)
	}
	if len(waits) != 9 {
		t.Fatalf("%d waits %v, want 9 (none after the last attempt)", len(waits), waits)
	}
	for i, d := range waits {
		if ceiling := min(50*time.Millisecond<<i, 2*time.Second); d <= 0 || d > ceiling {
			t.Errorf("wait %d is %v, want within (0, %v]", i+1, d, ceiling)
		}
	}
	if stored := api.versions(); len(stored) != 0 {
		t.Fatalf("the H5App holds %v, want nothing", stored)
	}
}

// A refusal that is not about the version is returned at once.
func TestCreatePackageOtherRefusalsAreNotRetried(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	if _, _, err := api.client.CreatePackage(ctx, api.packageInput("", "normal first")); err != nil {
		t.Fatal(err)
	}
	global := api.packageInput("", "global second")
	global.ResourceType = mpaas.ResourceTypeGlobal // R6: the first package made the H5App normal
	_, _, err := separateClient(t, api.server.URL, nil).CreatePackage(ctx, global)
	if err == nil || mpaas.ErrorCode(err) == mpaas.CodeVersionExists {
		t.Fatalf("CreatePackage error %v, want the R6 refusal", err)
	}
	if n := api.calls(mpaas.ActionCreateNebulaResource); n != 2 {
		t.Fatalf("%d creates, want 2 (the refused one not sent again)", n)
	}
}

// A pinned version another writer took stays an error that names it.
func TestCreatePackagePinnedVersionTakenByAnotherWriter(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	first := api.packageInput("2.0.0.1", "first writer")
	second := api.packageInput("2.0.0.1", "second writer")
	if _, _, err := api.client.CreatePackage(ctx, first); err != nil {
		t.Fatal(err)
	}
	_, _, err := separateClient(t, api.server.URL, nil).CreatePackage(ctx, second)
	var exists *mpaas.VersionExistsError
	if !errors.As(err, &exists) || exists.Version != "2.0.0.1" || exists.H5AppID != appID || !strings.Contains(err.Error(), "version 2.0.0.1") {
		t.Fatalf("CreatePackage error %v, want a VersionExistsError naming 2.0.0.1", err)
	}
	if stored := api.versions(); len(stored) != 1 {
		t.Fatalf("the H5App holds %v, want only the first writer's package", stored)
	}
	if n := api.calls(mpaas.ActionCreateNebulaResource); n != 2 {
		t.Fatalf("%d creates, want 2 (the pinned one not sent again)", n)
	}
}
