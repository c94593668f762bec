package offlinepkg

import (
	"os"
	"testing"
)

// TestMain keeps the digests DefaultHashCache remembers between runs out of
// the user's cache folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "offlinepkg-hash-cache-")
	if err != nil {
		panic(err)
	}
	_ = os.Setenv(HashCacheDirEnv, dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
