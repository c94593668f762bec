package offlinepkg

import (
	"archive/zip"
	"compress/flate"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScanZipEntryCapAgreesWithInspect: a zip with exactly
// DefaultLimits.MaxEntries entries is allowed by Inspect, so ScanZip must
// give it a content digest (without one the plan fails with R9); one entry
// more is a zip bomb to both.
func TestScanZipEntryCapAgreesWithInspect(t *testing.T) {
	if testing.Short() {
		t.Skip("builds zips of 20,000 entries")
	}
	for _, tc := range []struct {
		entries     int
		wantContent bool
	}{{DefaultLimits.MaxEntries, true}, {DefaultLimits.MaxEntries + 1, false}} {
		path := filepath.Join(t.TempDir(), "many.zip")
		file, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := zip.NewWriter(file)
		for i := range tc.entries {
			if _, err := w.CreateHeader(&zip.FileHeader{Name: testID + "/" + strconv.Itoa(i), Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := file.Close(); err != nil {
			t.Fatal(err)
		}
		_, violations, err := InspectFile(path, InspectOptions{H5AppID: testID})
		if err != nil {
			t.Fatal(err)
		}
		if got := scanPath(t, path).Content != ""; got != tc.wantContent || (len(violations) == 0) != tc.wantContent {
			t.Fatalf("%d entries: content digest %v, violations %v; want a digest and no violation: %v", tc.entries, got, violations, tc.wantContent)
		}
	}
}

// TestScanZipWithInsecurePathsHasContent: with GODEBUG=zipinsecurepath=0 (a
// future Go default), archive/zip answers a zip holding a name outside its root ("../evil.sh") with
// ErrInsecurePath and a usable reader. ScanZip still gives the content
// digest; Inspect is what refuses such a zip, naming the entry.
func TestScanZipWithInsecurePathsHasContent(t *testing.T) {
	t.Setenv("GODEBUG", "zipinsecurepath=0")
	path := filepath.Join(t.TempDir(), "slip.zip")
	writeTestZip(t, path, []zipEntry{{testID + "/www/index.html", "ok"}, {"../evil.sh", "x"}}, time.Time{}, 0)
	if scanPath(t, path).Content == "" {
		t.Fatal("no content digest for a zip with an insecure path")
	}
	_, violations, err := InspectFile(path, InspectOptions{H5AppID: testID})
	if err != nil || len(violations) == 0 {
		t.Fatalf("Inspect = %v, %v; want the insecure path refused", violations, err)
	}
}

// TestScanZipRatioCapStartsAboveTheFloor: the compression ratio cap applies
// only above ratioFloor uncompressed bytes, in ScanZip as in Inspect. Small
// files that compress well (JSON, padding, a blank image) are common; up to
// and including the floor they keep their content digest however well they
// compress, one byte more at the same ratio is a zip bomb to both.
func TestScanZipRatioCapStartsAboveTheFloor(t *testing.T) {
	for _, tc := range []struct {
		size        int
		wantContent bool
	}{{64 << 10, true}, {ratioFloor, true}, {ratioFloor + 1, false}} {
		path := filepath.Join(t.TempDir(), "zeros.zip")
		writeTestZip(t, path, []zipEntry{{testID + "/www/zeros.bin", string(make([]byte, tc.size))}}, time.Time{}, flate.BestCompression)
		_, violations, err := InspectFile(path, InspectOptions{H5AppID: testID})
		if err != nil {
			t.Fatal(err)
		}
		if got := scanPath(t, path).Content != ""; got != tc.wantContent || (len(violations) == 0) != tc.wantContent {
			t.Fatalf("%d zero bytes: content digest %v, violations %v; want a digest and no violation: %v", tc.size, got, violations, tc.wantContent)
		}
	}
}

// TestSequentialHasherFinishRefusesAShortFile: a file that ends before the
// size taken from Stat (it shrank while it was read) is an error, never the
// SHA-256 of fewer bytes.
func TestSequentialHasherFinishRefusesAShortFile(t *testing.T) {
	s := &sequentialHasher{file: strings.NewReader("only ten b"), sha256: sha256.New()}
	if err := s.finish(20); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("finish(20) over 10 bytes = %v, want io.ErrUnexpectedEOF", err)
	}
	whole := &sequentialHasher{file: strings.NewReader("only ten b"), sha256: sha256.New()}
	if err := whole.finish(10); err != nil || whole.hashed != 10 {
		t.Fatalf("finish(10) over 10 bytes = %v after %d bytes", err, whole.hashed)
	}
}
