package mpaas_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Files whose names would make a malformed URL upload under a safe key and
// register: the emulator, which refuses malformed FileUrls as OSS would,
// accepts every FileUrl the client builds.
func TestUploadAwkwardFileNamesRegister(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	names := []string{"my package.zip", "pkg#1.zip", "what?.zip", "100%.zip", "包裹.zip", "naïve pkg.zip"}
	for i, name := range names {
		path, size := zipOf(t, name)
		fileURL, err := api.client.UploadFile(ctx, name, size, func() (io.ReadCloser, error) { return os.Open(path) })
		if err != nil {
			t.Fatalf("upload %q: %v", name, err)
		}
		parsed, err := url.Parse(fileURL)
		if err != nil || parsed.RawQuery != "" || parsed.Fragment != "" || strings.ContainsAny(fileURL, " %#?") {
			t.Fatalf("upload %q: FileUrl %q is malformed or escapes the file name (want a plain URL of a safe key)", name, fileURL)
		}
		in := mpaas.CreatePackageInput{H5AppID: appID, PackageSettings: androidSettings, FileURL: fileURL, Content: mpaas.FileContent(path, size)}
		pkg, _, err := api.client.CreatePackage(ctx, in)
		if err != nil {
			t.Fatalf("register %q (FileUrl %s): %v", name, fileURL, err)
		}
		if pkg.FileSize != size {
			t.Errorf("%q registered with %d bytes, want %d", name, pkg.FileSize, size)
		}
		if got := len(api.versions()); got != i+1 {
			t.Fatalf("after %q the H5App holds %d packages, want %d", name, got, i+1)
		}
	}
	if got := api.calls("oss:PostObject"); got != int64(len(names)) {
		t.Errorf("%d uploads, want %d", got, len(names))
	}
}

// quirkyAPI is an in-process emulator with quirks and a client of it.
func quirkyAPI(t *testing.T, quirks emulator.Quirks) (*emulator.Server, *mpaas.Client) {
	t.Helper()
	emu, url := quirkyServer(t, quirks)
	return emu, separateClient(t, url, nil)
}

// quirkyServer is an emulator with quirks, served at the returned URL.
func quirkyServer(t *testing.T, quirks emulator.Quirks) (*emulator.Server, string) {
	t.Helper()
	emu, err := emulator.New(emulator.Options{
		DataDir:     t.TempDir(),
		Credentials: []emulator.Credential{{AccessKeyID: emuKeyID, AccessKeySecret: emuSecret}},
		Quirks:      quirks,
	})
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(emu)
	t.Cleanup(func() {
		server.Close()
		_ = emu.Close()
	})
	return emu, server.URL
}

// createApps creates n H5Apps, 10000001 upwards, whose names do not
// contain their IDs.
func createApps(t *testing.T, client *mpaas.Client, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08d", 10000001+i)
		if err := client.CreateApp(context.Background(), ids[i], fmt.Sprintf("portal number %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// A service that answers no HasMore, TotalCount or PageSize still has every
// page read: the list ends on a short or empty page.
func TestListAppsWithoutPagingKeysReadsEveryPage(t *testing.T) {
	for _, n := range []int{205, 200, 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			emu, client := quirkyAPI(t, emulator.Quirks{OmitPaging: true})
			ids := createApps(t, client, n)
			apps, err := client.ListApps(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(apps) != n || apps[n-1].H5AppID != ids[n-1] {
				t.Fatalf("listed %d apps, want %d", len(apps), n)
			}
			// Full pages of 100, then the short (or empty) page that ends the
			// list; a first page is never taken as short, since the service
			// may cap the page size below the 100 asked for.
			if got, want := emu.Stats()[mpaas.ActionListNebulaApps], int64(max(n/100+1, 2)); got != want {
				t.Errorf("%d list calls, want %d", got, want)
			}
		})
	}
}

// FindApp does not depend on Keyword matching IDs: an app the keyword
// search misses is found in the full list, and an absent app is confirmed
// by it, with and without paging keys.
func TestFindAppWhenKeywordIgnoresIDs(t *testing.T) {
	for _, quirks := range []emulator.Quirks{{KeywordIgnoresIDs: true}, {KeywordIgnoresIDs: true, OmitPaging: true}} {
		t.Run(fmt.Sprintf("%+v", quirks), func(t *testing.T) {
			emu, client := quirkyAPI(t, quirks)
			ids := createApps(t, client, 130)
			ctx := context.Background()
			app, err := client.FindApp(ctx, ids[120])
			if err != nil || app == nil || app.H5AppID != ids[120] || app.Name != "portal number 120" {
				t.Fatalf("FindApp(%s) = %+v, %v", ids[120], app, err)
			}
			before := emu.Stats()[mpaas.ActionListNebulaApps]
			absent, err := client.FindApp(ctx, "87654321")
			if err != nil || absent != nil {
				t.Fatalf("FindApp(absent) = %+v, %v; want nil, nil", absent, err)
			}
			if calls := emu.Stats()[mpaas.ActionListNebulaApps] - before; calls < 2 {
				t.Errorf("absence decided after %d list calls; want the keyword search and the full list", calls)
			}
		})
	}
}

// zonedAPI is an emulator reading and writing its zone-less times in
// serviceZone at a fixed now; it returns the emulator's URL.
func zonedAPI(t *testing.T, serviceZone *time.Location, now time.Time) string {
	t.Helper()
	emu, err := emulator.New(emulator.Options{
		DataDir:     t.TempDir(),
		Credentials: []emulator.Credential{{AccessKeyID: emuKeyID, AccessKeySecret: emuSecret}},
		Now:         func() time.Time { return now }, TimeZone: serviceZone,
	})
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(emu)
	t.Cleanup(func() {
		server.Close()
		_ = emu.Close()
	})
	return server.URL
}

// zonedClient is a client of endpoint taking the service's times in zone.
func zonedClient(t *testing.T, endpoint string, zone *time.Location, now time.Time) *mpaas.Client {
	t.Helper()
	client, err := mpaas.New(mpaas.Config{
		Endpoint: endpoint, AccessKeyID: emuKeyID, AccessKeySecret: emuSecret,
		AppID: "ONEX570DA89211721", WorkspaceID: "default", TenantID: "TNTABCDE",
		Now: func() time.Time { return now }, ServiceTimeZone: zone,
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// releasedWindow creates an app, a package and a time-window release
// ending at end, and returns the release's ID.
func releasedWindow(t *testing.T, client *mpaas.Client, end time.Time) (mpaas.Package, int64) {
	t.Helper()
	ctx := context.Background()
	if err := client.CreateApp(ctx, appID, "zones"); err != nil {
		t.Fatal(err)
	}
	path, size := zipOf(t, "zones")
	fileURL, err := client.UploadFile(ctx, "zones.zip", size, func() (io.ReadCloser, error) { return os.Open(path) })
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := client.CreatePackage(ctx, mpaas.CreatePackageInput{H5AppID: appID, PackageSettings: androidSettings,
		FileURL: fileURL, Content: mpaas.FileContent(path, size)})
	if err != nil {
		t.Fatal(err)
	}
	created, err := client.CreateRelease(ctx, mpaas.CreateReleaseInput{PackageID: pkg.ID, Memo: "72 hours",
		Type: mpaas.ReleaseTypeGrayscale, Window: &mpaas.TimeWindow{End: end, MaxUsers: 10}})
	if err != nil {
		t.Fatalf("a window ending %s after now was refused: %v", end, err)
	}
	return pkg, created.ID
}

// A 72-hour window is accepted whichever zone the service reads
// GreyEndtimeData in: its "less than 7 days ahead" check does not trip when
// client and service disagree by 8 hours either way. When they agree,
// end_time and created_at read back exactly. When they disagree, the window
// the service applies is 8 hours shorter or longer and created_at is
// 8 hours off: what service_time_zone exists to set right.
func TestTimeWindowInEitherServiceZone(t *testing.T) {
	shanghai, err := mpaas.LoadServiceTimeZone("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	end := now.Add(72 * time.Hour)
	cases := []struct {
		name            string
		service, client *time.Location
		serviceWindow   time.Duration // the window as the service applies it
		createdOffset   time.Duration // created_at as the client reads it, minus the truth
	}{
		{"both UTC", time.UTC, time.UTC, 72 * time.Hour, 0},
		{"both Asia/Shanghai", shanghai, shanghai, 72 * time.Hour, 0},
		{"service Asia/Shanghai, client UTC", shanghai, time.UTC, 64 * time.Hour, 8 * time.Hour},
		{"service UTC, client Asia/Shanghai", time.UTC, shanghai, 80 * time.Hour, -8 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			endpoint := zonedAPI(t, tc.service, now)
			client := zonedClient(t, endpoint, tc.client, now)
			pkg, id := releasedWindow(t, client, end)
			release, err := client.GetRelease(context.Background(), id)
			if err != nil || release == nil || release.Window == nil {
				t.Fatalf("GetRelease = %+v, %v", release, err)
			}
			if !release.Window.End.Equal(end) {
				t.Errorf("end_time read back as %s, want %s (what was sent)", release.Window.End, end)
			}
			wantCreated := now.Add(tc.createdOffset).Format(time.RFC3339)
			if release.CreatedAt != wantCreated || pkg.CreatedAt != wantCreated {
				t.Errorf("created_at read back as %s (release) and %s (package), want %s", release.CreatedAt, pkg.CreatedAt, wantCreated)
			}
			// The service's own view of the task, read in its zone.
			asService, err := zonedClient(t, endpoint, tc.service, now).GetRelease(context.Background(), id)
			if err != nil || asService == nil || asService.Window == nil {
				t.Fatalf("GetRelease in the service's zone = %+v, %v", asService, err)
			}
			if got := asService.Window.End.Sub(now); got != tc.serviceWindow {
				t.Errorf("the service applies a %s window, want %s", got, tc.serviceWindow)
			}
		})
	}
}

// EnsureApp's check costs one keyword search whatever the size of the
// workspace; when the search misses an app that exists (a service whose
// Keyword ignores IDs), the refused create and a complete lookup confirm it.
func TestEnsureAppCostDoesNotGrowWithTheWorkspace(t *testing.T) {
	ctx := context.Background()
	emu, client := quirkyAPI(t, emulator.Quirks{})
	createApps(t, client, 250)
	before := emu.Stats()[mpaas.ActionListNebulaApps]
	created, err := client.EnsureApp(ctx, "87654321", "new")
	if err != nil || !created {
		t.Fatalf("EnsureApp(new) = %v, %v", created, err)
	}
	if calls := emu.Stats()[mpaas.ActionListNebulaApps] - before; calls != 1 {
		t.Fatalf("EnsureApp of a new app among 250 made %d list calls, want 1", calls)
	}

	// The apps are created by another writer: a client that created an app
	// itself knows it exists and asks nothing.
	quirky, url := quirkyServer(t, emulator.Quirks{KeywordIgnoresIDs: true})
	ids := createApps(t, separateClient(t, url, nil), 3)
	quirkyClient := separateClient(t, url, nil)
	creates := quirky.Stats()[mpaas.ActionCreateNebulaApp]
	created, err = quirkyClient.EnsureApp(ctx, ids[1], "again")
	if err != nil || created {
		t.Fatalf("EnsureApp(existing, missed by the search) = %v, %v; want false, nil", created, err)
	}
	if quirky.Stats()[mpaas.ActionCreateNebulaApp]-creates != 1 {
		t.Fatal("the refused create should have been sent once")
	}
}
