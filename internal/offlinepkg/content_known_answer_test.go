package offlinepkg

import (
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"
)

// knownContent is the content digest of the package in
// TestContentDigestKnownAnswer. Every state records content_sha256, and a
// plan compares it with this function's answer: a different answer for the
// same files plans a new version of every package in every state. Changing
// this literal is therefore never a test fix. (The value was computed
// outside Go, from the definition in DESIGN.md section 4.) A new definition of the digest
// must come with a state migration (DESIGN.md section 4).
const knownContent = "fffc188493f170f45808117d4311f177fbc7e80bd875d34b7ab37b7d7fd7cab7"

// knownEntries are the files of that package.
var knownEntries = []zipEntry{
	{"12345678/www/index.html", "<!doctype html><title>known answer</title>\n"},
	{"12345678/www/js/app.js", "console.log(\"mpaas\");\n"},
	{"12345678/empty.txt", ""},
}

// TestContentDigestKnownAnswer pins the definition of content_sha256 to a
// fixed answer, where every other digest test is relational (same files,
// same digest). The zip is built deterministically (fixed names, contents,
// time); the answer must not depend on the zip's bytes, so it is also built
// with another order, time and compression, and from a folder.
func TestContentDigestKnownAnswer(t *testing.T) {
	dir := t.TempDir()
	fixed := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	stored := filepath.Join(dir, "stored.zip")
	writeTestZip(t, stored, knownEntries, fixed, flate.NoCompression)
	if got := scanPath(t, stored).Content; got != knownContent {
		t.Fatalf("content digest of the known package = %s, want %s: the definition changed (DESIGN.md section 4: that needs a state migration)", got, knownContent)
	}

	reordered := filepath.Join(dir, "reordered.zip")
	writeTestZip(t, reordered, []zipEntry{knownEntries[2], knownEntries[1], knownEntries[0]}, fixed.Add(1000*time.Hour), flate.BestCompression)
	if got := scanPath(t, reordered).Content; got != knownContent {
		t.Fatalf("content digest of the same files in another order, time and level = %s, want %s", got, knownContent)
	}

	folder := t.TempDir()
	writeTree(t, folder, map[string]string{"www/index.html": knownEntries[0].body, "www/js/app.js": knownEntries[1].body, "empty.txt": ""})
	if got, err := DirContent(folder, "12345678", &HashCache{}); err != nil || got != knownContent {
		t.Fatalf("DirContent of the same files = %s, %v; want %s", got, err, knownContent)
	}
}

// TestContentDigestKnownEntries pins ContentDigest itself on entries given
// as name, size and SHA-256 (the SHA-256 values are those of the files of
// TestContentDigestKnownAnswer).
func TestContentDigestKnownEntries(t *testing.T) {
	entries := []ContentEntry{
		{Name: "12345678/www/js/app.js", Size: 22, SHA256: sha256Hex(knownEntries[1].body)},
		{Name: "12345678/empty.txt", Size: 0, SHA256: sha256Hex("")},
		{Name: "12345678/www/index.html", Size: int64(len(knownEntries[0].body)), SHA256: sha256Hex(knownEntries[0].body)},
	}
	if got := ContentDigest(entries); got != knownContent {
		t.Fatalf("ContentDigest = %s, want %s", got, knownContent)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
