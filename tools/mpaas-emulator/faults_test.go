package main

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestRunRefusesBadFaultFlags(t *testing.T) {
	base := []string{"-data-dir", t.TempDir(), "-access-key-id", "a", "-access-key-secret", "b", "-quiet"}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"negative":    {[]string{"-fault-reset", "-0.1"}, "-fault-reset"},
		"above one":   {[]string{"-fault-5xx", "1.5"}, "-fault-5xx"},
		"sum above 1": {[]string{"-fault-throttle", "0.6", "-fault-lost-response", "0.6"}, "add up"},
		"latency":     {[]string{"-fault-latency", "-1s"}, "-fault-latency"},
	} {
		t.Run(name, func(t *testing.T) {
			err := run(context.Background(), append(append([]string(nil), base...), tc.args...), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// A restarted emulator can listen on the fixed port its predecessor used.
func TestRunFixedPortWithFaultsCanRestart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		out := &lineWriter{got: make(chan string, 1)}
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"-listen", addr, "-data-dir", dir, "-access-key-id", "a", "-access-key-secret", "b", "-quiet",
				"-fault-seed", "3", "-fault-throttle", "0.2", "-fault-5xx", "0.2", "-fault-reset", "0.2", "-fault-lost-response", "0.2", "-fault-latency", "1ms"}, out)
		}()
		select {
		case line := <-out.got:
			if line != "mpaas-emulator listening on http://"+addr+"\n" {
				t.Fatalf("start %d: %q", i, line)
			}
		case err := <-done:
			t.Fatalf("start %d: %v", i, err)
		case <-time.After(15 * time.Second):
			t.Fatal("no listening line")
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
}

type lineWriter struct{ got chan string }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.got <- string(p)
	return len(p), nil
}
