package offlinepkg

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// requireTrustworthyStamps skips where the platform reports no change time:
// there the disk cache is never used.
func requireTrustworthyStamps(t *testing.T, path string) {
	t.Helper()
	if stamp, err := StampFile(path); err != nil || !stamp.Trustworthy() {
		t.Skip("stamps are trusted only where the change time is read")
	}
}

// hashBoth hashes a plain file through caches.Files and a zip through
// caches.Zips.
func hashBoth(t *testing.T, caches DigestCaches, file, zip string) (Digest, Digest) {
	t.Helper()
	fileDigest, err := caches.Files.HashFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zipDigest, err := caches.Zips.HashFile(zip)
	if err != nil {
		t.Fatal(err)
	}
	return fileDigest, zipDigest
}

func passes(caches DigestCaches) (hashed, recalled int64) {
	return caches.Files.hashes.Load() + caches.Zips.hashes.Load(), caches.Files.recalled.Load() + caches.Zips.recalled.Load()
}

// filesUnder lists every file below dir.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			found = append(found, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestDiskCacheSkipsHashingAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "index.html", []byte("first content"))
	zipPath := writeFile(t, dir, "12345678.zip", zipBytes(t, f("12345678/www/index.html")))
	requireTrustworthyStamps(t, path)
	cacheDir := filepath.Join(dir, "cache")

	first := NewDigestCaches(cacheDir)
	wantFile, wantZip := hashBoth(t, first, path, zipPath)
	if hashed, recalled := passes(first); hashed != 2 || recalled != 0 {
		t.Fatalf("first process: %d passes, %d recalled; want 2, 0", hashed, recalled)
	}
	// A new process (new caches) recalls both digests without reading the files.
	second := NewDigestCaches(cacheDir)
	gotFile, gotZip := hashBoth(t, second, path, zipPath)
	if gotFile != wantFile || gotZip != wantZip || gotZip.Content == "" {
		t.Fatalf("second process: %+v %+v; want %+v %+v", gotFile, gotZip, wantFile, wantZip)
	}
	if hashed, recalled := passes(second); hashed != 0 || recalled != 2 {
		t.Fatalf("second process: %d passes, %d recalled; want 0, 2", hashed, recalled)
	}
	// Any write invalidates the entry.
	writeFile(t, dir, "index.html", []byte("other content"))
	third := NewDigestCaches(cacheDir)
	changed, err := third.Files.HashFile(path)
	if err != nil || changed == wantFile || third.Files.hashes.Load() != 1 || third.Files.recalled.Load() != 0 {
		t.Fatalf("after a write: %+v, %v, %d passes", changed, err, third.Files.hashes.Load())
	}
	for _, kind := range []string{fileDigestsFolder, zipDigestsFolder} {
		if entries, _ := os.ReadDir(filepath.Join(cacheDir, kind)); len(entries) != 1 {
			t.Fatalf("%s: one entry per path, found %d", kind, len(entries))
		}
		if info, err := os.Stat(filepath.Join(cacheDir, kind)); err != nil || info.Mode().Perm() != 0o700 {
			t.Fatalf("%s: folder mode %v, %v", kind, info.Mode().Perm(), err)
		}
	}
}

// Without the variable and outside a Terraform working directory (no
// .terraform folder), or with "off", nothing is kept on disk.
func TestDiskCacheIsOffOutsideAWorkingDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("TF_DATA_DIR", "")
	dir := t.TempDir()
	path := writeFile(t, dir, "index.html", []byte("content"))
	zipPath := writeFile(t, dir, "12345678.zip", zipBytes(t, f("12345678/www/index.html")))
	home, xdg, appData := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", xdg)
	t.Setenv("LocalAppData", appData)

	for _, value := range []string{"unset", "", "off"} {
		t.Setenv(HashCacheDirEnv, value)
		if value == "unset" {
			_ = os.Unsetenv(HashCacheDirEnv) // t.Setenv restores it afterwards
		}
		// Two processes: the second hashes again, as nothing was kept.
		for process := range 2 {
			caches := newDigestCaches(HashCacheDir)
			hashBoth(t, caches, path, zipPath)
			hashBoth(t, caches, path, zipPath)
			if hashed, recalled := passes(caches); hashed != 2 || recalled != 0 {
				t.Fatalf("%s=%q, process %d: %d passes, %d recalled; want 2 (memory only), 0", HashCacheDirEnv, value, process, hashed, recalled)
			}
		}
		for _, cacheHome := range []string{home, xdg, appData} {
			if found := filesUnder(t, cacheHome); len(found) > 0 {
				t.Fatalf("%s=%q wrote to the user's cache: %v", HashCacheDirEnv, value, found)
			}
		}
		if found := filesUnder(t, dir); len(found) != 2 {
			t.Fatalf("%s=%q wrote beside the files: %v", HashCacheDirEnv, value, found)
		}
	}
	for _, off := range []string{"", "off"} {
		if caches := NewDigestCaches(off); caches.Files.disk.folder() != "" || caches.Zips.disk.folder() != "" {
			t.Fatalf("NewDigestCaches(%q) has a disk folder", off)
		}
	}
}

// In a Terraform working directory the digests are kept in its data folder
// (.terraform, or TF_DATA_DIR), so that the apply recalls what the plan read;
// "off" still turns that off.
func TestDiskCacheDefaultsToTheTerraformDataFolder(t *testing.T) {
	work := t.TempDir()
	t.Chdir(work)
	dir := t.TempDir()
	path := writeFile(t, dir, "index.html", []byte("content"))
	zipPath := writeFile(t, dir, "12345678.zip", zipBytes(t, f("12345678/www/index.html")))
	requireTrustworthyStamps(t, path)
	t.Setenv(HashCacheDirEnv, "")
	for _, data := range []string{"", "custom-data"} {
		t.Setenv("TF_DATA_DIR", data)
		folder := filepath.Join(work, ".terraform")
		if data != "" {
			folder = filepath.Join(work, data)
		}
		if got := HashCacheDir(); got != "" {
			t.Fatalf("TF_DATA_DIR=%q: %q before the data folder exists, want none", data, got)
		}
		if err := os.Mkdir(folder, 0o755); err != nil {
			t.Fatal(err)
		}
		if got, want := HashCacheDir(), filepath.Join(folder, "mpaas-digests"); got != want {
			t.Fatalf("TF_DATA_DIR=%q: HashCacheDir() = %q, want %q", data, got, want)
		}
		plan := newDigestCaches(HashCacheDir)
		hashBoth(t, plan, path, zipPath)
		apply := newDigestCaches(HashCacheDir)
		hashBoth(t, apply, path, zipPath)
		if hashed, recalled := passes(apply); hashed != 0 || recalled != 2 {
			t.Fatalf("TF_DATA_DIR=%q: the second process made %d passes and recalled %d; want 0 and 2", data, hashed, recalled)
		}
		t.Setenv(HashCacheDirEnv, "off")
		if got := HashCacheDir(); got != "" {
			t.Fatalf("%s=off: %q", HashCacheDirEnv, got)
		}
		t.Setenv(HashCacheDirEnv, "")
	}
}

func TestDiskCacheOnWithTheVariable(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "index.html", []byte("content"))
	zipPath := writeFile(t, dir, "12345678.zip", zipBytes(t, f("12345678/www/index.html")))
	requireTrustworthyStamps(t, path)
	cacheDir := filepath.Join(t.TempDir(), "digests")
	t.Setenv(HashCacheDirEnv, cacheDir)

	// The defaults read the variable, when first used.
	if DefaultHashCache.disk.root() != cacheDir || DefaultZipCache.disk.root() != cacheDir {
		t.Fatal("DefaultHashCache and DefaultZipCache must take their folder from " + HashCacheDirEnv)
	}
	first := newDigestCaches(HashCacheDir)
	wantFile, wantZip := hashBoth(t, first, path, zipPath)
	if found := filesUnder(t, cacheDir); len(found) != 2 {
		t.Fatalf("want one entry per kind of digest under %s, found %v", cacheDir, found)
	}
	second := newDigestCaches(HashCacheDir)
	gotFile, gotZip := hashBoth(t, second, path, zipPath)
	if hashed, recalled := passes(second); gotFile != wantFile || gotZip != wantZip || hashed != 0 || recalled != 2 {
		t.Fatalf("second process: %+v %+v, %d passes, %d recalled", gotFile, gotZip, hashed, recalled)
	}
}

func TestDiskCacheDamagedEntries(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "pkg.zip", []byte("x"))
	cache := NewDigestCaches(filepath.Join(dir, "cache")).Zips.disk
	stamp, _ := StampFile(path)
	if err := os.MkdirAll(cache.folder(), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, damaged := range []string{"{not json", `{"stamp":{},"sha256":"00"}`} {
		if err := os.WriteFile(cache.entryPath(stamp.Path), []byte(damaged), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok := cache.load(stamp); ok {
			t.Fatalf("a damaged entry must be a miss: %s", damaged)
		}
	}
}
