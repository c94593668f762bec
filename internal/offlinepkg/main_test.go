package offlinepkg

import (
	"os"
	"testing"
)

// TestMain runs the tests with the default caches as users get them when
// HashCacheDirEnv is unset: in memory only, whatever the shell exports.
func TestMain(m *testing.M) {
	_ = os.Unsetenv(HashCacheDirEnv)
	os.Exit(m.Run())
}
