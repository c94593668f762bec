package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func TestRunServesSignedRequestsAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	dataDir := filepath.Join(t.TempDir(), "data")
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-data-dir", dataDir, "-access-key-id", "id", "-access-key-secret", "secret", "-quiet"}, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v", err)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "mpaas-emulator listening on ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("first line = %q", line)
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck // nothing else is printed

	body := url.Values{"AppId": {"A"}, "WorkspaceId": {"default"}, "TenantId": {"T"}, "H5Id": {"12345678"}, "H5Name": {"demo"}}.Encode()
	req, _ := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(body))
	sum := mpaas.HexSHA256([]byte(body))
	headers := map[string]string{
		"host": req.URL.Host, "content-type": "application/x-www-form-urlencoded",
		"x-acs-action": mpaas.ActionCreateNebulaApp, "x-acs-version": mpaas.APIVersion,
		"x-acs-date": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
		"x-acs-content-sha256": sum,
	}
	for k, v := range headers {
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("Authorization", mpaas.AuthorizationV3("id", "secret", http.MethodPost, "/", url.Values{}, headers, sum))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		CreateNebulaAppResult *struct {
			Success bool `json:"Success"`
		} `json:"CreateNebulaAppResult"`
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || out.CreateNebulaAppResult == nil || !out.CreateNebulaAppResult.Success {
		t.Fatalf("HTTP %d %+v %v", resp.StatusCode, out, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("MPAAS_EMULATOR_ACCESS_KEY_ID", "")
	t.Setenv("MPAAS_EMULATOR_ACCESS_KEY_SECRET", "")
	cases := map[string]struct {
		args []string
		want string
	}{
		"no data dir":  {[]string{"-access-key-id", "a", "-access-key-secret", "b"}, "-data-dir"},
		"no key id":    {[]string{"-data-dir", dir, "-access-key-secret", "b"}, "-access-key-id"},
		"no secret":    {[]string{"-data-dir", dir, "-access-key-id", "a"}, "-access-key-secret"},
		"remote":       {[]string{"-data-dir", dir, "-access-key-id", "a", "-access-key-secret", "b", "-listen", "0.0.0.0:0"}, "-allow-remote"},
		"all ifaces":   {[]string{"-data-dir", dir, "-access-key-id", "a", "-access-key-secret", "b", "-listen", ":8080"}, "-allow-remote"},
		"stray args":   {[]string{"-data-dir", dir, "-access-key-id", "a", "-access-key-secret", "b", "extra"}, "unexpected"},
		"unknown flag": {[]string{"-nope"}, "not defined"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := run(context.Background(), tc.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestRunTakesCredentialsFromEnv(t *testing.T) {
	t.Setenv("MPAAS_EMULATOR_ACCESS_KEY_ID", "a")
	t.Setenv("MPAAS_EMULATOR_ACCESS_KEY_SECRET", "b")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve nothing: start, print, shut down
	var out strings.Builder
	if err := run(ctx, []string{"-data-dir", t.TempDir(), "-quiet"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "mpaas-emulator listening on http://127.0.0.1:") || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("stdout = %q", out.String())
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:0": true, "localhost:80": true, "[::1]:9": true, "127.1.2.3:5": true,
		"0.0.0.0:1": false, ":1": false, "10.0.0.1:1": false, "example.com:1": false, "bad": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}
