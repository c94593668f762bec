package offlinepkg

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// A package whose files all sit in the wrong place (at the zip's root, under
// another folder, or under "<id>/<id>/") breaks one rule, not one per entry:
// it gets a single violation that names the cause and the command that fixes
// it, and no follow-on main_url error.

// addOutside records an entry outside the top-level folder "<id>/".
func (in *inspector) addOutside(name string) {
	in.outside.add(name)
	if isMacOSJunk(name) {
		return
	}
	if in.outsideTops == nil {
		in.outsideTops = make(map[string]bool)
	}
	first, rest, inFolder := strings.Cut(name, "/")
	if !inFolder {
		first = "" // a file at the zip's root
	}
	in.outsideTops[first] = true
	if strings.HasSuffix(name, "/") {
		return
	}
	in.outsideFiles++
	if inFolder && strings.HasPrefix(rest, in.opts.H5AppID+"/") {
		in.outsideFilesUnderID++
	}
	if u := in.opts.MainURL; u != "" && strings.HasSuffix("/"+name, u) {
		in.mainURLFoundUnder = strings.TrimPrefix(strings.TrimSuffix("/"+name, u), "/")
		in.mainURLFound = true
	}
}

func isMacOSJunk(name string) bool {
	return strings.HasPrefix(name, "__MACOSX/") || name == ".DS_Store" || strings.HasSuffix(name, "/.DS_Store")
}

func (in *inspector) macOSJunkHint() string {
	for _, e := range in.outside.examples {
		if isMacOSJunk(e) {
			return " macOS Finder adds __MACOSX/ and .DS_Store entries; create the archive with `zip -r -X` instead."
		}
	}
	return ""
}

// misplacedAtTop: no file is under "<id>/" and some are elsewhere.
func (in *inspector) misplacedAtTop() bool {
	return in.opts.H5AppID != "" && in.files == 0 && in.outside.n > 0
}

// nestedTwice: every file is under "<id>/<id>/".
func (in *inspector) nestedTwice() bool {
	return in.opts.H5AppID != "" && in.files > 0 && in.nested == in.files
}

// misplaced reports whether the files are all in the wrong place, so that
// rules about single files (main_url) would only repeat that.
func (in *inspector) misplaced() bool {
	return in.misplacedAtTop() || in.nestedTwice()
}

func (in *inspector) misplacedViolation() Violation {
	id := in.opts.H5AppID
	v := Violation{Rule: "layout", Attribute: "source", Entry: in.outside.first()}
	fix := fmt.Sprintf("Every entry must start with %q, the H5App ID", id+"/")
	folder, wrapped := in.wrappingFolder()
	switch {
	case wrapped && in.outsideFilesUnderID == in.outsideFiles:
		v.Message = fmt.Sprintf("Every file of the zip is under %q (%s): the zip was made one folder too high. %s: zip the H5App folder "+
			"from its parent, for example `cd %s && zip -r ../%s.zip %s`.%s",
			folder+"/"+id+"/", in.outside.list(), fix, shellWord(folder), id, id, in.macOSJunkHint())
	case wrapped:
		v.Message = fmt.Sprintf("Every file of the zip is under the folder %q instead of %q (%s). %s: rename that folder to %s and zip it again, "+
			"for example `mv %s %s && zip -r %s.zip %s`, or set source_dir to the folder and let the provider zip it.%s",
			folder+"/", id+"/", in.outside.list(), fix, id, shellWord(folder), id, id, id, in.macOSJunkHint())
	default:
		v.Message = fmt.Sprintf("The zip's files are at its root, not inside the folder %q (%s). %s: put the files in a folder named %s "+
			"and zip that folder, not its contents, for example `cd dist && zip -r ../%s.zip %s` when they are in dist/%s/, "+
			"or set source_dir to the folder that holds them and let the provider zip it.%s",
			id+"/", in.outside.list(), fix, id, id, id, id, in.macOSJunkHint())
	}
	return v
}

// wrappingFolder is the one folder that holds every misplaced entry (macOS
// junk aside) when it stands where "<id>/" should: it holds "<id>/" itself,
// main_url is found below it, or it is named like an H5App ID. A single
// folder such as "www/" is otherwise the package's own second-level folder,
// zipped without the H5App folder around it.
func (in *inspector) wrappingFolder() (string, bool) {
	if len(in.outsideTops) != 1 {
		return "", false
	}
	var folder string
	for folder = range in.outsideTops {
	}
	if folder == "" {
		return "", false
	}
	wraps := (in.outsideFiles > 0 && in.outsideFilesUnderID == in.outsideFiles) ||
		(in.mainURLFound && in.mainURLFoundUnder == folder) ||
		(!in.mainURLFound && isEightDigits(folder))
	return folder, wraps
}

func (in *inspector) nestedViolation() Violation {
	id := in.opts.H5AppID
	v := Violation{Rule: "layout", Attribute: "source", Entry: id + "/" + id + "/"}
	if in.dir == "" {
		v.Message = fmt.Sprintf("Every file of the zip is under %q: the H5App folder was zipped inside another folder named %s. "+
			"Zip the inner folder, so that entries start with %q once, for example `cd %s && zip -r ../%s.zip %s`.",
			id+"/"+id+"/", id, id+"/", id, id, id)
		return v
	}
	inner := filepath.Join(in.dir, id)
	v.Message = fmt.Sprintf("The folder %q holds the H5App folder %q itself, so the zip would have every entry under %q. "+
		"Point source_dir at the inner folder, whose files go below %q: source_dir = %q.",
		in.dir, id+"/", id+"/"+id+"/", id+"/", inner)
	return v
}

var plainShellWord = regexp.MustCompile(`^[A-Za-z0-9._/@+:,-]+$`)

// shellWord quotes s for bash and zsh when it holds anything but plain characters.
func shellWord(s string) string {
	if plainShellWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
