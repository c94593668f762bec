package offlinepkg

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// InspectOptions says what a zip is checked against.
type InspectOptions struct {
	// H5AppID names the required top-level folder. "" (unknown, e.g. not yet
	// known at plan time) skips the rules that depend on it: the top-level
	// folder, R7 and the existence of main_url.
	H5AppID string
	// ResourceType is "normal", "global" or "" (unknown: skip type rules).
	ResourceType string
	// MainURL is the main entrance URL such as "/www/index.html"; "" = not set.
	MainURL string
	// Limits are the zip-bomb caps; a zero field takes its DefaultLimits value.
	Limits Limits
}

// Report summarises a zip's central directory.
type Report struct {
	Entries           int
	UncompressedBytes uint64 // declared, saturating at the uint64 maximum
	CompressedBytes   uint64 // declared, saturating at the uint64 maximum
}

// IsZipName reports whether name ends in ".zip", in any letter case (R9).
func IsZipName(name string) bool {
	return len(name) > len(".zip") && strings.EqualFold(name[len(name)-4:], ".zip")
}

// InspectFile inspects the zip at path without extracting it. The error is
// only for I/O (missing, unreadable, a directory); everything wrong with the
// content is a Violation.
func InspectFile(path string, opts InspectOptions) (Report, []Violation, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Report{}, nil, err
	}
	if fi.IsDir() {
		return Report{}, nil, fmt.Errorf("%s is a directory, not a .zip file", path)
	}
	rep, vs := Inspect(f, fi.Size(), opts)
	return rep, vs, nil
}

// Inspect checks a zip of the given size, reading only its central directory
// (entry data is never read or decompressed). It returns every violation.
func Inspect(r io.ReaderAt, size int64, opts InspectOptions) (Report, []Violation) {
	lim := opts.Limits.withDefaults()
	if size <= 0 {
		return Report{}, []Violation{r9("", "the file is empty")}
	}

	// Refuse an absurd entry count before archive/zip allocates per entry.
	eocd := readEOCD(r, size)
	if eocd.found && eocd.entriesKnown && eocd.entries > uint64(lim.MaxEntries) {
		return Report{Entries: clampInt(eocd.entries)}, []Violation{tooManyEntries(eocd.entries, lim)}
	}

	zr, err := zip.NewReader(r, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return Report{}, []Violation{r9("", notZipReason(r, eocd, err))}
	}

	in := inspector{opts: opts, lim: lim, size: size}
	return in.run(zr.File)
}

func r9(entry, reason string) Violation {
	return Violation{
		Rule:      "R9",
		Attribute: "source",
		Entry:     entry,
		Message:   "The file is not a readable .zip archive: " + reason + ". Point source at a .zip created with a standard zip tool.",
	}
}

func notZipReason(r io.ReaderAt, eocd eocdInfo, err error) string {
	if !eocd.found {
		head := make([]byte, 4)
		if n, _ := r.ReadAt(head, 0); n == 4 && string(head) == "PK\x03\x04" {
			return "it is truncated (it starts like a zip archive but its end-of-central-directory record is missing)"
		}
		return "not a zip archive (no end-of-central-directory record)"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "it is truncated (the central directory ends before the file does)"
	}
	return "its central directory is corrupt or truncated (" + err.Error() + ")"
}

type inspector struct {
	opts InspectOptions
	lim  Limits
	size int64

	// hostile names
	invalidUTF8, control, backslash, absolute, drive, dotdot, dotOrEmpty, symlink, duplicate finding
	// layout
	outside     finding
	outsideTops map[string]bool // first path element of each entry outside the top-level folder, macOS junk left out
	// outside files (macOS junk left out), those under "<folder>/<id>/", and
	// where main_url was found outside: the folder before it ("" at the root)
	outsideFiles, outsideFilesUnderID int
	mainURLFound                      bool
	mainURLFoundUnder                 string
	files                             int // file entries under the top-level folder
	nested                            int // of those, the files under "<id>/<id>/"
	// dir is the package folder being inspected (Folder.Inspect); "" for a zip.
	dir string
	// R9 extras
	encrypted, method finding
	// R7
	globalOutside, globalTooLong finding
	globalInside                 int
	// bombs
	tooBigCompressed finding
}

func (in *inspector) run(files []*zip.File) (Report, []Violation) {
	rep := Report{Entries: len(files)}
	id := in.opts.H5AppID
	top := id + "/"
	seen := make(map[string]bool, len(files))
	fileSet := make(map[string]bool)
	dirSet := make(map[string]bool)

	for _, f := range files {
		name := f.Name
		rep.UncompressedBytes = addSat(rep.UncompressedBytes, f.UncompressedSize64)
		rep.CompressedBytes = addSat(rep.CompressedBytes, f.CompressedSize64)
		if f.CompressedSize64 > uint64(in.size) {
			in.tooBigCompressed.add(name)
		}
		if seen[name] {
			in.duplicate.add(name)
		}
		seen[name] = true

		if !in.nameIsSafe(name) {
			continue
		}
		if f.Mode()&os.ModeSymlink != 0 {
			in.symlink.add(name)
			continue
		}
		isDir := strings.HasSuffix(name, "/")
		if !isDir {
			if f.Flags&0x1 != 0 {
				in.encrypted.add(name)
			}
			if f.Method != zip.Store && f.Method != zip.Deflate {
				in.method.add(name)
			}
		}
		if id == "" {
			if !isDir {
				in.files++
			}
			continue
		}
		if name == top {
			continue
		}
		if !strings.HasPrefix(name, top) {
			in.addOutside(name)
			continue
		}
		if isDir {
			dirSet[name] = true
			continue
		}
		in.files++
		if strings.HasPrefix(name, top+top) {
			in.nested++
		}
		fileSet[name] = true
		if in.opts.ResourceType == ResourceTypeGlobal {
			in.checkGlobal(name, top)
		}
	}

	var vs []Violation
	vs = append(vs, in.hostileViolations()...)
	vs = append(vs, in.layoutViolations()...)
	vs = append(vs, in.r9Violations()...)
	vs = append(vs, in.globalViolations()...)
	if !in.misplaced() {
		vs = append(vs, in.mainURLViolations(fileSet, dirSet)...)
	}
	vs = append(vs, in.bombViolations(rep)...)
	return rep, vs
}

func (in *inspector) r9Violations() []Violation {
	var vs []Violation
	if in.encrypted.n > 0 {
		vs = append(vs, Violation{
			Rule: "R9", Attribute: "source", Entry: in.encrypted.first(),
			Message: fmt.Sprintf("The zip has %s encrypted with a password: %s. Clients cannot open password-protected entries; create the archive without a password.",
				plural(in.encrypted.n, "entry", "entries"), in.encrypted.list()),
		})
	}
	if in.method.n > 0 {
		vs = append(vs, Violation{
			Rule: "R9", Attribute: "source", Entry: in.method.first(),
			Message: fmt.Sprintf("The zip has %s compressed with a method other than store or deflate: %s. Clients only read stored and deflated entries; re-create the archive with a standard zip tool.",
				plural(in.method.n, "entry", "entries"), in.method.list()),
		})
	}
	return vs
}
