package offlinepkg

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
)

// HashCacheDirEnv names the folder where the digest caches keep digests
// between provider processes (one subfolder per kind of digest); "off"
// keeps them in memory only, and each provider process hashes a file once.
// Unset or empty, HashCacheDir picks the default.
const HashCacheDirEnv = "MPAAS_HASH_CACHE_DIR"

// Terraform's data folder of a working directory, where HashCacheDir keeps
// digests by default.
const (
	terraformDataDirEnv     = "TF_DATA_DIR"
	terraformDataDirDefault = ".terraform"
	defaultDigestsFolder    = "mpaas-digests"
)

// HashCacheDir is the folder the digest caches keep digests in between
// provider processes, "" for none: HashCacheDirEnv when set ("off" for
// none); otherwise mpaas-digests in Terraform's data folder of the working
// directory (TF_DATA_DIR, default .terraform) when that folder exists, so
// that the plan and the apply of one run, two processes started in the same
// working directory, read each zip once between them (DESIGN.md section 4,
// "Caching").
func HashCacheDir() string {
	if dir, set := os.LookupEnv(HashCacheDirEnv); set && dir != "" {
		if dir == "off" {
			return ""
		}
		return dir
	}
	data := os.Getenv(terraformDataDirEnv)
	if data == "" {
		data = terraformDataDirDefault
	}
	abs, err := filepath.Abs(data)
	if err != nil {
		return ""
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return ""
	}
	return filepath.Join(abs, defaultDigestsFolder)
}

// diskCache keeps digests across provider processes, keyed by the file's
// absolute path and trusted only while the file's stamp (size, modification
// and change times, device, inode) is unchanged, so a no-op plan of a hundred
// packages reads none of them. One small JSON file per path; a damaged or
// stale entry is simply a miss.
type diskCache struct {
	name string        // subfolder, one per kind of digest
	root func() string // the folder that holds the subfolders; "" or "off" for none
	once sync.Once
	dir  string // resolved from root on first use; "" when disabled
}

type diskEntry struct {
	Stamp   FileStamp `json:"stamp"`
	SHA256  string    `json:"sha256"`
	Content string    `json:"content,omitempty"`
}

// folder returns the folder of this kind of digest, "" when there is none.
func (c *diskCache) folder() string {
	if c == nil {
		return ""
	}
	c.once.Do(func() {
		if root := c.root(); root != "" && root != "off" {
			c.dir = filepath.Join(root, c.name)
		}
	})
	return c.dir
}

func (c *diskCache) entryPath(abs string) string {
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(c.folder(), hex.EncodeToString(sum[:16])+".json")
}

// load returns the digest kept for this exact file version.
func (c *diskCache) load(stamp FileStamp) (Digest, bool) {
	if c.folder() == "" || !stamp.Trustworthy() {
		return Digest{}, false
	}
	raw, err := os.ReadFile(c.entryPath(stamp.Path))
	if err != nil {
		return Digest{}, false
	}
	var entry diskEntry
	if json.Unmarshal(raw, &entry) != nil || entry.Stamp != stamp || len(entry.SHA256) != 64 {
		return Digest{}, false
	}
	return Digest{SHA256: entry.SHA256, Size: stamp.Size, Content: entry.Content}, true
}

// store keeps the digest of this file version; failures are ignored (the
// cache is an optimisation, never a requirement).
func (c *diskCache) store(stamp FileStamp, digest Digest) {
	if c.folder() == "" || !stamp.Trustworthy() {
		return
	}
	raw, err := json.Marshal(diskEntry{Stamp: stamp, SHA256: digest.SHA256, Content: digest.Content})
	if err != nil || os.MkdirAll(c.folder(), 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(c.folder(), ".entry-*")
	if err != nil {
		return
	}
	_, writeErr := tmp.Write(raw)
	closeErr := tmp.Close()
	if writeErr != nil || closeErr != nil || os.Rename(tmp.Name(), c.entryPath(stamp.Path)) != nil {
		_ = os.Remove(tmp.Name())
	}
}
