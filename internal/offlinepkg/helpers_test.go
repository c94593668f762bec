package offlinepkg

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zent is one entry of a generated test zip.
type zent struct {
	name    string
	body    string
	mode    os.FileMode // 0 = default
	nonUTF8 bool
	raw     *zip.FileHeader // written with CreateRaw, body as the raw data
}

func f(name string) zent { return zent{name: name, body: "<html>" + name + "</html>"} }

func zipBytes(t testing.TB, entries ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.raw != nil {
			fw, err := w.CreateRaw(e.raw)
			if err != nil {
				t.Fatalf("CreateRaw %q: %v", e.raw.Name, err)
			}
			if _, err := fw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, NonUTF8: e.nonUTF8}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		fw, err := w.CreateHeader(h)
		if err != nil {
			t.Fatalf("CreateHeader %q: %v", e.name, err)
		}
		if !strings.HasSuffix(e.name, "/") {
			if _, err := fw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func zipFile(t testing.TB, entries ...zent) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "pkg.zip", zipBytes(t, entries...))
}

func rules(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Rule+"/"+v.Attribute)
	}
	return out
}
