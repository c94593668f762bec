package emulator

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// FaultConfig describes the faults a FaultInjector adds. Each rate is the
// probability (0..1) that an eligible request gets that fault; the kinds are
// exclusive (one draw per request picks at most one), so their sum should not
// exceed 1 (a larger sum is scaled down to 1: every request fails). The zero
// value injects nothing.
type FaultConfig struct {
	// Seed makes the sequence of faults reproducible: the same seed and the
	// same order of requests give the same faults.
	Seed int64

	// Throttle answers HTTP 400 Throttling.User with an
	// "x-ratelimit-user: TimeLeft:<ms>" header; the request is not processed.
	Throttle float64
	// ServerError answers HTTP 500 InternalFailure or 503 ServiceUnavailable
	// (half each); the request is not processed.
	ServerError float64
	// Reset closes the connection with a TCP RST before the request is
	// processed.
	Reset float64
	// LostResponse processes the request (the action takes effect, an upload
	// is stored) and then closes the connection without answering.
	LostResponse float64

	// Latency is added before every eligible request.
	Latency time.Duration
	// ThrottleTimeLeft is the wait a throttling answer asks for (default 50ms).
	ThrottleTimeLeft time.Duration
}

// Any reports whether cfg injects any fault or latency.
func (cfg FaultConfig) Any() bool {
	return cfg.Throttle > 0 || cfg.ServerError > 0 || cfg.Reset > 0 || cfg.LostResponse > 0 || cfg.Latency > 0
}

// Fault kinds, as counted by (*FaultInjector).Stats.
const (
	FaultThrottle     = "throttle"
	FaultHTTP500      = "http500"
	FaultHTTP503      = "http503"
	FaultReset        = "reset"
	FaultLostResponse = "lost_response"
	// FaultRequests counts the eligible requests seen (faulty or not).
	FaultRequests = "requests"
)

// FaultKinds lists the kinds in the order the stats line prints them.
var FaultKinds = []string{FaultThrottle, FaultHTTP500, FaultHTTP503, FaultReset, FaultLostResponse, FaultRequests}

const defaultThrottleTimeLeft = 50 * time.Millisecond

// FaultInjector is an http.Handler that wraps the emulator and injects
// faults into the API (POST /) and the upload endpoint (POST /oss). It never
// touches downloads or /emulator/* routes.
type FaultInjector struct {
	next    http.Handler
	cfg     FaultConfig
	enabled atomic.Bool

	mu    sync.Mutex // guards rng and stats; draws happen in request order
	rng   *rand.Rand
	stats map[string]int64
}

// NewFaultInjector wraps next. It starts enabled; with a zero cfg it only
// passes requests through.
func NewFaultInjector(next http.Handler, cfg FaultConfig) *FaultInjector {
	for _, rate := range []*float64{&cfg.Throttle, &cfg.ServerError, &cfg.Reset, &cfg.LostResponse} {
		if *rate < 0 || *rate != *rate { // negative or NaN
			*rate = 0
		}
		if *rate > 1 {
			*rate = 1
		}
	}
	if sum := cfg.Throttle + cfg.ServerError + cfg.Reset + cfg.LostResponse; sum > 1 {
		cfg.Throttle /= sum
		cfg.ServerError /= sum
		cfg.Reset /= sum
		cfg.LostResponse /= sum
	}
	if cfg.ThrottleTimeLeft <= 0 {
		cfg.ThrottleTimeLeft = defaultThrottleTimeLeft
	}
	seed := uint64(cfg.Seed)
	f := &FaultInjector{
		next:  next,
		cfg:   cfg,
		rng:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		stats: map[string]int64{},
	}
	f.enabled.Store(true)
	return f
}

// SetEnabled turns fault injection on or off; while off every request passes
// through untouched (and is not counted).
func (f *FaultInjector) SetEnabled(on bool) { f.enabled.Store(on) }

// Stats returns the number of faults injected per kind and the number of
// eligible requests seen while enabled. Every kind is present.
func (f *FaultInjector) Stats() map[string]int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int64, len(FaultKinds))
	for _, k := range FaultKinds {
		out[k] = f.stats[k]
	}
	return out
}

// StatsLine formats Stats as "throttle=N http500=N http503=N reset=N
// lost_response=N requests=N".
func (f *FaultInjector) StatsLine() string {
	stats := f.Stats()
	var b bytes.Buffer
	for i, k := range FaultKinds {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.FormatInt(stats[k], 10))
	}
	return b.String()
}

func faultEligible(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	return r.URL.Path == "/" || r.URL.Path == "/oss" || r.URL.Path == "/oss/"
}

// draw picks the fault for one request ("" for none) and counts it.
func (f *FaultInjector) draw() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stats[FaultRequests]++
	c := f.cfg
	if c.Throttle+c.ServerError+c.Reset+c.LostResponse <= 0 {
		return ""
	}
	u := f.rng.Float64()
	kind := ""
	switch {
	case u < c.Throttle:
		kind = FaultThrottle
	case u < c.Throttle+c.ServerError:
		// The position inside the band alternates the status.
		if u-c.Throttle < c.ServerError/2 {
			kind = FaultHTTP500
		} else {
			kind = FaultHTTP503
		}
	case u < c.Throttle+c.ServerError+c.Reset:
		kind = FaultReset
	case u < c.Throttle+c.ServerError+c.Reset+c.LostResponse:
		kind = FaultLostResponse
	}
	if kind != "" {
		f.stats[kind]++
	}
	return kind
}

// ServeHTTP injects latency and at most one fault, then (unless the fault
// stops it) hands the request to the emulator.
func (f *FaultInjector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !f.enabled.Load() || !faultEligible(r) {
		f.next.ServeHTTP(w, r)
		return
	}
	if f.cfg.Latency > 0 {
		t := time.NewTimer(f.cfg.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	upload := r.URL.Path != "/"
	switch f.draw() {
	case FaultThrottle:
		f.throttle(w, upload)
	case FaultHTTP500:
		serverError(w, upload, http.StatusInternalServerError)
	case FaultHTTP503:
		serverError(w, upload, http.StatusServiceUnavailable)
	case FaultReset:
		// Drain nothing: the client is typically still sending (or waiting).
		abort(w, true)
	case FaultLostResponse:
		rec := &discardResponse{header: http.Header{}}
		f.next.ServeHTTP(rec, r)
		abort(w, false)
	default:
		f.next.ServeHTTP(w, r)
	}
}

// throttle answers like the API gateway's user flow control (DESIGN.md section 6).
// OSS has no gateway: an upload gets OSS's 503 SlowDown instead, which the
// client retries like any 5xx.
func (f *FaultInjector) throttle(w http.ResponseWriter, upload bool) {
	requestID := newRequestID()
	if upload {
		writeOSSFault(w, requestID, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
		return
	}
	w.Header().Set("x-acs-request-id", requestID)
	w.Header().Set("x-ratelimit-user", "TimeLeft:"+strconv.FormatInt(f.cfg.ThrottleTimeLeft.Milliseconds(), 10))
	writeFaultJSON(w, http.StatusBadRequest, gatewayErrorBody{
		RequestId: requestID, HostId: hostID,
		Code: "Throttling.User", Message: "Request was denied due to user flow control.",
	})
}

func serverError(w http.ResponseWriter, upload bool, status int) {
	requestID := newRequestID()
	code, message := "InternalFailure", "The request processing has failed due to some unknown error, exception or failure."
	if status == http.StatusServiceUnavailable {
		code, message = "ServiceUnavailable", "The request has failed due to a temporary failure of the server."
	}
	if upload {
		ossCode := "InternalError"
		if status == http.StatusServiceUnavailable {
			ossCode = "ServiceUnavailable"
		}
		writeOSSFault(w, requestID, status, ossCode, message)
		return
	}
	w.Header().Set("x-acs-request-id", requestID)
	writeFaultJSON(w, status, gatewayErrorBody{RequestId: requestID, HostId: hostID, Code: code, Message: message})
}

func writeFaultJSON(w http.ResponseWriter, status int, body gatewayErrorBody) {
	data, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func writeOSSFault(w http.ResponseWriter, requestID string, status int, code, message string) {
	requestID = requestID[:8] + requestID[9:13] + requestID[14:18] + requestID[19:23] + requestID[24:28]
	body, _ := xml.Marshal(ossError{Code: code, Message: message, RequestId: requestID, HostId: "emulator-oss"})
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-oss-request-id", requestID)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(body)
}

// abort hijacks the connection and closes it without an answer: with rst,
// SO_LINGER 0 turns the close into a TCP reset; otherwise the client sees
// the connection end (EOF) where the response should be.
func abort(w http.ResponseWriter, rst bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// HTTP/2 or a recorder: the closest thing is to abort the handler.
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf // anything buffered for writing is dropped with the connection
	if rst {
		if tc, ok := tcpConn(conn); ok {
			_ = tc.SetLinger(0)
		}
	}
	_ = conn.Close()
}

func tcpConn(c net.Conn) (*net.TCPConn, bool) {
	tc, ok := c.(*net.TCPConn)
	return tc, ok
}

// discardResponse is the ResponseWriter of a request whose answer is lost.
type discardResponse struct {
	header http.Header
	status int
}

func (d *discardResponse) Header() http.Header { return d.header }
func (d *discardResponse) WriteHeader(status int) {
	if d.status == 0 {
		d.status = status
	}
}
func (d *discardResponse) Write(p []byte) (int, error) {
	d.WriteHeader(http.StatusOK)
	return len(p), nil
}
