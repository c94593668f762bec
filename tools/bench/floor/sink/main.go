// Command sink is the floor provider's server (tools/bench/floor): it answers
// POST /files/<name> by reading and discarding the body, GET /files/<name>
// with 200 and an empty JSON object, and GET /stats with its request counts
// ({"post":N,"get":N,"bytes":N}). It prints "floor sink listening on
// http://HOST:PORT" once it accepts connections and serves until SIGINT or
// SIGTERM.
//
//	sink -listen 127.0.0.1:0
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
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *listen, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sink:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, listen string, stdout io.Writer) error {
	listener, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: &sink{}}
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
	posts, gets, bytes atomic.Int64
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/stats" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int64{"post": s.posts.Load(), "get": s.gets.Load(), "bytes": s.bytes.Load()})
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
