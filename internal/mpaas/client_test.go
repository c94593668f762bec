package mpaas

import (
	"net/http"
	"strings"
	"testing"
)

func TestNewValidation(t *testing.T) {
	tests := []struct {
		name     string
		mod      func(*Config)
		wantErr  string
		endpoint string
	}{
		{name: "default endpoint", mod: func(c *Config) { c.Endpoint = "" }, endpoint: DefaultEndpoint},
		{name: "https", mod: func(c *Config) { c.Endpoint = "https://mpaas.aliyuncs.com/" }, endpoint: "https://mpaas.aliyuncs.com"},
		{name: "bare host is https", mod: func(c *Config) { c.Endpoint = "mpaas.aliyuncs.com" }, endpoint: "https://mpaas.aliyuncs.com"},
		{name: "http loopback v4", mod: func(c *Config) { c.Endpoint = "http://127.0.0.1:4567" }, endpoint: "http://127.0.0.1:4567"},
		{name: "http loopback 127/8", mod: func(c *Config) { c.Endpoint = "http://127.1.2.3:80" }, endpoint: "http://127.1.2.3:80"},
		{name: "http loopback v6", mod: func(c *Config) { c.Endpoint = "http://[::1]:9000" }, endpoint: "http://[::1]:9000"},
		{name: "http localhost", mod: func(c *Config) { c.Endpoint = "http://localhost:9000" }, endpoint: "http://localhost:9000"},
		{name: "http remote refused", mod: func(c *Config) { c.Endpoint = "http://mpaas.aliyuncs.com" }, wantErr: "only allowed for loopback"},
		{name: "http private refused", mod: func(c *Config) { c.Endpoint = "http://10.0.0.1:80" }, wantErr: "only allowed for loopback"},
		{name: "ftp refused", mod: func(c *Config) { c.Endpoint = "ftp://127.0.0.1" }, wantErr: "must use https"},
		{name: "path refused", mod: func(c *Config) { c.Endpoint = "https://mpaas.aliyuncs.com/api" }, wantErr: "without a path"},
		{name: "garbage", mod: func(c *Config) { c.Endpoint = "https://%zz" }, wantErr: "not a valid URL"},
		{name: "v1", mod: func(c *Config) { c.SignatureVersion = "v1" }, endpoint: "https://mpaas.aliyuncs.com"},
		{name: "bad signature version", mod: func(c *Config) { c.SignatureVersion = "v2" }, wantErr: `signature version must be "v3" or "v1"`},
		{name: "missing creds and ids", mod: func(c *Config) { c.AccessKeySecret = ""; c.TenantID = " " },
			wantErr: "missing: access key secret, tenant ID"},
		{name: "missing all", mod: func(c *Config) { *c = Config{} },
			wantErr: "missing: access key ID, access key secret, app ID, workspace ID, tenant ID"},
		{name: "negative retries", mod: func(c *Config) { c.MaxRetries = -1 }, wantErr: "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig("https://mpaas.aliyuncs.com")
			tt.mod(&cfg)
			c, err := New(cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New() error = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New() error = %v", err)
			}
			if got := c.Endpoint(); got != tt.endpoint {
				t.Errorf("Endpoint() = %q, want %q", got, tt.endpoint)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	cfg := testConfig("")
	cfg.UserAgent = ""
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.SignatureVersion != SignatureVersionV3 || c.cfg.UserAgent != DefaultUserAgent || c.cfg.MaxBackoff != defaultMaxBackoff {
		t.Errorf("defaults not applied: %+v", c.cfg)
	}
	if c.cfg.MaxRetries != 3 {
		t.Errorf("MaxRetries changed to %d", c.cfg.MaxRetries)
	}
	nonce := c.cfg.NewNonce()
	if len(nonce) != 32 || strings.Trim(nonce, "0123456789abcdef") != "" || nonce == c.cfg.NewNonce() {
		t.Errorf("nonce %q is not 32 random lowercase hex chars", nonce)
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok || tr.MaxIdleConnsPerHost < 32 {
		t.Errorf("default transport MaxIdleConnsPerHost < 32: %#v", c.http.Transport)
	}
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.255.0.9": true, "::1": true, "[::1]": true, "localhost": true, "LOCALHOST": true,
		"a.localhost": true, "10.0.0.1": false, "example.com": false, "localhost.example.com": false, "": false, "::": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
