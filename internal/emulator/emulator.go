// Package emulator is a local, wire-compatible emulator of the mPaaS OpenAPI
// actions for H5 offline packages (DESIGN.md section 6 describes the protocol). It verifies both signature
// versions, scopes all data by (AppId, WorkspaceId, TenantId), persists it
// under a data folder, serves the OSS-style POST-policy upload that
// GetMcubeFileToken points at, and enforces the service-side package rules.
//
// Routes:
//
//	POST /            the API (form body, V3 or V1 signature)
//	POST /oss, /oss/  the OSS PostObject upload
//	GET  /download/…  a stored package file (the DownloadUrl)
//	GET  /emulator/delivery  emulator-only delivery preview (delivery.go), unless Options.DisableDeliveryEndpoint
//	GET  /emulator/stats     emulator-only call counts per action (stats.go)
package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Credential is one access key the emulator accepts.
type Credential struct {
	AccessKeyID     string
	AccessKeySecret string
	// SecurityToken is optional: when set, requests signed with this key must
	// carry it (x-acs-security-token for V3, SecurityToken for V1).
	SecurityToken string
}

// Options configure a Server.
type Options struct {
	// DataDir holds everything the emulator stores. Created with mode 0700.
	DataDir     string
	Credentials []Credential
	// Now defaults to time.Now.
	Now func() time.Time
	// PublicURL is the base URL used in FileToken.Host and DownloadUrl. When
	// empty it is derived per request as "http://" + r.Host.
	PublicURL string
	// ClockSkew is how far a request timestamp may be from Now (default 15m).
	ClockSkew time.Duration
	// Logf, when set, receives one line per request (never secrets).
	Logf func(format string, args ...any)
	// DisableDeliveryEndpoint answers GET /emulator/delivery with 404 like
	// any unknown path, so that a client can be shown to need nothing beyond
	// the real API.
	DisableDeliveryEndpoint bool
	// SnapshotEveryWrite writes the whole state.json after every mutation
	// instead of appending to the journal (store_journal.go), for readers of
	// state.json while the emulator runs (the module tests' emulator-view).
	SnapshotEveryWrite bool
	// Quirks change undocumented behaviour for tests (quirks.go).
	Quirks Quirks
	// TimeZone is the zone the emulator reads GreyEndtimeData in and writes
	// GmtCreate/GmtModified in, like the service's (DESIGN.md section 6.1).
	// Default mpaas.DefaultServiceTimeZone, the client's default.
	TimeZone *time.Location
}

// Server is the emulator: an http.Handler plus its on-disk store.
type Server struct {
	opts   Options
	creds  map[string]Credential
	store  *store
	nonces *nonceCache

	statsMu sync.Mutex
	stats   map[string]int64

	// unlistedAnswers counts, per package ID, the list answers
	// Quirks.UnlistedCalls left it out of; guarded by store.mu.
	unlistedAnswers map[int64]int
	rollout         rollout // progress.go
}

// DefaultClockSkew is the allowed distance between a request timestamp and now.
const DefaultClockSkew = 15 * time.Minute

// hostID is the HostId of gateway errors.
const hostID = "mpaas.aliyuncs.com"

// apiBodyLimit caps the body of an API call (never a package: those go to /oss).
const apiBodyLimit = 1 << 20

// New opens (or creates) the store in opts.DataDir and returns a Server.
func New(opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("emulator: DataDir is required")
	}
	if len(opts.Credentials) == 0 {
		return nil, errors.New("emulator: at least one credential is required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ClockSkew <= 0 {
		opts.ClockSkew = DefaultClockSkew
	}
	if opts.TimeZone == nil {
		zone, err := mpaas.LoadServiceTimeZone("")
		if err != nil {
			return nil, err
		}
		opts.TimeZone = zone
	}
	opts.PublicURL = strings.TrimRight(opts.PublicURL, "/")
	creds := make(map[string]Credential, len(opts.Credentials))
	for _, c := range opts.Credentials {
		if c.AccessKeyID == "" || c.AccessKeySecret == "" {
			return nil, errors.New("emulator: a credential needs both an access key id and a secret")
		}
		creds[c.AccessKeyID] = c
	}
	st, err := openStore(opts.DataDir)
	if err != nil {
		return nil, err
	}
	st.snapshotEveryWrite = opts.SnapshotEveryWrite
	return &Server{
		opts:   opts,
		creds:  creds,
		store:  st,
		nonces: newNonceCache(maxNonces),
		stats:  map[string]int64{},

		unlistedAnswers: map[int64]int{},
		rollout:         rollout{clients: map[int64]map[string]bool{}},
	}, nil
}

// Close folds the store's journal into its snapshot and closes it. Every
// mutation is on disk before it is answered, so a server that is never
// closed loses nothing: the next one replays the journal.
func (s *Server) Close() error { return s.store.close() }

// Stats returns the number of calls per action (and per upload/download
// route), for benchmarks.
func (s *Server) Stats() map[string]int64 {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	out := make(map[string]int64, len(s.stats))
	for k, v := range s.stats {
		out[k] = v
	}
	return out
}

func (s *Server) count(name string) {
	s.statsMu.Lock()
	s.stats[name]++
	s.statsMu.Unlock()
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// ServeHTTP routes the API, the upload endpoint and package downloads.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/" && r.Method == http.MethodPost:
		s.serveAPI(w, r)
	case (r.URL.Path == "/oss" || r.URL.Path == "/oss/") && r.Method == http.MethodPost:
		s.serveUpload(w, r)
	case strings.HasPrefix(r.URL.Path, "/download/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		s.serveDownload(w, r)
	case r.URL.Path == statsPath && r.Method == http.MethodGet:
		s.serveStats(w)
	case r.URL.Path == deliveryPath && r.Method == http.MethodGet && !s.opts.DisableDeliveryEndpoint:
		s.serveDelivery(w, r) // emulator-only delivery preview, see delivery.go
	default:
		s.gatewayError(w, newRequestID(), http.StatusNotFound, "InvalidPath.NotFound",
			fmt.Sprintf("%s %s is not served by the mPaaS emulator (POST / for the API, POST /oss for uploads, GET /download/... for packages)", r.Method, r.URL.Path))
	}
}

// baseURL is PublicURL or the base derived from the request.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	return "http://" + r.Host
}

// newRequestID returns a random UUID-shaped id in upper case, like the service's.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newUUID returns a lower-case random UUID (used in upload directories).
func newUUID() string { return strings.ToLower(newRequestID()) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONIn(w, status, v, nil)
}

// writeJSONIn is writeJSON with the encoded body rewritten by dialect (nil: as encoded).
func writeJSONIn(w http.ResponseWriter, status int, v any, dialect func([]byte) []byte) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if dialect != nil {
		body = dialect(body)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// gatewayError answers with the API gateway's error shape (DESIGN.md section 6).
func (s *Server) gatewayError(w http.ResponseWriter, requestID string, status int, code, message string) {
	s.logf("mpaas-emulator: request %s rejected: %d %s: %s", requestID, status, code, message)
	w.Header().Set("x-acs-request-id", requestID)
	writeJSON(w, status, gatewayErrorBody{
		RequestId: requestID,
		HostId:    hostID,
		Code:      code,
		Message:   message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + code,
	})
}
