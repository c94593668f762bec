package offlinepkg

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// GlobalResourceFolder is the second-level folder every file of a global
// package must live in (R7).
const GlobalResourceFolder = "mcube-prod.mpaascloud.com"

// MaxGlobalResourcePathChars is the longest resource path of a global package
// (R7), counted in characters (Unicode code points). The resource path is the
// part of an entry name after "<h5app_id>/mcube-prod.mpaascloud.com", starting
// with "/", e.g. "/<appId>_<workspaceId>/js/app.js": it is the URL path the
// client requests below the virtual domain.
const MaxGlobalResourcePathChars = 100

// Resource types (R6).
const (
	ResourceTypeNormal = "normal"
	ResourceTypeGlobal = "global"
)

// Limits caps what a zip may declare in its central directory, so a zip bomb
// is refused before anything is extracted, uploaded or unpacked by a client.
type Limits struct {
	MaxEntries           int     // entries (files and folders) in the central directory
	MaxUncompressedBytes uint64  // sum of the declared uncompressed sizes
	MaxCompressionRatio  float64 // declared uncompressed total / zip file size, checked above 1 MiB
}

// DefaultLimits are the caps the provider and the emulator apply and the docs
// state:
//   - at most 20,000 entries;
//   - at most 2 GiB (2,147,483,648 bytes) uncompressed in total;
//   - at most 200 times expansion (uncompressed total / zip size), checked only
//     when the uncompressed total exceeds 1 MiB so tiny zips never trip it.
var DefaultLimits = Limits{
	MaxEntries:           20000,
	MaxUncompressedBytes: 2 << 30,
	MaxCompressionRatio:  200,
}

// ratioFloor is the uncompressed total above which the ratio cap applies.
const ratioFloor = 1 << 20

// maxExamples is how many offending entries one violation lists.
const maxExamples = 5

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

// Violation is one thing wrong with a package, blamed on one attribute.
type Violation struct {
	Rule      string // "R7", "R9", "R15", "layout" or "bomb"
	Attribute string // Terraform attribute to blame: "source", "main_url" or "resource_type"
	Entry     string // the (first) offending entry name, may be ""
	Message   string // full sentence(s): what is wrong and what to change
}

// String formats the violation for logs and combined error messages.
func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s", v.Attribute, v.Rule, v.Message)
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

func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultLimits.MaxEntries
	}
	if l.MaxUncompressedBytes == 0 {
		l.MaxUncompressedBytes = DefaultLimits.MaxUncompressedBytes
	}
	if l.MaxCompressionRatio <= 0 {
		l.MaxCompressionRatio = DefaultLimits.MaxCompressionRatio
	}
	return l
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

// CheckMainURL checks the syntax of a main entrance URL (R15) without a zip:
// an absolute path inside the package such as "/www/index.html", naming a
// file, with no "..", ".", empty segments, backslashes, query, fragment or
// control characters. The value is taken literally (no %-decoding).
func CheckMainURL(mainURL string) []Violation {
	bad := func(what string) Violation {
		return Violation{
			Rule:      "R15",
			Attribute: "main_url",
			Message:   fmt.Sprintf("main_url %q %s. Use the full path of a file inside the package, starting with \"/\", such as \"/www/index.html\" (where /www is the second-level folder).", mainURL, what),
		}
	}
	var vs []Violation
	switch {
	case mainURL == "":
		return []Violation{bad("is empty; omit main_url instead")}
	case !utf8.ValidString(mainURL):
		return []Violation{bad("is not valid UTF-8")}
	}
	if !strings.HasPrefix(mainURL, "/") {
		vs = append(vs, bad("must start with \"/\""))
	}
	if strings.ContainsAny(mainURL, "?#") {
		vs = append(vs, bad("must not contain a query (?) or fragment (#)"))
	}
	if strings.Contains(mainURL, `\`) {
		vs = append(vs, bad("must use forward slashes, not backslashes"))
	}
	if hasControl(mainURL) {
		vs = append(vs, bad("must not contain control characters"))
	}
	if strings.HasSuffix(mainURL, "/") {
		vs = append(vs, bad("must name a file, not a folder (it ends with \"/\")"))
	}
	segs := strings.Split(strings.TrimPrefix(mainURL, "/"), "/")
	for i, s := range segs {
		if s == ".." {
			vs = append(vs, bad("must not contain \"..\" segments"))
			break
		}
		if s == "." || (s == "" && i < len(segs)-1) {
			vs = append(vs, bad("must not contain \".\" or empty (\"//\") segments"))
			break
		}
	}
	return vs
}

// finding gathers the entries that break one rule, keeping a few examples.
type finding struct {
	n        int
	examples []string
}

func (f *finding) add(example string) {
	f.n++
	if len(f.examples) < maxExamples {
		f.examples = append(f.examples, example)
	}
}

// list renders `"a", "b" and 3 more`.
func (f *finding) list() string {
	q := make([]string, len(f.examples))
	for i, e := range f.examples {
		q[i] = fmt.Sprintf("%q", e)
	}
	s := strings.Join(q, ", ")
	if more := f.n - len(f.examples); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}

func (f *finding) first() string {
	if len(f.examples) == 0 {
		return ""
	}
	return f.examples[0]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

type inspector struct {
	opts InspectOptions
	lim  Limits
	size int64

	// hostile names
	invalidUTF8, control, backslash, absolute, drive, dotdot, dotOrEmpty, symlink, duplicate finding
	// layout
	outside finding
	files   int // file entries under the top-level folder
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
			in.outside.add(name)
			continue
		}
		if isDir {
			dirSet[name] = true
			continue
		}
		in.files++
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
	vs = append(vs, in.mainURLViolations(fileSet, dirSet)...)
	vs = append(vs, in.bombViolations(rep)...)
	return rep, vs
}

// nameIsSafe records every hostile-name rule the entry name breaks (zip slip
// and friends) and reports whether it broke none.
func (in *inspector) nameIsSafe(name string) bool {
	ok := true
	if !utf8.ValidString(name) {
		in.invalidUTF8.add(name)
		ok = false
	}
	if hasControl(name) {
		in.control.add(name)
		ok = false
	}
	if strings.Contains(name, `\`) {
		in.backslash.add(name)
		ok = false
	}
	if strings.HasPrefix(name, "/") {
		in.absolute.add(name)
		ok = false
	}
	if len(name) >= 2 && name[1] == ':' && isASCIILetter(name[0]) {
		in.drive.add(name)
		ok = false
	}
	if name == "" {
		in.dotOrEmpty.add(name)
		return false
	}
	segs := strings.Split(strings.TrimSuffix(strings.TrimPrefix(name, "/"), "/"), "/")
	dotdot, dotOrEmpty := false, false
	for _, s := range segs {
		switch s {
		case "..":
			dotdot = true
		case ".", "":
			dotOrEmpty = true
		}
	}
	if dotdot {
		in.dotdot.add(name)
		ok = false
	}
	if dotOrEmpty && !dotdot {
		in.dotOrEmpty.add(name)
		ok = false
	}
	return ok
}

func (in *inspector) checkGlobal(name, top string) {
	prefix := top + GlobalResourceFolder + "/"
	if !strings.HasPrefix(name, prefix) {
		in.globalOutside.add(name)
		return
	}
	in.globalInside++
	resourcePath := name[len(top)+len(GlobalResourceFolder):]
	if n := utf8.RuneCountInString(resourcePath); n > MaxGlobalResourcePathChars {
		in.globalTooLong.add(resourcePath)
	}
}

func (in *inspector) hostileViolations() []Violation {
	type rule struct {
		f    *finding
		what string
		fix  string
	}
	rules := []rule{
		{&in.invalidUTF8, "with a name that is not valid UTF-8", "Re-create the archive with a zip tool that stores UTF-8 names, or rename the files to plain ASCII."},
		{&in.control, "with a name containing NUL or other control characters", "Rename those files."},
		{&in.backslash, `with a name containing a backslash (\)`, "Zip entry names must use forward slashes; re-create the archive with a zip tool that writes portable names."},
		{&in.absolute, `with an absolute name (starting with "/")`, "Entry names must be relative; zip the H5App folder itself, e.g. `zip -r 12345678.zip 12345678`."},
		{&in.drive, "with a name starting with a drive letter (such as C:)", "Entry names must be relative paths; re-create the archive from inside the parent of the H5App folder."},
		{&in.dotdot, `with ".." path elements in the name`, "Entries must not point outside the package (zip slip); remove those entries."},
		{&in.dotOrEmpty, `with "." or empty path elements in the name (such as "a//b" or "./a")`, "Re-create the archive so that every name is a clean relative path."},
		{&in.symlink, "stored as a symbolic link", "Offline packages must hold regular files only; replace the links with the files they point to (e.g. zip without -y)."},
		{&in.duplicate, "with a name that appears more than once", "Each path must appear once; re-create the archive."},
	}
	var vs []Violation
	for _, r := range rules {
		if r.f.n == 0 {
			continue
		}
		vs = append(vs, Violation{
			Rule:      "layout",
			Attribute: "source",
			Entry:     r.f.first(),
			Message:   fmt.Sprintf("The zip has %s %s: %s. %s", plural(r.f.n, "entry", "entries"), r.what, r.f.list(), r.fix),
		})
	}
	return vs
}

func (in *inspector) layoutViolations() []Violation {
	var vs []Violation
	id := in.opts.H5AppID
	if in.outside.n > 0 {
		hint := ""
		for _, e := range in.outside.examples {
			if strings.HasPrefix(e, "__MACOSX/") || strings.HasSuffix(e, ".DS_Store") {
				hint = " macOS Finder adds __MACOSX/ and .DS_Store entries; create the archive with `zip -r -X` instead."
				break
			}
		}
		vs = append(vs, Violation{
			Rule:      "layout",
			Attribute: "source",
			Entry:     in.outside.first(),
			Message: fmt.Sprintf("The zip has %s outside the top-level folder %q: %s. Every entry must be inside a folder named after the H5App ID; zip the folder itself (for example `zip -r %s.zip %s`), not its contents.%s",
				plural(in.outside.n, "entry", "entries"), id+"/", in.outside.list(), id, id, hint),
		})
	}
	if in.files == 0 {
		where := "at all"
		if id != "" {
			where = fmt.Sprintf("under the top-level folder %q", id+"/")
		}
		vs = append(vs, Violation{
			Rule:      "layout",
			Attribute: "source",
			Message:   fmt.Sprintf("The zip contains no files %s. Put the package's files in a folder named after the H5App ID and zip that folder.", where),
		})
	}
	return vs
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

func (in *inspector) globalViolations() []Violation {
	if in.opts.ResourceType != ResourceTypeGlobal || in.opts.H5AppID == "" {
		return nil
	}
	id := in.opts.H5AppID
	folder := id + "/" + GlobalResourceFolder + "/"
	var vs []Violation
	if in.globalOutside.n > 0 {
		v := Violation{Rule: "R7", Attribute: "source", Entry: in.globalOutside.first()}
		base := fmt.Sprintf("A global package must keep every file under the second-level folder %q (for example %q), or real-time release acceleration does not work.",
			folder, folder+"<appId>_<workspaceId>/js/app.js")
		if in.globalInside == 0 {
			v.Attribute = "resource_type"
			v.Message = fmt.Sprintf("resource_type is \"global\" but none of the zip's files is under %q (%s found elsewhere: %s). %s Set resource_type = \"normal\" if this is a normal package, or move the files.",
				folder, plural(in.globalOutside.n, "file", "files"), in.globalOutside.list(), base)
		} else {
			v.Message = fmt.Sprintf("The zip has %s outside %q: %s. %s Move those files under it.",
				plural(in.globalOutside.n, "file", "files"), folder, in.globalOutside.list(), base)
		}
		vs = append(vs, v)
	}
	if in.globalTooLong.n > 0 {
		vs = append(vs, Violation{
			Rule: "R7", Attribute: "source", Entry: id + "/" + GlobalResourceFolder + in.globalTooLong.first(),
			Message: fmt.Sprintf("The zip has %s whose resource path is longer than %d characters: %s. The resource path of a global package is the part of the entry name after %q, starting with \"/\"; shorten those folder or file names.",
				plural(in.globalTooLong.n, "file", "files"), MaxGlobalResourcePathChars, in.globalTooLong.list(), id+"/"+GlobalResourceFolder),
		})
	}
	return vs
}

func (in *inspector) mainURLViolations(fileSet, dirSet map[string]bool) []Violation {
	u := in.opts.MainURL
	if u == "" {
		return nil
	}
	if vs := CheckMainURL(u); len(vs) > 0 {
		return vs
	}
	id := in.opts.H5AppID
	if id == "" {
		return nil
	}
	entry := id + u
	if fileSet[entry] {
		return nil
	}
	what := "no such file"
	if dirSet[entry+"/"] {
		what = "it is a folder, not a file"
	}
	return []Violation{{
		Rule:      "R15",
		Attribute: "main_url",
		Entry:     entry,
		Message: fmt.Sprintf("main_url %q must name a file in the package, but the zip has no file %q (%s). Set main_url to the path of an existing file relative to the top-level folder %q, such as \"/www/index.html\", or omit it.",
			u, entry, what, id+"/"),
	}}
}

func (in *inspector) bombViolations(rep Report) []Violation {
	var vs []Violation
	if rep.Entries > in.lim.MaxEntries {
		vs = append(vs, tooManyEntries(uint64(rep.Entries), in.lim))
	}
	if rep.UncompressedBytes > in.lim.MaxUncompressedBytes {
		vs = append(vs, Violation{
			Rule: "bomb", Attribute: "source",
			Message: fmt.Sprintf("The zip declares %d bytes (%s) uncompressed in total; at most %d bytes (%s) are allowed, a cap against zip bombs. Make the package smaller.",
				rep.UncompressedBytes, humanBytes(rep.UncompressedBytes), in.lim.MaxUncompressedBytes, humanBytes(in.lim.MaxUncompressedBytes)),
		})
	}
	if rep.UncompressedBytes > ratioFloor {
		ratio := float64(rep.UncompressedBytes) / float64(in.size)
		if ratio > in.lim.MaxCompressionRatio {
			vs = append(vs, Violation{
				Rule: "bomb", Attribute: "source",
				Message: fmt.Sprintf("The zip would expand %.0f times (from %d bytes to %d bytes); at most %g times is allowed, a cap against zip bombs. Check the archive's contents.",
					ratio, in.size, rep.UncompressedBytes, in.lim.MaxCompressionRatio),
			})
		}
	}
	if in.tooBigCompressed.n > 0 {
		vs = append(vs, Violation{
			Rule: "bomb", Attribute: "source", Entry: in.tooBigCompressed.first(),
			Message: fmt.Sprintf("The zip has %s declaring a compressed size larger than the whole file (%d bytes): %s. Its central directory is corrupt or crafted; re-create the archive.",
				plural(in.tooBigCompressed.n, "entry", "entries"), in.size, in.tooBigCompressed.list()),
		})
	}
	return vs
}

func tooManyEntries(n uint64, lim Limits) Violation {
	return Violation{
		Rule: "bomb", Attribute: "source",
		Message: fmt.Sprintf("The zip declares %d entries; at most %d are allowed, a cap against zip bombs. Remove unneeded files or split the package.", n, lim.MaxEntries),
	}
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func isASCIILetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

func addSat(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}

func clampInt(n uint64) int {
	if n > uint64(maxInt) {
		return maxInt
	}
	return int(n)
}

const maxInt = int(^uint(0) >> 1)

func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// eocdInfo is what the end-of-central-directory record declares.
type eocdInfo struct {
	found        bool
	entriesKnown bool
	entries      uint64
}

// readEOCD finds the end-of-central-directory record (and its zip64 form)
// and reads the declared entry count, so an absurd count is refused before
// archive/zip parses the directory. Any inconsistency leaves entriesKnown
// false and lets archive/zip judge the file.
func readEOCD(r io.ReaderAt, size int64) eocdInfo {
	const eocdLen = 22
	const maxComment = 0xffff
	if size < eocdLen {
		return eocdInfo{}
	}
	tailLen := min(size, int64(eocdLen+maxComment))
	tail := make([]byte, tailLen)
	if _, err := r.ReadAt(tail, size-tailLen); err != nil && !errors.Is(err, io.EOF) {
		return eocdInfo{}
	}
	pos := -1
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if tail[i] == 'P' && tail[i+1] == 'K' && tail[i+2] == 5 && tail[i+3] == 6 {
			comment := int(binary.LittleEndian.Uint16(tail[i+20:]))
			if i+eocdLen+comment <= len(tail) {
				pos = i
				break
			}
		}
	}
	if pos < 0 {
		return eocdInfo{}
	}
	info := eocdInfo{found: true}
	count := binary.LittleEndian.Uint16(tail[pos+10:])
	if count != 0xffff {
		info.entriesKnown, info.entries = true, uint64(count)
		return info
	}
	// zip64: the locator sits just before the EOCD record.
	eocdOffset := size - tailLen + int64(pos)
	loc := make([]byte, 20)
	if eocdOffset < 20 {
		return info
	}
	if _, err := r.ReadAt(loc, eocdOffset-20); err != nil || binary.LittleEndian.Uint32(loc) != 0x07064b50 {
		return info
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if size < 56 || off > uint64(size-56) {
		return info
	}
	rec := make([]byte, 56)
	if _, err := r.ReadAt(rec, int64(off)); err != nil || binary.LittleEndian.Uint32(rec) != 0x06064b50 {
		return info
	}
	info.entriesKnown, info.entries = true, binary.LittleEndian.Uint64(rec[32:])
	return info
}
