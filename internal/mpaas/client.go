package mpaas

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "terraform-provider-mpaas/dev"

// Signature versions accepted by Config.SignatureVersion.
const (
	SignatureVersionV3 = "v3" // ACS3-HMAC-SHA256, the default
	SignatureVersionV1 = "v1" // RPC HMAC-SHA1 (the SDK's "v2" setting)
)

// Default transport tuning.
const (
	defaultMaxBackoff          = 20 * time.Second
	defaultMaxIdleConnsPerHost = 32
	defaultResponseTimeout     = 3 * time.Minute
)

// Logger receives one Debug line per HTTP attempt. Fields never contain
// secrets, signatures, tokens, headers or bodies. The provider adapts tflog to
// it; any Go program can pass its own.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. Only the credentials and the three IDs are
// required; everything else has a default.
type Config struct {
	// Endpoint is the full API URL, e.g. https://mpaas.aliyuncs.com or
	// http://127.0.0.1:4567. Default DefaultEndpoint. A bare host name is
	// taken as https://<host>. http:// is only allowed for loopback hosts.
	Endpoint string

	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string // STS only

	AppID       string
	WorkspaceID string
	TenantID    string

	// SignatureVersion is "v3" (default, ACS3-HMAC-SHA256) or "v1" (HMAC-SHA1).
	SignatureVersion string

	// MaxRetries is how many times a retryable failure is retried. 0 means
	// no retries. New does not apply a default (the provider passes 5).
	MaxRetries int

	// UserAgent defaults to DefaultUserAgent.
	UserAgent string

	// HTTPClient defaults to a pooled cleanhttp client with at least 32 idle
	// connections per host.
	HTTPClient *http.Client

	// Logger may be nil.
	Logger Logger

	// Now defaults to time.Now. Tests inject it.
	Now func() time.Time
	// NewNonce defaults to 32 lowercase hex characters from crypto/rand.
	NewNonce func() string
	// Sleep waits between retries; it must return early with ctx.Err() when
	// ctx is done. Defaults to a timer. Tests inject it.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxBackoff caps one exponential backoff step. Default 20s.
	MaxBackoff time.Duration

	// ServiceTimeZone is the zone of the service's zone-less times:
	// GreyEndtimeData sent and read, GmtCreate read. Default
	// DefaultServiceTimeZone (LoadServiceTimeZone).
	ServiceTimeZone *time.Location
}

// Client calls the mPaaS OpenAPI. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint *url.URL
	http     *http.Client
	times    serviceTimes

	appLocksMu sync.Mutex
	appLocks   map[string]*appWrites // see lockApp

	grants *uploadGrants // the file token uploads share (upload_grant.go)
}

// New validates cfg, applies defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Endpoint) == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	endpoint, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}

	switch cfg.SignatureVersion {
	case "":
		cfg.SignatureVersion = SignatureVersionV3
	case SignatureVersionV3, SignatureVersionV1:
	default:
		return nil, fmt.Errorf("signature version must be %q or %q, got %q", SignatureVersionV3, SignatureVersionV1, cfg.SignatureVersion)
	}

	var missing []string
	for _, f := range []struct{ name, value string }{
		{"access key ID", cfg.AccessKeyID},
		{"access key secret", cfg.AccessKeySecret},
		{"app ID", cfg.AppID},
		{"workspace ID", cfg.WorkspaceID},
		{"tenant ID", cfg.TenantID},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("mPaaS client configuration is missing: %s", strings.Join(missing, ", "))
	}

	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("max retries must not be negative, got %d", cfg.MaxRetries)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewNonce == nil {
		cfg.NewNonce = randomNonce
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepContext
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = defaultMaxBackoff
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = defaultHTTPClient()
	}
	if cfg.ServiceTimeZone == nil {
		if cfg.ServiceTimeZone, err = LoadServiceTimeZone(""); err != nil {
			return nil, err
		}
	}
	return &Client{cfg: cfg, endpoint: endpoint, http: httpClient, times: serviceTimes{zone: cfg.ServiceTimeZone},
		appLocks: map[string]*appWrites{}, grants: newUploadGrants()}, nil
}

// Endpoint returns the normalized endpoint URL (scheme://host[:port]).
func (c *Client) Endpoint() string { return c.endpoint.String() }

// AppID, WorkspaceID and TenantID return the scope every call is made in.
func (c *Client) AppID() string       { return c.cfg.AppID }
func (c *Client) WorkspaceID() string { return c.cfg.WorkspaceID }
func (c *Client) TenantID() string    { return c.cfg.TenantID }

func defaultHTTPClient() *http.Client {
	client := cleanhttp.DefaultPooledClient()
	if t, ok := client.Transport.(*http.Transport); ok {
		if t.MaxIdleConnsPerHost < defaultMaxIdleConnsPerHost {
			t.MaxIdleConnsPerHost = defaultMaxIdleConnsPerHost
		}
		if t.MaxIdleConns < defaultMaxIdleConnsPerHost {
			t.MaxIdleConns = defaultMaxIdleConnsPerHost
		}
		// Guards against a server that accepts the request and never
		// answers; it starts after the request body is fully written, so it
		// does not limit large uploads.
		t.ResponseHeaderTimeout = defaultResponseTimeout
	}
	return client
}

func randomNonce() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand never fails on supported platforms; fall back to time.
		return fmt.Sprintf("%032x", time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.cfg.Logger != nil {
		c.cfg.Logger.Debug(ctx, msg, fields)
	}
}

// ctxError wraps a context error so that errors.Is(err, context.Canceled)
// (or DeadlineExceeded) still holds.
func ctxError(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return err
}
