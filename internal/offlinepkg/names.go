package offlinepkg

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

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

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func isASCIILetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }
