package offlinepkg

import (
	"fmt"
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

func (in *inspector) layoutViolations() []Violation {
	switch {
	case in.misplacedAtTop():
		return []Violation{in.misplacedViolation()}
	case in.nestedTwice():
		return []Violation{in.nestedViolation()}
	}
	var vs []Violation
	id := in.opts.H5AppID
	if in.outside.n > 0 {
		vs = append(vs, Violation{
			Rule:      "layout",
			Attribute: "source",
			Entry:     in.outside.first(),
			Message: fmt.Sprintf("The zip has %s outside the top-level folder %q: %s. Every entry must be inside a folder named after the H5App ID; zip the folder itself (for example `zip -r %s.zip %s`), not its contents.%s",
				plural(in.outside.n, "entry", "entries"), id+"/", in.outside.list(), id, id, in.macOSJunkHint()),
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
