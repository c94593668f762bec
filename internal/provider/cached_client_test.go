package provider

import (
	"context"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func TestPackageListsShareOneCallPerApp(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("12345678", "cached")
	env.createPackageOutOfBand("12345678", "1.0.0.1", "normal")
	lists := newPackageLists()
	clock := time.Now()
	lists.now = func() time.Time { return clock }
	calls := func() int64 { return env.emulator.Stats()["ListMcubeNebulaResources"] }
	before := calls()

	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			items, err := lists.get(context.Background(), env.client, "12345678")
			if err != nil || len(items) != 1 {
				t.Errorf("get = %d items, %v", len(items), err)
			}
		}()
	}
	wg.Wait()
	if got := calls() - before; got != 1 {
		t.Fatalf("20 concurrent reads made %d list calls, want 1", got)
	}

	lists.invalidate("12345678")
	if _, err := lists.get(context.Background(), env.client, "12345678"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(packageListTTL + time.Second)
	if _, err := lists.get(context.Background(), env.client, "12345678"); err != nil {
		t.Fatal(err)
	}
	if got := calls() - before; got != 3 {
		t.Fatalf("after an invalidation and an expiry: %d list calls, want 3", got)
	}

	if _, err := lists.get(context.Background(), env.client, "99999999"); err == nil {
		t.Fatal("a missing app must be an error")
	}
	if _, ok := lists.entries["99999999"]; ok {
		t.Fatal("errors must not be kept")
	}
}

// Looking up many H5Apps costs one listing; the process's own creates and
// deletes are seen at once, without listing again.
func TestAppCatalogueListsOnceAndSeesOwnWrites(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	for _, id := range []string{"11111111", "22222222", "33333333"} {
		env.createAppOutOfBand(id, "app "+id)
	}
	lists := func() int64 { return env.emulator.Stats()[mpaas.ActionListNebulaApps] }
	catalogue := newAppCatalogue()
	before := lists()
	for _, id := range []string{"11111111", "22222222", "33333333", "44444444", "11111111"} {
		app, err := catalogue.find(ctx, env.client, id)
		if err != nil || (app == nil) != (id == "44444444") {
			t.Fatalf("find(%s) = %+v, %v", id, app, err)
		}
	}
	if got := lists() - before; got != 1 {
		t.Fatalf("five lookups made %d listings, want 1", got)
	}
	catalogue.created(mpaas.App{H5AppID: "44444444", Name: "new"})
	catalogue.deleted("22222222")
	if app, _ := catalogue.find(ctx, env.client, "44444444"); app == nil {
		t.Fatal("an H5App this process created must be found")
	}
	if app, _ := catalogue.find(ctx, env.client, "22222222"); app != nil {
		t.Fatal("an H5App this process deleted must be gone")
	}
	if got := lists() - before; got != 1 {
		t.Fatalf("own writes made %d listings, want still 1", got)
	}
}

// The cached client's writes keep its listings true: nobody invalidates by
// hand. A registered package is in the next list (one new call), an H5App it
// created or deleted is seen at once (no new listing), and a look-up that
// must be fresh asks the service.
func TestCachedClientWritesKeepItsListingsTrue(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	env.createAppOutOfBand("11111111", "existing")
	client := newCachedClient(env.client)
	stats := func(action string) int64 { return env.emulator.Stats()[action] }

	if app, err := client.FindApp(ctx, "22222222"); err != nil || app != nil {
		t.Fatalf("FindApp(absent) = %+v, %v", app, err)
	}
	appLists := stats(mpaas.ActionListNebulaApps)
	if err := client.CreateApp(ctx, "22222222", "mine"); err != nil {
		t.Fatal(err)
	}
	if app, err := client.FindApp(ctx, "22222222"); err != nil || app == nil || app.Name != "mine" {
		t.Fatalf("FindApp(created) = %+v, %v", app, err)
	}
	if packages, err := client.ListPackages(ctx, "22222222"); err != nil || len(packages) != 0 {
		t.Fatalf("ListPackages(new) = %v, %v", packages, err)
	}

	zipPath := normalPackageZip(t, "22222222")
	info, err := os.Stat(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	fileURL, err := client.UploadFile(ctx, "22222222.zip", info.Size(), func() (io.ReadCloser, error) { return os.Open(zipPath) })
	if err != nil {
		t.Fatal(err)
	}
	packageLists := stats(mpaas.ActionListNebulaResources)
	if _, _, err := client.CreatePackage(ctx, mpaas.CreatePackageInput{H5AppID: "22222222", FileURL: fileURL,
		Content: mpaas.FileContent(zipPath, info.Size()), PackageSettings: mpaas.PackageSettings{ResourceType: mpaas.ResourceTypeNormal,
			Targets: mpaas.Targets{Android: &mpaas.VersionRange{Min: "1.0.0"}}, DownloadPolicy: mpaas.DownloadPolicyWifiOnly,
			InstallPolicy: mpaas.InstallPolicyOnOpen}}); err != nil {
		t.Fatal(err)
	}
	packages, err := client.ListPackages(ctx, "22222222")
	if err != nil || len(packages) != 1 {
		t.Fatalf("ListPackages after a create = %d packages, %v; want the new one", len(packages), err)
	}
	// One list by CreatePackage (no listing given), one for the list after it.
	if got := stats(mpaas.ActionListNebulaResources) - packageLists; got != 2 {
		t.Fatalf("%d package lists around a create, want 2", got)
	}

	if err := client.DeleteApp(ctx, "22222222"); err != nil {
		t.Fatal(err)
	}
	if app, err := client.FindApp(ctx, "22222222"); err != nil || app != nil {
		t.Fatalf("FindApp(deleted) = %+v, %v", app, err)
	}
	if got := stats(mpaas.ActionListNebulaApps) - appLists; got != 0 {
		t.Fatalf("own creates and deletes made %d H5App listings, want 0", got)
	}
	if !client.AppGone(ctx, "22222222") || client.AppGone(ctx, "11111111") {
		t.Fatal("AppGone must ask the service: the deleted H5App is gone, the other is not")
	}
}
