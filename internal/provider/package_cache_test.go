package provider

import (
	"context"
	"sync"
	"testing"
	"time"
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
