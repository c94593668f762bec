package offlinepkg

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

// platformsWithChangeTime are the systems whose stamps carry a change time
// (stamp_ctim.go, stamp_ctimespec.go).
var platformsWithChangeTime = []string{"linux", "android", "openbsd", "dragonfly", "solaris", "illumos", "darwin", "ios", "freebsd", "netbsd"}

func mustStamp(t *testing.T, path string) FileStamp {
	t.Helper()
	stamp, err := StampFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return stamp
}

// pauseForTimestamps lets the clock that stamps change times move on.
func pauseForTimestamps() { time.Sleep(20 * time.Millisecond) }

func TestStampDescribesTheFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "a.zip", []byte("one"))
	stamp := mustStamp(t, path)
	info, _ := os.Stat(path)
	if stamp.Path != path || stamp.Size != 3 || stamp.MtimeNs != info.ModTime().UnixNano() {
		t.Fatalf("stamp %+v does not describe %s", stamp, path)
	}
	wd, _ := os.Getwd()
	if rel, err := filepath.Rel(wd, path); err == nil && mustStamp(t, rel) != stamp {
		t.Fatal("a relative path must give the absolute path's stamp")
	}
	withChangeTime := slices.Contains(platformsWithChangeTime, runtime.GOOS)
	if stamp.Trustworthy() != withChangeTime {
		t.Fatalf("Trustworthy() = %v on %s", stamp.Trustworthy(), runtime.GOOS)
	}
	if withChangeTime && stamp.Ino == 0 {
		t.Fatalf("no inode on %s: %+v", runtime.GOOS, stamp)
	}
	if _, err := StampFile(filepath.Join(dir, "missing.zip")); err == nil {
		t.Fatal("a missing file has no stamp")
	}
}

func TestStampChangesWithEveryWrite(t *testing.T) {
	path := writeFile(t, t.TempDir(), "a.zip", []byte("one"))
	first := mustStamp(t, path)
	if again := mustStamp(t, path); first != again {
		t.Fatalf("an untouched file must keep its stamp: %+v vs %+v", first, again)
	}
	if !first.Trustworthy() {
		t.Skip("no change time on this platform")
	}
	// Same size, and the modification time put back: the change time still moves.
	pauseForTimestamps()
	writeFile(t, filepath.Dir(path), "a.zip", []byte("two"))
	mtime := time.Unix(0, first.MtimeNs)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	changed := mustStamp(t, path)
	if changed == first || changed.MtimeNs != first.MtimeNs || changed.Ino != first.Ino {
		t.Fatalf("a rewrite with the mtime restored must change the change time only: %+v vs %+v", changed, first)
	}
}

func TestStampChangesWithTouchAndRename(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "a.zip", []byte("same"))
	first := mustStamp(t, path)

	// A touch to another time changes the modification time.
	later := time.Unix(0, first.MtimeNs).Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	touched := mustStamp(t, path)
	if touched.MtimeNs == first.MtimeNs || touched.Size != first.Size {
		t.Fatalf("touch: %+v vs %+v", touched, first)
	}

	// Moved: the same file under another path is another stamp.
	moved := filepath.Join(dir, "b.zip")
	if err := os.Rename(path, moved); err != nil {
		t.Fatal(err)
	}
	if stamp := mustStamp(t, moved); stamp.Path != moved || stamp.Size != touched.Size || stamp.MtimeNs != touched.MtimeNs || stamp.Ino != touched.Ino {
		t.Fatalf("moved: %+v, want %+v under %s", stamp, touched, moved)
	}

	// Replaced by rename with the same size and times: the inode and the
	// change time tell them apart.
	pauseForTimestamps()
	replacement := writeFile(t, dir, "c.zip", []byte("SAME"))
	if err := os.Chtimes(replacement, later, later); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(replacement, moved); err != nil {
		t.Fatal(err)
	}
	replaced := mustStamp(t, moved)
	if replaced.Size != touched.Size || replaced.MtimeNs != touched.MtimeNs {
		t.Fatalf("the replacement must keep size and mtime for this test: %+v vs %+v", replaced, touched)
	}
	if first.Trustworthy() && (replaced.Ino == touched.Ino || replaced.CtimeNs == touched.CtimeNs) {
		t.Fatalf("a replacement by rename must change inode and change time: %+v vs %+v", replaced, touched)
	}
}
