package offlinepkg

import (
	"os"
	"path/filepath"
)

// FileStamp identifies one version of a file without reading it: where it
// is, its size, its modification and status-change times, and its device and
// inode. A write changes the status-change time even when the modification
// time is put back, so an equal stamp means the same bytes in practice; it
// lets a plan skip re-hashing a file it hashed before.
type FileStamp struct {
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	MtimeNs int64  `json:"mtime_ns"`
	CtimeNs int64  `json:"ctime_ns"`
	Dev     uint64 `json:"dev"`
	Ino     uint64 `json:"ino"`
}

// StampFile returns the stamp of the regular file at path.
func StampFile(path string) (FileStamp, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return FileStamp{}, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return FileStamp{}, err
	}
	stamp := FileStamp{Path: abs, Size: fi.Size(), MtimeNs: fi.ModTime().UnixNano(), CtimeNs: changeTimeNs(fi)}
	stamp.Dev, stamp.Ino, _ = fileIdentity(fi.Sys())
	return stamp, nil
}

// Trustworthy reports whether the stamp carries a change time, without which
// (on platforms that do not report one) it must not stand in for a hash.
func (s FileStamp) Trustworthy() bool { return s.CtimeNs != 0 }
