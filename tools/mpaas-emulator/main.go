// Command mpaas-emulator runs the local, wire-compatible mPaaS OpenAPI
// emulator (internal/emulator) as a standalone server:
//
//	mpaas-emulator -listen 127.0.0.1:0 -data-dir DIR -access-key-id ID -access-key-secret SECRET
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
	if err := fs.Parse(args); err != nil {
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

	logger := log.New(os.Stderr, "", log.LstdFlags)
	opts := emulator.Options{
		DataDir:     *dataDir,
		Credentials: []emulator.Credential{{AccessKeyID: *keyID, AccessKeySecret: *keySecret, SecurityToken: *token}},
		PublicURL:   *publicURL,
	}
	if !*quiet {
		opts.Logf = logger.Printf
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second, ErrorLog: logger}
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
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
