// Command mkpackages writes offline package zips for the demo and the
// benchmark, so no binary fixture is committed. Output is deterministic for a
// given seed: the same flags always produce the same bytes.
//
//	go run ./tools/mkpackages -dir out -ids 12345678,23456789 [-type global] [-size 3000000] [-seed 1] [-content v1]
package main

import (
	"archive/zip"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mkpackages:", err)
		os.Exit(1)
	}
}

type options struct {
	dir          string
	ids          []string
	resourceType string
	size         int64
	seed         uint64
	content      string
	appPath      string
}

func parse(args []string) (options, error) {
	flags := flag.NewFlagSet("mkpackages", flag.ContinueOnError)
	var opts options
	var ids string
	flags.StringVar(&opts.dir, "dir", "", "folder to write <id>.zip files into (created)")
	flags.StringVar(&ids, "ids", "", "comma-separated 8-digit H5App IDs")
	flags.StringVar(&opts.resourceType, "type", "normal", "normal or global layout")
	flags.Int64Var(&opts.size, "size", 0, "add an incompressible payload so each zip is just under this many bytes")
	flags.Uint64Var(&opts.seed, "seed", 1, "seed of the payload bytes")
	flags.StringVar(&opts.content, "content", "v1", "text placed in index.html; change it to change the package")
	flags.StringVar(&opts.appPath, "app-path", "ONEXDEMO0000001_default", "global packages: folder under mcube-prod.mpaascloud.com")
	if err := flags.Parse(args); err != nil {
		return options{}, err
	}
	if opts.dir == "" || ids == "" {
		return options{}, errors.New("-dir and -ids are required")
	}
	if opts.resourceType != "normal" && opts.resourceType != "global" {
		return options{}, fmt.Errorf("-type must be normal or global, not %q", opts.resourceType)
	}
	opts.ids = strings.Split(ids, ",")
	return opts, nil
}

func run(args []string, stdout io.Writer) error {
	opts, err := parse(args)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.dir, 0o755); err != nil {
		return err
	}
	for i, id := range opts.ids {
		path := filepath.Join(opts.dir, id+".zip")
		if err := writePackage(path, id, opts, opts.seed+uint64(i)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Fprintln(stdout, path)
	}
	return nil
}

// zipOverhead is an upper bound of the bytes a package has besides its payload.
const zipOverhead = 2048

// fixedTime keeps zip headers identical between runs.
var fixedTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func writePackage(path, id string, opts options, seed uint64) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer file.Close()
	writer := zip.NewWriter(file)
	root := id + "/www/"
	if opts.resourceType == "global" {
		root = id + "/mcube-prod.mpaascloud.com/" + opts.appPath + "/"
	}
	page := fmt.Sprintf("<!doctype html><html><body><h1>H5App %s</h1><p>%s</p><script src=\"app.js\"></script></body></html>\n", id, opts.content)
	if err := addFile(writer, root+"index.html", zip.Deflate, strings.NewReader(page)); err != nil {
		return err
	}
	script := fmt.Sprintf("console.log(%q);\n", "offline package "+id+" "+opts.content)
	if err := addFile(writer, root+"app.js", zip.Deflate, strings.NewReader(script)); err != nil {
		return err
	}
	if opts.size > zipOverhead {
		// The payload leaves room for the other entries and the zip headers,
		// so N packages of -size bytes stay within N*size (R22's 300 MB for 100).
		payload := io.LimitReader(randomReader{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}, opts.size-zipOverhead)
		if err := addFile(writer, root+"assets/payload.bin", zip.Store, payload); err != nil {
			return err
		}
	}
	if err := writer.Close(); err != nil {
		return err
	}
	return file.Close()
}

func addFile(writer *zip.Writer, name string, method uint16, content io.Reader) error {
	w, err := writer.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: fixedTime})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, content)
	return err
}

// randomReader streams pseudo-random (incompressible) bytes.
type randomReader struct{ rng *rand.Rand }

func (r randomReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		v := r.rng.Uint64()
		for j := 0; j < 8 && i+j < len(p); j++ {
			p[i+j] = byte(v >> (8 * j))
		}
	}
	return len(p), nil
}
