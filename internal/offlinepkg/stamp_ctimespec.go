//go:build darwin || freebsd || netbsd

package offlinepkg

import (
	"io/fs"
	"syscall"
)

// platformStamp reads the change time, device and inode from the stat
// structure of the systems that name the change time Ctimespec (macOS and
// iOS, FreeBSD, NetBSD).
func platformStamp(fi fs.FileInfo) (ctimeNs int64, dev, ino uint64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0
	}
	return st.Ctimespec.Nano(), uint64(st.Dev), st.Ino //nolint:unconvert // Dev is int32 on macOS
}
