// Command mpaas-emulator runs the local, wire-compatible mPaaS OpenAPI
// emulator (internal/emulator) as a standalone server:
//
//	mpaas-emulator -listen 127.0.0.1:0 -data-dir DIR -access-key-id ID -access-key-secret SECRET
//
// -no-delivery-endpoint switches off the emulator-only GET /emulator/delivery
// (see internal/emulator/delivery.go), which the provider does not need.
// -listen also takes a fixed port (127.0.0.1:PORT), so that a restarted
// emulator can be reached at the same address. The -fault-* flags inject
// throttling, 5xx answers, connection resets and lost responses (see
// emulator.FaultConfig); on shutdown the emulator then prints one line to
// stderr: "faults injected: throttle=N http500=N http503=N reset=N
// lost_response=N requests=N".
//
// It prints one line, "mpaas-emulator listening on http://HOST:PORT", to
// stdout once it accepts connections, logs to stderr, and serves until
// SIGINT or SIGTERM, then shuts down gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "mpaas-emulator:", err)
		os.Exit(2)
	}
}

// run parses args, serves until ctx is done, then shuts down.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("mpaas-emulator", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (loopback only unless -allow-remote)")
	dataDir := fs.String("data-dir", "", "folder holding the emulator's data (created with mode 0700; required)")
	keyID := fs.String("access-key-id", os.Getenv("MPAAS_EMULATOR_ACCESS_KEY_ID"), "access key id clients sign with (env MPAAS_EMULATOR_ACCESS_KEY_ID; required)")
	keySecret := fs.String("access-key-secret", os.Getenv("MPAAS_EMULATOR_ACCESS_KEY_SECRET"), "access key secret (env MPAAS_EMULATOR_ACCESS_KEY_SECRET; required)")
	token := fs.String("security-token", os.Getenv("MPAAS_EMULATOR_SECURITY_TOKEN"), "optional STS security token requests must carry (env MPAAS_EMULATOR_SECURITY_TOKEN)")
	publicURL := fs.String("public-url", "", "base URL put in upload hosts and download URLs (default: http:// plus the request's Host)")
	allowRemote := fs.Bool("allow-remote", false, "allow a -listen address that is not loopback")
	quiet := fs.Bool("quiet", false, "do not log each request to stderr")
	noDelivery := fs.Bool("no-delivery-endpoint", false, "answer GET /emulator/delivery with 404, like the real service")
	snapshots := fs.Bool("snapshot-every-write", false, "write the whole state.json after every change instead of a journal (for tools that read state.json while the emulator runs)")
	sdkLenient := fs.Bool("sdk-lenient", false, "answer in the SDK-lenient dialect: numbers as strings, FileSize as a number, bools as strings, times as epoch milliseconds, empty strings as null")
	timeZone := fs.String("time-zone", mpaas.DefaultServiceTimeZone, "IANA time zone of the service's zone-less times (GreyEndtimeData, GmtCreate); match the provider's service_time_zone")
	var faults emulator.FaultConfig
	fs.Int64Var(&faults.Seed, "fault-seed", 1, "seed of the fault injection sequence (same seed and request order, same faults)")
	fs.Float64Var(&faults.Throttle, "fault-throttle", 0, "rate (0..1) of API calls answered with Throttling.User (uploads: OSS SlowDown)")
	fs.Float64Var(&faults.ServerError, "fault-5xx", 0, "rate (0..1) of requests answered with HTTP 500 or 503, unprocessed")
	fs.Float64Var(&faults.Reset, "fault-reset", 0, "rate (0..1) of requests whose connection is reset before processing")
	fs.Float64Var(&faults.LostResponse, "fault-lost-response", 0, "rate (0..1) of requests processed whose answer is lost (connection closed)")
	fs.DurationVar(&faults.Latency, "fault-latency", 0, "latency added before every API call and upload")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkFaultFlags(faults); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case *dataDir == "":
		return errors.New("-data-dir is required")
	case *keyID == "":
		return errors.New("-access-key-id (or MPAAS_EMULATOR_ACCESS_KEY_ID) is required")
	case *keySecret == "":
		return errors.New("-access-key-secret (or MPAAS_EMULATOR_ACCESS_KEY_SECRET) is required")
	}
	if !*allowRemote && !isLoopback(*listen) {
		return fmt.Errorf("refusing to listen on %q: it is not a loopback address and the emulator is for local testing only; use 127.0.0.1:PORT, or pass -allow-remote to expose it on purpose", *listen)
	}

	zone, err := mpaas.LoadServiceTimeZone(*timeZone)
	if err != nil {
		return fmt.Errorf("-time-zone: %w", err)
	}

	logger := log.New(os.Stderr, "", log.LstdFlags)
	opts := emulator.Options{
		TimeZone:    zone,
		DataDir:     *dataDir,
		Credentials: []emulator.Credential{{AccessKeyID: *keyID, AccessKeySecret: *keySecret, SecurityToken: *token}},
		PublicURL:   *publicURL,
		// The delivery preview is a debugging aid; the provider does not need it.
		DisableDeliveryEndpoint: *noDelivery,
		Quirks:                  emulator.Quirks{SDKLenient: *sdkLenient},
		SnapshotEveryWrite:      *snapshots,
	}
	if !*quiet {
		opts.Logf = logger.Printf
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := listenRetrying(ctx, *listen)
	if err != nil {
		return err
	}
	var handler http.Handler = srv
	var injector *emulator.FaultInjector
	if faults.Any() {
		injector = emulator.NewFaultInjector(srv, faults)
		handler = injector
		defer func() { fmt.Fprintln(os.Stderr, "faults injected: "+injector.StatsLine()) }()
	}
	httpSrv := &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second, ErrorLog: logger}
	if _, err := fmt.Fprintf(stdout, "mpaas-emulator listening on http://%s\n", ln.Addr().String()); err != nil {
		ln.Close()
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	logger.Printf("mpaas-emulator: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// isLoopback reports whether a listen address names only loopback interfaces.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	return mpaas.IsLoopbackHost(strings.ToLower(strings.Trim(host, "[]")))
}

// checkFaultFlags refuses rates outside 0..1 or adding up to more than 1
// (the kinds are exclusive: one draw per request picks at most one).
func checkFaultFlags(f emulator.FaultConfig) error {
	sum := 0.0
	for _, r := range []struct {
		flag string
		rate float64
	}{{"-fault-throttle", f.Throttle}, {"-fault-5xx", f.ServerError}, {"-fault-reset", f.Reset}, {"-fault-lost-response", f.LostResponse}} {
		if r.rate < 0 || r.rate > 1 || r.rate != r.rate {
			return fmt.Errorf("%s must be between 0 and 1, got %v", r.flag, r.rate)
		}
		sum += r.rate
	}
	if sum > 1.000001 {
		return fmt.Errorf("the fault rates add up to %v; they are exclusive per request and must add up to at most 1", sum)
	}
	if f.Latency < 0 {
		return fmt.Errorf("-fault-latency must not be negative, got %s", f.Latency)
	}
	return nil
}

// listenRetrying listens on addr; when a fixed port is still held (an
// emulator restarted on the same port while the previous one is exiting) it
// tries again for up to 10 seconds.
func listenRetrying(ctx context.Context, addr string) (net.Listener, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			return ln, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}
