// Command distzip writes and lists the release zips for tools/scripts/release-check.sh
// when goreleaser is not available, so the check needs neither zip nor unzip:
//
//	distzip OUT.zip FILE...   store each FILE at the zip's root (deflated, mode kept)
//	distzip -l ZIP            print the zip's entry names, one a line
package main

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "distzip:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 2 && args[0] == "-l" {
		return list(args[1], stdout)
	}
	if len(args) < 2 {
		return errors.New("usage: distzip OUT.zip FILE... | distzip -l ZIP")
	}
	return write(args[0], args[1:])
}

func list(name string, stdout io.Writer) error {
	r, err := zip.OpenReader(name)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		if _, err := fmt.Fprintln(stdout, f.Name); err != nil {
			return err
		}
	}
	return nil
}

func write(out string, files []string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := zip.NewWriter(f)
	for _, name := range files {
		if err := add(w, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return w.Close()
}

func add(w *zip.Writer, name string) error {
	in, err := os.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	header, err := zip.FileInfoHeader(info)
	if err != nil {
		return err
	}
	header.Name = filepath.Base(name)
	header.Method = zip.Deflate
	dst, err := w.CreateHeader(header)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, in)
	return err
}
