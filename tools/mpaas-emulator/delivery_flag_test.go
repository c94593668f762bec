package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// deliveryStatus starts the emulator with extra flags and returns the HTTP
// status of a well-formed GET /emulator/delivery.
func deliveryStatus(t *testing.T, extra ...string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lineWriter{got: make(chan string, 1)}
	done := make(chan error, 1)
	args := append([]string{"-listen", "127.0.0.1:0", "-data-dir", t.TempDir(), "-access-key-id", "a", "-access-key-secret", "b", "-quiet"}, extra...)
	go func() { done <- run(ctx, args, out) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	var base string
	select {
	case line := <-out.got:
		base = strings.TrimSpace(strings.TrimPrefix(line, "mpaas-emulator listening on "))
	case err := <-done:
		done <- err
		t.Fatalf("start: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("no listening line")
	}
	resp, err := http.Get(base + "/emulator/delivery?app_id=A&workspace_id=W&tenant_id=T&platform=android&client_version=10.1.0")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestNoDeliveryEndpointFlag(t *testing.T) {
	if status := deliveryStatus(t); status != http.StatusOK {
		t.Fatalf("by default: HTTP %d, want 200", status)
	}
	if status := deliveryStatus(t, "-no-delivery-endpoint"); status != http.StatusNotFound {
		t.Fatalf("with -no-delivery-endpoint: HTTP %d, want 404", status)
	}
}
