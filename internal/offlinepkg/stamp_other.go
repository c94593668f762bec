//go:build !(linux || openbsd || dragonfly || solaris || darwin || freebsd || netbsd)

package offlinepkg

import "io/fs"

// platformStamp has nothing to read on platforms whose stat reports no change
// time (Windows among them): the stamp keeps path, size and modification time
// only and is not Trustworthy, so files are hashed again at every plan (see
// FileStamp).
func platformStamp(fs.FileInfo) (ctimeNs int64, dev, ino uint64) { return 0, 0, 0 }
