package offlinepkg

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sort"
)

// A package's content digest identifies what clients unpack, not the bytes
// of one zip: the SHA-256 of every file's name, size and SHA-256, sorted by
// name. Folder entries, timestamps, compression, entry order and comments do
// not count, so zipping the same files again (in a fresh CI checkout, with
// another tool or level) gives the same digest, and a folder (source_dir)
// gives the digest of the zip built from it.
const contentDigestPrefix = "mpaas-offline-package-content-v1\n"

// ContentEntry is one file of a package: its name inside the zip (such as
// "12345678/www/index.html"), its size and the hex SHA-256 of its bytes.
type ContentEntry struct {
	Name   string
	Size   int64
	SHA256 string
}

// ContentDigest is the content digest of entries, in any order.
func ContentDigest(entries []ContentEntry) string {
	sorted := append([]ContentEntry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Name != sorted[j].Name {
			return sorted[i].Name < sorted[j].Name
		}
		return sorted[i].SHA256 < sorted[j].SHA256
	})
	h := sha256.New()
	_, _ = io.WriteString(h, contentDigestPrefix)
	for _, e := range sorted {
		_, _ = fmt.Fprintf(h, "%s\x00%d\x00%s\n", e.Name, e.Size, e.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// errNotContent says why a zip has no content digest; the inspector reports
// the same problem to the user in its own words.
var errNotContent = errors.New("no content digest")

// ScanZip reads the zip at path once and returns its file digest (SHA-256
// and size of the bytes, what is uploaded) and, in Content, its content
// digest. Content is "" when the file is not a readable zip, declares more
// than the zip-bomb limits allow, or an entry fails its CRC: Inspect reports
// those problems.
func ScanZip(f *os.File) (Digest, error) {
	info, err := f.Stat()
	if err != nil {
		return Digest{}, err
	}
	reader := &sequentialHasher{file: f, sha256: sha256.New()}
	content, contentErr := zipContent(reader, info.Size())
	if err := reader.finish(info.Size()); err != nil {
		return Digest{}, err
	}
	digest := Digest{SHA256: hex.EncodeToString(reader.sha256.Sum(nil)), Size: info.Size()}
	if contentErr == nil {
		digest.Content = content
	}
	return digest, nil
}

// zipContent decompresses every file entry once and returns the content
// digest. archive/zip refuses an entry that inflates beyond its declared
// size or fails its CRC, and the declared total is capped first, so a zip
// bomb costs no more than DefaultLimits allows.
func zipContent(r io.ReaderAt, size int64) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return "", err
	}
	if len(zr.File) > DefaultLimits.MaxEntries {
		return "", errNotContent
	}
	var declared uint64
	for _, f := range zr.File {
		declared = addSat(declared, f.UncompressedSize64)
	}
	if declared > DefaultLimits.MaxUncompressedBytes ||
		declared > ratioFloor && float64(declared) > DefaultLimits.MaxCompressionRatio*float64(max(size, 1)) {
		return "", errNotContent // a zip bomb: Inspect reports it; nothing is inflated
	}
	entries := make([]ContentEntry, 0, len(zr.File))
	buf := make([]byte, hashBufferSize)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		entry, err := hashEntry(f, buf)
		if err != nil {
			return "", err
		}
		entries = append(entries, entry)
	}
	return ContentDigest(entries), nil
}

func hashEntry(f *zip.File, buf []byte) (ContentEntry, error) {
	rc, err := f.Open()
	if err != nil {
		return ContentEntry{}, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, struct{ io.Reader }{rc}, buf)
	if err != nil {
		return ContentEntry{}, err
	}
	return ContentEntry{Name: f.Name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// sequentialHasher is the zip's io.ReaderAt that also feeds the file's
// SHA-256 in file order as archive/zip reads it. Entries are usually stored
// in central-directory order, so the bytes read to decompress them are
// hashed as they pass; the small gaps between (local headers, names) are
// read once more, and finish hashes whatever was not reached (the central
// directory, read first from the end). Each byte is therefore read about
// once, however large the zip; an unusual entry order costs a second read.
type sequentialHasher struct {
	file   io.ReaderAt
	sha256 hash.Hash
	hashed int64 // the SHA-256 covers bytes [0, hashed)
}

func (s *sequentialHasher) ReadAt(p []byte, off int64) (int, error) {
	if off > s.hashed && off-s.hashed <= maxHashGap {
		if err := s.hashUpTo(off); err != nil {
			return 0, err
		}
	}
	n, err := s.file.ReadAt(p, off)
	if off <= s.hashed && off+int64(n) > s.hashed {
		s.sha256.Write(p[s.hashed-off : n])
		s.hashed = off + int64(n)
	}
	return n, err
}

// maxHashGap is the largest skipped span (local header, name, extra field)
// that ReadAt hashes before moving on; a longer jump is left to finish.
const maxHashGap = 64 << 10

func (s *sequentialHasher) hashUpTo(end int64) error {
	n, err := io.CopyBuffer(s.sha256, io.NewSectionReader(s.file, s.hashed, end-s.hashed), make([]byte, min(end-s.hashed, hashBufferSize)))
	s.hashed += n
	if err == nil && s.hashed < end {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func (s *sequentialHasher) finish(size int64) error {
	if s.hashed >= size {
		return nil
	}
	return s.hashUpTo(size)
}
