package offlinepkg

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// maxMainURLSuggestions is how many HTML files a missing main_url suggests.
const maxMainURLSuggestions = 3

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
	if dirSet[entry+"/"] || holdsFile(fileSet, entry+"/") {
		what = "it is a folder, not a file"
	}
	where := fmt.Sprintf("the zip has no file %q", entry)
	if in.dir != "" {
		where = fmt.Sprintf("the folder %q has no file %q", in.dir, strings.TrimPrefix(u, "/"))
	}
	return []Violation{{
		Rule:      "R15",
		Attribute: "main_url",
		Entry:     entry,
		Message: fmt.Sprintf("main_url %q must name a file in the package, but %s (%s). %s",
			u, where, what, mainURLAdvice(suggestMainURLs(fileSet, id+"/", u))),
	}}
}

func mainURLAdvice(suggestions []string) string {
	if len(suggestions) == 0 {
		return "The package has no .html file; add the page clients open first, or omit main_url."
	}
	quoted := make([]string, len(suggestions))
	for i, s := range suggestions {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	if len(quoted) == 1 {
		return fmt.Sprintf("The package's HTML file is %s: set main_url = %s, or omit main_url.", quoted[0], quoted[0])
	}
	return fmt.Sprintf("HTML files in the package: %s. Set main_url to one of them (the page clients open first), or omit main_url.",
		strings.Join(quoted, ", "))
}

// suggestMainURLs returns up to maxMainURLSuggestions HTML files of the
// package as main_url values, most likely first: the same file name as
// wanted, then the most folders in common with wanted, then index pages,
// then the shallowest, then by name.
func suggestMainURLs(fileSet map[string]bool, top, wanted string) []string {
	type candidate struct {
		url                    string
		sameName, index        bool
		commonFolders, folders int
	}
	wantedSegments := strings.Split(strings.TrimPrefix(wanted, "/"), "/")
	var candidates []candidate
	for name := range fileSet {
		if !isHTMLName(name) || !strings.HasPrefix(name, top) {
			continue
		}
		url := "/" + strings.TrimPrefix(name, top)
		segments := strings.Split(url[1:], "/")
		base := segments[len(segments)-1]
		candidates = append(candidates, candidate{
			url:           url,
			sameName:      base == path.Base(wanted),
			index:         strings.EqualFold(base, "index.html") || strings.EqualFold(base, "index.htm"),
			commonFolders: commonPrefix(segments[:len(segments)-1], wantedSegments),
			folders:       len(segments) - 1,
		})
	}
	sort.Slice(candidates, func(i, j int) bool {
		a, b := candidates[i], candidates[j]
		switch {
		case a.sameName != b.sameName:
			return a.sameName
		case a.commonFolders != b.commonFolders:
			return a.commonFolders > b.commonFolders
		case a.index != b.index:
			return a.index
		case a.folders != b.folders:
			return a.folders < b.folders
		}
		return a.url < b.url
	})
	suggestions := make([]string, 0, maxMainURLSuggestions)
	for _, c := range candidates {
		if len(suggestions) == maxMainURLSuggestions {
			break
		}
		suggestions = append(suggestions, c.url)
	}
	return suggestions
}

func holdsFile(fileSet map[string]bool, folder string) bool {
	for name := range fileSet {
		if strings.HasPrefix(name, folder) {
			return true
		}
	}
	return false
}

func isHTMLName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm")
}

// commonPrefix counts the leading elements a and b share.
func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
