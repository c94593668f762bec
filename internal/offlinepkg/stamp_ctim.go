//go:build linux || openbsd || dragonfly || solaris

package offlinepkg

import (
	"io/fs"
	"syscall"
)

// platformStamp reads the change time, device and inode from the stat
// structure of the systems that name the change time Ctim (Linux and Android,
// OpenBSD, DragonFly BSD, Solaris and illumos).
func platformStamp(fi fs.FileInfo) (ctimeNs int64, dev, ino uint64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0
	}
	return st.Ctim.Nano(), uint64(st.Dev), st.Ino //nolint:unconvert // Dev is uint32 or int32 on some of these platforms
}
