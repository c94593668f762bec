package offlinepkg

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestStampChangesWithEveryWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.zip")
	if err := os.WriteFile(path, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	first, err := StampFile(path)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := StampFile(path)
	if first != again {
		t.Fatalf("an untouched file must keep its stamp: %+v vs %+v", first, again)
	}
	if runtime.GOOS == "linux" && !first.Trustworthy() {
		t.Fatal("linux stamps carry a change time")
	}
	// Same size, and the modification time put back: the change time still moves.
	time.Sleep(10 * time.Millisecond)
	if err := os.WriteFile(path, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Unix(0, first.MtimeNs)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	changed, _ := StampFile(path)
	if changed == first {
		t.Fatalf("a rewrite with the mtime restored must change the stamp: %+v", changed)
	}
	if _, err := StampFile(filepath.Join(t.TempDir(), "missing.zip")); err == nil {
		t.Fatal("a missing file has no stamp")
	}
}
