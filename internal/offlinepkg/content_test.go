package offlinepkg

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type zipEntry struct {
	name, body string
}

// writeTestZip writes entries in the given order with the given time and
// compression level (flate.NoCompression stores them).
func writeTestZip(t *testing.T, path string, entries []zipEntry, modified time.Time, level int) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, level) })
	for _, e := range entries {
		method := zip.Deflate
		if level == flate.NoCompression {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method, Modified: modified})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func scanPath(t *testing.T, path string) Digest {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ScanZip(f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestContentDigestIgnoresBytesButNotContent(t *testing.T) {
	dir := t.TempDir()
	base := []zipEntry{
		{"12345678/", ""},
		{"12345678/www/index.html", "<html>hi</html>"},
		{"12345678/www/app.js", strings.Repeat("console.log(1);\n", 500)},
	}
	reordered := []zipEntry{base[2], base[1]} // other order, no folder entry
	early, late := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

	original := filepath.Join(dir, "a.zip")
	writeTestZip(t, original, base, early, flate.DefaultCompression)
	want := scanPath(t, original)
	if want.Content == "" {
		t.Fatal("no content digest for a valid zip")
	}

	same := []struct {
		name    string
		entries []zipEntry
		time    time.Time
		level   int
	}{
		{"rebuilt later", base, late, flate.DefaultCompression},
		{"best compression", base, late, flate.BestCompression},
		{"stored", base, early, flate.NoCompression},
		{"other order without folders", reordered, late, flate.BestSpeed},
	}
	for _, tc := range same {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.zip")
			writeTestZip(t, path, tc.entries, tc.time, tc.level)
			got := scanPath(t, path)
			if got.SHA256 == want.SHA256 {
				t.Fatal("the test zip should differ in bytes")
			}
			if got.Content != want.Content {
				t.Fatalf("content digest %s, want %s", got.Content, want.Content)
			}
		})
	}

	different := map[string][]zipEntry{
		"changed file":   {base[0], {"12345678/www/index.html", "<html>bye</html>"}, base[2]},
		"renamed file":   {base[0], {"12345678/www/main.html", "<html>hi</html>"}, base[2]},
		"added file":     append(append([]zipEntry{}, base...), zipEntry{"12345678/www/new.css", ""}),
		"removed file":   base[:2],
		"moved contents": {base[0], {"12345678/www/index.html", base[2].body}, {"12345678/www/app.js", base[1].body}},
	}
	for name, entries := range different {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.zip")
			writeTestZip(t, path, entries, early, flate.DefaultCompression)
			if got := scanPath(t, path); got.Content == want.Content {
				t.Fatal("a different content must give a different digest")
			}
		})
	}
}

func TestScanZipFileDigestMatchesHashFile(t *testing.T) {
	for _, size := range []int{10, 100 << 10, 3 << 20} {
		path := filepath.Join(t.TempDir(), "p.zip")
		writeTestZip(t, path, []zipEntry{
			{"12345678/www/index.html", "x"},
			{"12345678/www/big.bin", pseudoRandom(size)},
			{"12345678/www/z.txt", "last"},
		}, time.Now(), flate.BestSpeed)
		plain, err := HashFile(path)
		if err != nil {
			t.Fatal(err)
		}
		scanned := scanPath(t, path)
		if scanned.SHA256 != plain.SHA256 || scanned.Size != plain.Size {
			t.Fatalf("size %d: ScanZip %+v, HashFile %+v", size, scanned, plain)
		}
	}
}

// countingReaderAt counts the bytes read from a file.
type countingReaderAt struct {
	r io.ReaderAt
	n int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

func TestScanZipReadsEachByteAboutOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.zip")
	var entries []zipEntry
	for i := range 20 {
		entries = append(entries, zipEntry{"12345678/f" + string(rune('a'+i)) + ".bin", pseudoRandom(200 << 10)})
	}
	writeTestZip(t, path, entries, time.Now(), flate.BestSpeed)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	counter := &countingReaderAt{r: f}
	hasher := &sequentialHasher{file: counter, sha256: sha256.New()}
	if _, err := zipContent(hasher, info.Size()); err != nil {
		t.Fatal(err)
	}
	if err := hasher.finish(info.Size()); err != nil {
		t.Fatal(err)
	}
	whole, _ := HashFile(path)
	if got := hex.EncodeToString(hasher.sha256.Sum(nil)); got != whole.SHA256 {
		t.Fatalf("sequential SHA-256 %s, want %s", got, whole.SHA256)
	}
	// The central directory is read twice and archive/zip reads a little
	// ahead; anything near 2x would mean a second pass over the data.
	if limit := info.Size() + info.Size()/20; counter.n > limit {
		t.Fatalf("read %d bytes of a %d-byte zip; want at most %d", counter.n, info.Size(), limit)
	}
}

func TestScanZipOfBrokenFilesHasNoContent(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "n.zip")
	if err := os.WriteFile(notZip, []byte("plain text"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "g.zip")
	writeTestZip(t, good, []zipEntry{{"12345678/a.txt", strings.Repeat("a", 4096)}}, time.Now(), flate.NoCompression)
	raw, _ := os.ReadFile(good)
	corrupt := filepath.Join(dir, "c.zip")
	raw[60] ^= 0xff // inside the stored data: the CRC no longer matches
	if err := os.WriteFile(corrupt, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{notZip, corrupt} {
		d := scanPath(t, path)
		plain, _ := HashFile(path)
		if d.Content != "" || d.SHA256 != plain.SHA256 {
			t.Fatalf("%s: %+v; want no content digest and the file's SHA-256 %s", filepath.Base(path), d, plain.SHA256)
		}
	}
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBuildZipIsDeterministicAndMatchesTheFolder(t *testing.T) {
	files := map[string]string{"www/index.html": "<html/>", "www/js/app.js": "let a = 1", "README": "r"}
	first, second := t.TempDir(), t.TempDir()
	writeTree(t, first, files)
	writeTree(t, second, files)
	// Other times on the second copy must not matter.
	later := time.Now().Add(48 * time.Hour)
	_ = os.Chtimes(filepath.Join(second, "www", "index.html"), later, later)

	cache := &HashCache{}
	dirContent, err := DirContent(first, "12345678", cache)
	if err != nil {
		t.Fatal(err)
	}
	var zips [2]string
	for i, dir := range []string{first, second} {
		path, content, err := BuildZipFile(dir, "12345678", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if content != dirContent {
			t.Fatalf("BuildZip content %s, DirContent %s", content, dirContent)
		}
		zips[i] = path
	}
	a, b := scanPath(t, zips[0]), scanPath(t, zips[1])
	if a.SHA256 != b.SHA256 {
		t.Fatal("the same files must build the same zip bytes")
	}
	if a.Content != dirContent {
		t.Fatalf("scanned content %s, folder %s", a.Content, dirContent)
	}
	// The built zip has the layout the rules want.
	_, violations, err := InspectFile(zips[0], InspectOptions{H5AppID: "12345678", MainURL: "/www/index.html"})
	if err != nil || len(violations) > 0 {
		t.Fatalf("built zip: %v %v", violations, err)
	}
	// A hand-made zip of the same files has the same content digest.
	hand := filepath.Join(t.TempDir(), "h.zip")
	writeTestZip(t, hand, []zipEntry{
		{"12345678/www/js/app.js", files["www/js/app.js"]}, {"12345678/README", "r"}, {"12345678/www/index.html", "<html/>"},
	}, time.Now(), flate.BestCompression)
	if scanPath(t, hand).Content != dirContent {
		t.Fatal("a zip of the same files must have the folder's content digest")
	}
}

func TestInspectDirAppliesThePackageRules(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"www/index.html": "x", "js/app.js": "y"})
	cases := []struct {
		name      string
		opts      InspectOptions
		attribute string
	}{
		{"main_url missing", InspectOptions{H5AppID: "12345678", MainURL: "/www/main.html"}, "main_url"},
		{"global without its folder", InspectOptions{H5AppID: "12345678", ResourceType: ResourceTypeGlobal}, "resource_type"},
	}
	for _, tc := range cases {
		violations, err := InspectDir(dir, tc.opts)
		if err != nil || len(violations) != 1 || violations[0].Attribute != tc.attribute {
			t.Fatalf("%s: %v %v", tc.name, violations, err)
		}
	}
	if violations, err := InspectDir(dir, InspectOptions{H5AppID: "12345678", MainURL: "/www/index.html"}); err != nil || len(violations) != 0 {
		t.Fatalf("valid folder: %v %v", violations, err)
	}
	empty := t.TempDir()
	if violations, _ := InspectDir(empty, InspectOptions{H5AppID: "12345678"}); len(violations) != 1 || violations[0].Rule != "layout" {
		t.Fatalf("empty folder: %v", violations)
	}
}

// A source_dir that holds the H5App folder itself (its zip would be
// <id>/<id>/...) is one error that names the inner folder; a missing
// main_url names the folder's own files.
func TestInspectDirNamesTheFolder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"12345678/www/index.html": "x", "12345678/www/app.js": "y"})
	violations, err := InspectDir(dir, InspectOptions{H5AppID: "12345678", MainURL: "/www/index.html"})
	if err != nil || len(violations) != 1 || violations[0].Rule != "layout" || violations[0].Attribute != "source" {
		t.Fatalf("nested folder: %v %v", violations, err)
	}
	want := fmt.Sprintf("The folder %q holds the H5App folder \"12345678/\" itself, so the zip would have every entry under \"12345678/12345678/\". "+
		"Point source_dir at the inner folder, whose files go below \"12345678/\": source_dir = %q.", dir, filepath.Join(dir, "12345678"))
	if violations[0].Message != want {
		t.Fatalf("message\n%s\nwant\n%s", violations[0].Message, want)
	}

	flat := t.TempDir()
	writeTree(t, flat, map[string]string{"www/home.html": "x", "12345678/index.html": "y"})
	violations, err = InspectDir(flat, InspectOptions{H5AppID: "12345678", MainURL: "/www/index.html"})
	if err != nil || len(violations) != 1 || violations[0].Attribute != "main_url" {
		t.Fatalf("main_url: %v %v", violations, err)
	}
	for _, fragment := range []string{fmt.Sprintf("the folder %q has no file \"www/index.html\"", flat), `"/12345678/index.html", "/www/home.html"`} {
		if !strings.Contains(violations[0].Message, fragment) {
			t.Errorf("message %q lacks %q", violations[0].Message, fragment)
		}
	}
}

func TestListDirRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"www/index.html": "x"})
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "www", "passwd")); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	if _, _, err := ListDir(dir); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("want a symbolic link error, got %v", err)
	}
	if _, err := BuildZip(dir, "12345678", io.Discard); err == nil {
		t.Fatal("BuildZip must refuse a folder with a symbolic link")
	}
}

func TestZipCacheRemembersContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.zip")
	writeTestZip(t, path, []zipEntry{{"12345678/a", "a"}}, time.Now(), flate.DefaultCompression)
	cache := &HashCache{scan: ScanZip}
	first, err := cache.HashFile(path)
	if err != nil || first.Content == "" {
		t.Fatalf("%+v %v", first, err)
	}
	again, _ := cache.HashFile(path)
	if again != first || cache.hashes.Load() != 1 {
		t.Fatalf("second lookup %+v after %d passes", again, cache.hashes.Load())
	}
}

// pseudoRandom returns n bytes that deflate cannot shrink much.
func pseudoRandom(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}

// FuzzScanZipDigest feeds hostile bytes to the one-read scan: it must never
// panic, and the SHA-256 it builds while archive/zip jumps around the file
// must always equal the plain SHA-256 of the bytes.
func FuzzScanZipDigest(f *testing.F) {
	var valid bytes.Buffer
	zw := zip.NewWriter(&valid)
	w, _ := zw.Create("12345678/www/index.html")
	_, _ = io.WriteString(w, "<html>fuzz</html>")
	_ = zw.Close()
	for _, seed := range [][]byte{valid.Bytes(), nil, []byte("PK\x03\x04"), []byte("PK\x05\x06" + strings.Repeat("\x00", 18))} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		hasher := &sequentialHasher{file: bytes.NewReader(data), sha256: sha256.New()}
		_, _ = zipContent(hasher, int64(len(data)))
		if err := hasher.finish(int64(len(data))); err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256(data)
		if got := hex.EncodeToString(hasher.sha256.Sum(nil)); got != hex.EncodeToString(want[:]) {
			t.Fatalf("sequential SHA-256 %s, want %x", got, want)
		}
	})
}
