package offlinepkg

import (
	"crypto/md5" //nolint:gosec // MD5 only matches the Md5 the mPaaS API reports; SHA-256 is the integrity check.
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
)

// hashBufferSize is the read buffer used while hashing: memory stays flat
// whatever the file size (well under the 1 MiB budget).
const hashBufferSize = 256 << 10

// Digest identifies a file: the SHA-256 of its bytes and its length and, for
// a zip scanned by ScanZip, its content digest (see ContentDigest).
type Digest struct {
	SHA256  string // lowercase hex, 64 characters
	Size    int64  // bytes
	Content string // lowercase hex; "" for a plain file or a zip that cannot be read
}

// HashFile streams the file at path through SHA-256 without holding it in
// memory.
func HashFile(path string) (Digest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Digest{}, err
	}
	defer f.Close()
	return hashReader(f)
}

func hashReader(r io.Reader) (Digest, error) {
	h := NewHashingReader(r)
	buf := make([]byte, hashBufferSize)
	// io.Discard has no ReaderFrom that would bypass our buffer; wrapping h in
	// a bare io.Reader keeps any WriterTo of the underlying reader out of play.
	if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{h}, buf); err != nil {
		return Digest{}, err
	}
	return h.Digest(), nil
}

// HashingReader passes reads through while hashing and counting the bytes, so
// a file can be uploaded and hashed in one pass.
type HashingReader struct {
	r      io.Reader
	sha256 hash.Hash
	n      int64
}

// NewHashingReader wraps r.
func NewHashingReader(r io.Reader) *HashingReader {
	return &HashingReader{r: r, sha256: sha256.New()}
}

// Read implements io.Reader.
func (hr *HashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	if n > 0 {
		hr.sha256.Write(p[:n]) // hash.Hash.Write never fails
		hr.n += int64(n)
	}
	return n, err
}

// Digest returns the hash and count of the bytes read so far. It does not
// disturb the running hash, so it may be called at any point.
func (hr *HashingReader) Digest() Digest {
	return Digest{SHA256: hex.EncodeToString(hr.sha256.Sum(nil)), Size: hr.n}
}

// MD5File streams the file at path through MD5. The mPaaS API reports a
// package's MD5, so it is what recognises a registered package's file (after
// an import or an interrupted apply); it is computed only then, as it costs
// twice what SHA-256 does. It is not a security measure.
func MD5File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := md5.New() //nolint:gosec // see above
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, make([]byte, hashBufferSize)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// HashCache remembers file digests for the life of the process so a plan that
// mentions the same file several times (or plan followed by apply in one
// provider process) hashes it once. An entry is reused only while the file's
// absolute path, size, modification time (nanoseconds) and, where the
// platform reports one, device and inode number are unchanged; a rewrite or a
// replacement by rename therefore misses the cache. (A rewrite that keeps the
// same size within the file system's timestamp granularity cannot be seen;
// the upload re-hashes the bytes it sends and catches that case.)
//
// It is safe for concurrent use; concurrent requests for the same unchanged
// file wait for one hashing pass. The zero value is ready to use. It keeps at
// most one entry per path.
type HashCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry         // by absolute path
	hashes  atomic.Int64                   // hashing passes started, for tests
	disk    *diskCache                     // digests kept between processes; nil for none
	scan    func(*os.File) (Digest, error) // nil: the SHA-256 of the bytes
}

// DefaultHashCache is the process-wide cache of plain file digests (the
// files of a source_dir). It also keeps digests on disk between provider
// runs (see HashCacheDirEnv).
var DefaultHashCache = &HashCache{disk: &diskCache{name: "sha256"}}

// DefaultZipCache is the process-wide cache of ScanZip results: a zip's
// SHA-256 and content digest, from one read of the file.
var DefaultZipCache = &HashCache{disk: &diskCache{name: "zip-v1"}, scan: ScanZip}

type fileKey struct {
	size    int64
	mtimeNs int64
	dev     uint64
	ino     uint64
	hasIno  bool
}

type cacheEntry struct {
	key    fileKey
	done   chan struct{}
	digest Digest
	err    error
}

// errChangedWhileHashing reports a file modified during its hashing pass.
var errChangedWhileHashing = errors.New("changed while it was being hashed; try again once it is no longer being written")

// HashFile returns the digest of the file at path, from the cache when the
// file is unchanged since it was last hashed.
func (c *HashCache) HashFile(path string) (Digest, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Digest{}, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return Digest{}, err
	}
	if !fi.Mode().IsRegular() {
		return Digest{}, fmt.Errorf("%s is not a regular file", path)
	}
	key := keyOf(fi)

	c.mu.Lock()
	if c.entries == nil {
		c.entries = make(map[string]*cacheEntry)
	}
	if e, ok := c.entries[abs]; ok && e.key == key {
		c.mu.Unlock()
		<-e.done
		return e.digest, e.err
	}
	e := &cacheEntry{key: key, done: make(chan struct{})}
	c.entries[abs] = e
	c.mu.Unlock()

	e.digest, e.err = c.hashOrRecall(abs, key)
	if e.err != nil {
		e.digest = Digest{}
		c.mu.Lock()
		if c.entries[abs] == e {
			delete(c.entries, abs) // never cache a failure
		}
		c.mu.Unlock()
	}
	close(e.done)
	return e.digest, e.err
}

// hashOrRecall takes the digest kept on disk for this file version, or
// hashes the file and keeps the result when the file did not change meanwhile.
func (c *HashCache) hashOrRecall(abs string, key fileKey) (Digest, error) {
	before, stampErr := StampFile(abs)
	if stampErr == nil {
		if digest, ok := c.disk.load(before); ok {
			return digest, nil
		}
	}
	c.hashes.Add(1)
	digest, err := c.scanUnchanged(abs, key)
	if err == nil && stampErr == nil {
		if after, err := StampFile(abs); err == nil && after == before {
			c.disk.store(before, digest)
		}
	}
	return digest, err
}

// scanUnchanged hashes the file and fails if it does not match key before
// and after the pass, so a cached digest always belongs to its key.
func (c *HashCache) scanUnchanged(abs string, key fileKey) (Digest, error) {
	f, err := os.Open(abs)
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
	if keyOf(before) != key || keyOf(after) != key || d.Size != key.size {
		return Digest{}, fmt.Errorf("%s %w", abs, errChangedWhileHashing)
	}
	return d, nil
}

func keyOf(fi os.FileInfo) fileKey {
	k := fileKey{size: fi.Size(), mtimeNs: fi.ModTime().UnixNano()}
	k.dev, k.ino, k.hasIno = fileIdentity(fi.Sys())
	return k
}

// fileIdentity reads Dev and Ino from the platform's stat structure
// (*syscall.Stat_t on Unix-like systems) by reflection, which compiles on
// every platform without build tags; where there is no such structure (for
// example Windows) the key falls back to path, size and mtime.
func fileIdentity(sys any) (dev, ino uint64, ok bool) {
	v := reflect.ValueOf(sys)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return 0, 0, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return 0, 0, false
	}
	ino, ok = uintField(v, "Ino")
	if !ok {
		return 0, 0, false
	}
	dev, _ = uintField(v, "Dev")
	return dev, ino, true
}

func uintField(v reflect.Value, name string) (uint64, bool) {
	f := v.FieldByName(name)
	if !f.IsValid() {
		return 0, false
	}
	switch f.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return f.Uint(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return uint64(f.Int()), true
	}
	return 0, false
}
