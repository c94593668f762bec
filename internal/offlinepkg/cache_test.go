package offlinepkg

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestHashCache(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "a.zip", []byte("first version"))
	c := &HashCache{}

	// Many concurrent callers, one hashing pass.
	var wg sync.WaitGroup
	digests := make([]Digest, 64)
	for i := range digests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := c.HashFile(p)
			if err != nil {
				t.Error(err)
			}
			digests[i] = d
		}()
	}
	wg.Wait()
	for _, d := range digests {
		if d.SHA256 != sum([]byte("first version")) || d.Size != 13 {
			t.Fatalf("digest = %+v", d)
		}
	}
	if n := c.hashes.Load(); n != 1 {
		t.Fatalf("hashed %d times, want 1", n)
	}

	// A relative path to the same file shares the entry.
	wd, _ := os.Getwd()
	if rel, err := filepath.Rel(wd, p); err == nil {
		if _, err := c.HashFile(rel); err != nil {
			t.Fatal(err)
		}
		if n := c.hashes.Load(); n != 1 {
			t.Fatalf("relative path re-hashed: %d", n)
		}
	}

	// A change of size re-hashes.
	writeFile(t, dir, "a.zip", []byte("second, longer version"))
	if d, _ := c.HashFile(p); d.SHA256 != sum([]byte("second, longer version")) {
		t.Fatalf("stale digest after size change: %+v", d)
	}
	if n := c.hashes.Load(); n != 2 {
		t.Fatalf("hashed %d times, want 2", n)
	}

	// Same size, new content and mtime re-hashes.
	writeFile(t, dir, "a.zip", []byte("SECOND, LONGER VERSION"))
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, future, future); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.HashFile(p); d.SHA256 != sum([]byte("SECOND, LONGER VERSION")) {
		t.Fatalf("stale digest after mtime change: %+v", d)
	}
	if n := c.hashes.Load(); n != 3 {
		t.Fatalf("hashed %d times, want 3", n)
	}

	// Replaced by rename with the same size and mtime: the inode and change
	// time differ where the platform reports them.
	other := writeFile(t, dir, "b.zip", []byte("SECOND, LONGER VERSIOX"))
	if err := os.Chtimes(other, future, future); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, p); err != nil {
		t.Fatal(err)
	}
	if stamp, _ := StampFile(p); stamp.Trustworthy() {
		if d, _ := c.HashFile(p); d.SHA256 != sum([]byte("SECOND, LONGER VERSIOX")) {
			t.Fatalf("stale digest after rename: %+v", d)
		}
	}

	// Errors are returned and not cached.
	missing := filepath.Join(dir, "missing.zip")
	if _, err := c.HashFile(missing); !os.IsNotExist(err) {
		t.Fatalf("missing: %v", err)
	}
	writeFile(t, dir, "missing.zip", []byte("now here"))
	if d, err := c.HashFile(missing); err != nil || d.Size != 8 {
		t.Fatalf("after creation: %+v %v", d, err)
	}
	if _, err := c.HashFile(dir); err == nil {
		t.Fatal("directory: no error")
	}
	if d := DefaultDigestCaches(); d.Files != DefaultHashCache || d.Zips != DefaultZipCache || d.Files.scan != nil || d.Zips.scan == nil {
		t.Fatalf("DefaultDigestCaches = %+v: plain files, then zips", d)
	}
}

func TestHashCacheCountsHitsByStamp(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "a.zip", []byte("one"))
	other := writeFile(t, dir, "b.zip", []byte("one"))
	c := &HashCache{}
	hashEach := func(paths ...string) {
		t.Helper()
		for _, p := range paths {
			if _, err := c.HashFile(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := func(step string, passes int64) {
		t.Helper()
		if got := c.hashes.Load(); got != passes {
			t.Fatalf("%s: %d hashing passes, want %d", step, got, passes)
		}
	}

	hashEach(path, path, path)
	want("three lookups of one file", 1)
	hashEach(other, other, path)
	want("the same bytes under another path", 2)

	// A touch that changes nothing but the modification time is a miss.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	hashEach(path, path)
	want("after a touch", 3)

	if stamp, _ := StampFile(path); !stamp.Trustworthy() {
		return // without a change time, the rewrite below cannot be seen
	}
	// Rewritten with the same size and the modification time put back: the
	// change time makes it a miss.
	pauseForTimestamps()
	writeFile(t, dir, "a.zip", []byte("two"))
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.HashFile(path); d.SHA256 != sum([]byte("two")) {
		t.Fatalf("stale digest after a rewrite with the mtime restored: %+v", d)
	}
	hashEach(path)
	want("after a rewrite with the mtime restored", 4)
	if len(c.entries) != 2 {
		t.Fatalf("one entry per path, found %d", len(c.entries))
	}
}
