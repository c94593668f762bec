package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

func TestRunRefusesUnknownTimeZone(t *testing.T) {
	err := run(context.Background(), []string{"-data-dir", t.TempDir(), "-access-key-id", "a", "-access-key-secret", "b", "-time-zone", "Mars/Olympus"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-time-zone") || !strings.Contains(err.Error(), "Mars/Olympus") {
		t.Fatalf("err = %v, want -time-zone naming the zone", err)
	}
}
