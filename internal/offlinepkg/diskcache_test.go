package offlinepkg

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestDiskCacheSkipsHashingAcrossProcesses(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("stamps are trusted only where the change time is read")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "pkg.zip")
	if err := os.WriteFile(path, []byte("first content"), 0o644); err != nil {
		t.Fatal(err)
	}
	cacheDir := filepath.Join(dir, "cache")
	first := &HashCache{disk: &diskCache{dir: cacheDir}}
	first.disk.once.Do(func() {})
	want, err := first.HashFile(path)
	if err != nil || first.hashes.Load() != 1 {
		t.Fatalf("first hash: %v, %d passes", err, first.hashes.Load())
	}
	// A new process (a new HashCache) recalls the digest without reading the file.
	second := &HashCache{disk: first.disk}
	got, err := second.HashFile(path)
	if err != nil || got != want || second.hashes.Load() != 0 {
		t.Fatalf("second process: %+v, %v, %d passes; want %+v from disk", got, err, second.hashes.Load(), want)
	}
	// Any write invalidates the entry.
	if err := os.WriteFile(path, []byte("other content"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := &HashCache{disk: first.disk}
	changed, err := third.HashFile(path)
	if err != nil || changed == want || third.hashes.Load() != 1 {
		t.Fatalf("after a write: %+v, %v, %d passes", changed, err, third.hashes.Load())
	}
	entries, _ := os.ReadDir(cacheDir)
	if len(entries) != 1 {
		t.Fatalf("one entry per path, found %d", len(entries))
	}
	if info, err := os.Stat(cacheDir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("cache folder mode %v, %v", info.Mode().Perm(), err)
	}
}

func TestDiskCacheOffAndDamagedEntries(t *testing.T) {
	t.Setenv(HashCacheDirEnv, "off")
	off := &diskCache{}
	if off.folder() != "" {
		t.Fatal("off must disable the disk cache")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "pkg.zip")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := &diskCache{dir: filepath.Join(dir, "cache")}
	cache.once.Do(func() {})
	stamp, _ := StampFile(path)
	if err := os.MkdirAll(cache.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache.entryPath(stamp.Path), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := cache.load(stamp); ok {
		t.Fatal("a damaged entry must be a miss")
	}
}
