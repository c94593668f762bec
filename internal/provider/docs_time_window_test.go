package provider

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	fwschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Every time_window the README, the templates, the examples and the
// generated docs show works when copied: it sets each required argument of
// the schema's time_window (max_users), exactly one of duration and
// end_time, and nothing the schema lacks. A dotted `time_window.duration =
// "72h"` in code is not configuration and is refused too.
func TestDocsTimeWindowSnippetsAreComplete(t *testing.T) {
	var resp fwresource.SchemaResponse
	NewOfflinePackageReleaseResource().Schema(context.Background(), fwresource.SchemaRequest{}, &resp)
	window, ok := resp.Schema.Attributes["time_window"].(fwschema.SingleNestedAttribute)
	if !ok {
		t.Fatal("the release schema has no single nested time_window")
	}
	var required []string
	for name, attribute := range window.Attributes {
		if attribute.IsRequired() {
			required = append(required, name)
		}
	}
	sort.Strings(required)

	opening := regexp.MustCompile(`time_window\s*=\s*\{`)
	dotted := regexp.MustCompile("`[^`\n]*time_window\\.[a-z_]+ *= *[^`\n]*`")
	argument := regexp.MustCompile(`([a-z_]+)\s*=`)
	snippets := 0
	for _, file := range docFiles(t, "../..") {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		for _, found := range dotted.FindAllString(text, -1) {
			t.Errorf("%s: %s is not configuration that can be copied; write time_window = { ... } with every required argument", file, found)
		}
		for _, at := range opening.FindAllStringIndex(text, -1) {
			body, ok := braced(text[at[1]:])
			if !ok {
				t.Errorf("%s: time_window = { without its closing brace", file)
				continue
			}
			snippets++
			set := map[string]bool{}
			for _, m := range argument.FindAllStringSubmatch(stripComments(body), -1) {
				set[m[1]] = !regexp.MustCompile(`\b` + m[1] + `\s*=\s*null\b`).MatchString(body) // generated configuration writes null
				if _, known := window.Attributes[m[1]]; !known {
					t.Errorf("%s: time_window = {%s} sets %s, which time_window does not have", file, body, m[1])
				}
			}
			for _, name := range required {
				if !set[name] {
					t.Errorf("%s: time_window = {%s} lacks %s, which is required", file, body, name)
				}
			}
			if set["duration"] == set["end_time"] {
				t.Errorf("%s: time_window = {%s} must set exactly one of duration and end_time", file, body)
			}
		}
	}
	if snippets < 5 {
		t.Fatalf("found %d time_window snippets; the search missed the docs", snippets)
	}
}

// docFiles are the files users copy configuration from.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"docs", "templates", "examples"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, entry fs.DirEntry, err error) error {
			if err != nil || entry.IsDir() {
				return err
			}
			switch filepath.Ext(path) {
			case ".md", ".tmpl", ".tf", ".hcl":
				if !strings.Contains(path, string(filepath.Separator)+"tests"+string(filepath.Separator)) {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return append(files, filepath.Join(root, "README.md"), filepath.Join(root, "examples", "modules", "release-train", "README.md"))
}

// braced returns the text up to the brace that closes the one just opened.
func braced(s string) (string, bool) {
	depth := 1
	for i, r := range s {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[:i], true
			}
		}
	}
	return "", false
}

func stripComments(body string) string {
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		if at := strings.Index(line, "#"); at >= 0 {
			lines[i] = line[:at]
		}
	}
	return strings.Join(lines, "\n")
}
