package offlinepkg

import (
	"crypto/md5" //nolint:gosec // MD5 only matches the Md5 the mPaaS API reports; SHA-256 is the integrity check.
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"os"
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
	MD5     string // lowercase hex, from NewUploadHashingReader only; "" otherwise
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
	md5    hash.Hash // nil unless NewUploadHashingReader
	n      int64
}

// NewHashingReader wraps r.
func NewHashingReader(r io.Reader) *HashingReader {
	return &HashingReader{r: r, sha256: sha256.New()}
}

// NewUploadHashingReader wraps r and also computes the MD5 of what it reads:
// the digest mPaaS reports for an uploaded package, known this way without
// reading the file again or asking the service.
func NewUploadHashingReader(r io.Reader) *HashingReader {
	return &HashingReader{r: r, sha256: sha256.New(), md5: md5.New()} //nolint:gosec // see MD5File
}

// Read implements io.Reader.
func (hr *HashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	if n > 0 {
		hr.sha256.Write(p[:n]) // hash.Hash.Write never fails
		if hr.md5 != nil {
			hr.md5.Write(p[:n])
		}
		hr.n += int64(n)
	}
	return n, err
}

// Digest returns the hash and count of the bytes read so far. It does not
// disturb the running hash, so it may be called at any point.
func (hr *HashingReader) Digest() Digest {
	d := Digest{SHA256: hex.EncodeToString(hr.sha256.Sum(nil)), Size: hr.n}
	if hr.md5 != nil {
		d.MD5 = hex.EncodeToString(hr.md5.Sum(nil))
	}
	return d
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
