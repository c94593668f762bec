package offlinepkg

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// HashCache remembers file digests so a file that is unchanged since it was
// last hashed is not read again. Every entry is keyed by the file's
// FileStamp (absolute path, size, modification and change times, device,
// inode): a rewrite or a replacement by rename misses it.
//
// In memory, for the life of the process, a plan that mentions the same file
// several times hashes it once; the cache keeps at most one entry per path,
// reused only while the whole stamp is equal. On disk (see NewDigestCaches),
// the digests outlive the process, so later plans need not read the file;
// that part needs a Trustworthy stamp. (A rewrite that keeps size and both
// times cannot be seen; the upload re-hashes the bytes it sends and catches
// that case.)
//
// It is safe for concurrent use; concurrent requests for the same unchanged
// file wait for one hashing pass. The zero value is ready to use: memory
// only, plain SHA-256 of the bytes.
type HashCache struct {
	mu       sync.Mutex
	entries  map[string]*cacheEntry         // by FileStamp.Path; used only when the entry's stamp is equal
	hashes   atomic.Int64                   // hashing passes, for tests
	recalled atomic.Int64                   // digests taken from disk, for tests
	disk     *diskCache                     // digests kept between processes; nil for none
	scan     func(*os.File) (Digest, error) // nil: the SHA-256 of the bytes
}

type cacheEntry struct {
	stamp  FileStamp
	done   chan struct{}
	digest Digest
	err    error
}

// DigestCaches are the two digest caches one provider instance uses.
type DigestCaches struct {
	Files *HashCache // plain SHA-256 of files (the files of a source_dir)
	Zips  *HashCache // ScanZip of zips: SHA-256 and content digest from one read
}

// Subfolders of the disk cache folder, one per kind of digest.
const (
	fileDigestsFolder = "sha256"
	zipDigestsFolder  = "zip-v1"
)

// NewDigestCaches returns empty caches. With diskDir naming a folder they
// also keep digests there between processes (one subfolder per kind of
// digest, created on first use); "" or "off" keeps them in memory only.
func NewDigestCaches(diskDir string) DigestCaches {
	return newDigestCaches(func() string { return diskDir })
}

// newDigestCaches builds caches whose disk folder root names, asked once on
// first use.
func newDigestCaches(root func() string) DigestCaches {
	return DigestCaches{
		Files: &HashCache{disk: &diskCache{name: fileDigestsFolder, root: root}},
		Zips:  &HashCache{disk: &diskCache{name: zipDigestsFolder, root: root}, scan: ScanZip},
	}
}

// defaultCaches ask HashCacheDir when first used, not at start-up, so a
// test's TestMain can still set HashCacheDirEnv.
var defaultCaches = newDigestCaches(HashCacheDir)

// DefaultHashCache is the process-wide cache of plain file digests (the
// files of a source_dir). It keeps them on disk between provider runs in
// HashCacheDir.
var DefaultHashCache = defaultCaches.Files

// DefaultZipCache is the process-wide cache of ScanZip results: a zip's
// SHA-256 and content digest, from one read of the file. It keeps them on
// disk between provider runs in HashCacheDir.
var DefaultZipCache = defaultCaches.Zips

// DefaultDigestCaches returns DefaultHashCache and DefaultZipCache as a pair,
// for code that has no caches of its own (such as a provider not yet
// configured).
func DefaultDigestCaches() DigestCaches {
	return DigestCaches{Files: DefaultHashCache, Zips: DefaultZipCache}
}

// errChangedWhileHashing reports a file modified during its hashing pass.
var errChangedWhileHashing = errors.New("changed while it was being hashed; try again once it is no longer being written")

// HashFile returns the digest of the file at path, from the cache when the
// file is unchanged since it was last hashed.
func (c *HashCache) HashFile(path string) (Digest, error) {
	stamp, mode, err := statStamp(path)
	if err != nil {
		return Digest{}, err
	}
	if !mode.IsRegular() {
		return Digest{}, fmt.Errorf("%s is not a regular file", path)
	}

	c.mu.Lock()
	if c.entries == nil {
		c.entries = make(map[string]*cacheEntry)
	}
	if e, ok := c.entries[stamp.Path]; ok && e.stamp == stamp {
		c.mu.Unlock()
		<-e.done
		return e.digest, e.err
	}
	e := &cacheEntry{stamp: stamp, done: make(chan struct{})}
	c.entries[stamp.Path] = e
	c.mu.Unlock()

	e.digest, e.err = c.recallOrHash(stamp)
	if e.err != nil {
		e.digest = Digest{}
		c.mu.Lock()
		if c.entries[stamp.Path] == e {
			delete(c.entries, stamp.Path) // never cache a failure
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.digest, e.err
}

// recallOrHash takes the digest kept on disk for this file version, or
// hashes the file and keeps the result.
func (c *HashCache) recallOrHash(stamp FileStamp) (Digest, error) {
	if digest, ok := c.disk.load(stamp); ok {
		c.recalled.Add(1)
		return digest, nil
	}
	c.hashes.Add(1)
	digest, err := c.scanUnchanged(stamp)
	if err == nil {
		c.disk.store(stamp, digest)
	}
	return digest, err
}

// scanUnchanged hashes the file and fails unless the opened file has the
// given stamp before and after the pass, so a digest always belongs to its
// stamp.
func (c *HashCache) scanUnchanged(stamp FileStamp) (Digest, error) {
	f, err := os.Open(stamp.Path)
	if err != nil {
		return Digest{}, err
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return Digest{}, err
	}
	var d Digest
	if c.scan != nil {
		d, err = c.scan(f)
	} else {
		d, err = hashReader(f)
	}
	if err != nil {
		return Digest{}, err
	}
	after, err := f.Stat()
	if err != nil {
		return Digest{}, err
	}
	if stampOf(stamp.Path, before) != stamp || stampOf(stamp.Path, after) != stamp || d.Size != stamp.Size {
		return Digest{}, fmt.Errorf("%s %w", stamp.Path, errChangedWhileHashing)
	}
	return d, nil
}
