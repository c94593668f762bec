package offlinepkg

import (
	"io/fs"
	"os"
	"path/filepath"
)

// FileStamp identifies one version of a file without reading it: where it
// is, its size, its modification and status-change times, and its device and
// inode. A write changes the status-change time even when the modification
// time is put back, and a replacement by rename changes the inode, so an
// equal stamp means the same bytes in practice. It is the one key of every
// digest the package remembers: HashCache's entries in memory and on disk,
// and the stamp the provider records beside a package's digests.
//
// The change time, device and inode come from the platform's stat structure
// (see stamp_ctim.go and stamp_ctimespec.go). Windows and the other platforms
// whose stat reports no change time leave them zero: such a stamp is not
// Trustworthy, so neither the disk cache nor a recorded stamp stands in for
// a hash there, and every plan reads its files again.
type FileStamp struct {
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	MtimeNs int64  `json:"mtime_ns"`
	CtimeNs int64  `json:"ctime_ns"`
	Dev     uint64 `json:"dev"`
	Ino     uint64 `json:"ino"`
}

// StampFile returns the stamp of the file at path (following symbolic links),
// with its absolute path.
func StampFile(path string) (FileStamp, error) {
	stamp, _, err := statStamp(path)
	return stamp, err
}

// Trustworthy reports whether the stamp carries a change time, without which
// (on platforms that do not report one) it must not stand in for a hash.
func (s FileStamp) Trustworthy() bool { return s.CtimeNs != 0 }

// statStamp returns the stamp of the file at path and its mode.
func statStamp(path string) (FileStamp, fs.FileMode, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return FileStamp{}, 0, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return FileStamp{}, 0, err
	}
	return stampOf(abs, fi), fi.Mode(), nil
}

// stampOf builds the stamp of the file abs from its FileInfo.
func stampOf(abs string, fi fs.FileInfo) FileStamp {
	stamp := FileStamp{Path: abs, Size: fi.Size(), MtimeNs: fi.ModTime().UnixNano()}
	stamp.CtimeNs, stamp.Dev, stamp.Ino = platformStamp(fi)
	return stamp
}
