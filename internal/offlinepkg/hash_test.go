package offlinepkg

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func md5sum(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

func TestHashFile(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), (3<<20)/16+7) // > 3 MiB, not buffer-aligned
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"small", []byte("hello\n")},
		{"large", big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, tt.name, tt.data)
			d, err := HashFile(p)
			if err != nil {
				t.Fatal(err)
			}
			want := Digest{SHA256: sum(tt.data), Size: int64(len(tt.data))}
			if d != want {
				t.Fatalf("HashFile = %+v, want %+v", d, want)
			}
			if got, err := MD5File(p); err != nil || got != md5sum(tt.data) {
				t.Fatalf("MD5File = %q, %v; want %s", got, err, md5sum(tt.data))
			}
			if d.SHA256 != strings.ToLower(d.SHA256) || len(d.SHA256) != 64 {
				t.Errorf("not lowercase hex: %q", d.SHA256)
			}
			if sha256sum, err := exec.LookPath("sha256sum"); err == nil {
				out, err := exec.Command(sha256sum, p).Output()
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Fields(string(out))[0]; got != d.SHA256 {
					t.Errorf("sha256sum = %s, HashFile = %s", got, d.SHA256)
				}
			}
		})
	}
	if _, err := HashFile(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("missing: err = %v", err)
	}
}

func TestHashingReader(t *testing.T) {
	data := bytes.Repeat([]byte("abc"), 100000)
	hr := NewHashingReader(iotest.OneByteReader(bytes.NewReader(data[:10])))
	if d := hr.Digest(); d.Size != 0 || d.SHA256 != sum(nil) {
		t.Fatalf("initial digest = %+v", d)
	}
	_, _ = io.Copy(io.Discard, hr)
	if d := hr.Digest(); d.Size != 10 || d.SHA256 != sum(data[:10]) {
		t.Fatalf("one-byte reads: %+v", d)
	}

	// Reads pass through unchanged; Digest mid-stream does not disturb the hash.
	hr = NewHashingReader(bytes.NewReader(data))
	var out bytes.Buffer
	_, _ = io.CopyN(&out, hr, 1000)
	if d := hr.Digest(); d.Size != 1000 || d.SHA256 != sum(data[:1000]) {
		t.Fatalf("mid-stream digest = %+v", d)
	}
	_, _ = io.Copy(&out, hr)
	if !bytes.Equal(out.Bytes(), data) {
		t.Fatal("bytes changed in transit")
	}
	if d := hr.Digest(); d.Size != int64(len(data)) || d.SHA256 != sum(data) {
		t.Fatalf("final digest = %+v", d)
	}

	// Errors pass through, and bytes read before them count.
	hr = NewHashingReader(iotest.TimeoutReader(bytes.NewReader(data)))
	buf := make([]byte, 7)
	_, _ = hr.Read(buf)
	if _, err := hr.Read(buf); err != iotest.ErrTimeout {
		t.Fatalf("err = %v", err)
	}
	if d := hr.Digest(); d.Size != 7 || d.SHA256 != sum(data[:7]) {
		t.Fatalf("digest after error = %+v", d)
	}
}
