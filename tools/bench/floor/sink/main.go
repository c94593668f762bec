// Command sink is the floor provider's server (tools/bench/floor), the
// minimal protocol of a file service: it answers POST /token with a small
// JSON grant, POST /files/<name> by reading and discarding the body, POST
// /register/<name> with a small JSON answer, GET /files/<name> with 200 and
// an empty JSON object, and GET /stats with its request counts
// ({"token":N,"post":N,"register":N,"get":N,"bytes":N}). With -latency, every
// request but /stats waits that long first, as a far service would (the
// emulator's -fault-latency). It prints "floor sink listening on
// http://HOST:PORT" once it accepts connections and serves until SIGINT or
// SIGTERM.
//
//	sink -listen 127.0.0.1:0 [-latency 100ms]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	latency := flag.Duration("latency", 0, "latency added before every request but /stats")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *listen, *latency, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sink:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, listen string, latency time.Duration, stdout io.Writer) error {
	listener, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: &sink{latency: latency}}
	go func() {
		<-ctx.Done()
		_ = server.Close()
	}()
	fmt.Fprintf(stdout, "floor sink listening on http://%s\n", listener.Addr())
	if err := server.Serve(listener); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type sink struct {
	latency                               time.Duration
	tokens, posts, registers, gets, bytes atomic.Int64
	grants                                atomic.Int64
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/stats" && s.latency > 0 {
		select {
		case <-time.After(s.latency):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case r.URL.Path == "/stats" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int64{"token": s.tokens.Load(), "post": s.posts.Load(),
			"register": s.registers.Load(), "get": s.gets.Load(), "bytes": s.bytes.Load()})
	case r.URL.Path == "/token" && r.Method == http.MethodPost:
		_, _ = io.Copy(io.Discard, r.Body)
		s.tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, "{\"dir\":\"grant-%d/\"}\n", s.grants.Add(1))
	case strings.HasPrefix(r.URL.Path, "/register/") && r.Method == http.MethodPost:
		_, _ = io.Copy(io.Discard, r.Body)
		s.registers.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{\"id\":\"1\"}\n")
	case strings.HasPrefix(r.URL.Path, "/files/") && r.Method == http.MethodPost:
		n, err := io.Copy(io.Discard, r.Body)
		s.bytes.Add(n)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.posts.Add(1)
		w.WriteHeader(http.StatusCreated)
	case strings.HasPrefix(r.URL.Path, "/files/") && r.Method == http.MethodGet:
		s.gets.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}\n")
	default:
		http.NotFound(w, r)
	}
}
