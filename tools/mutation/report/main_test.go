package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPage: a completed run (JSON) and an interrupted partial run (log and
// dry-run log) become one row each, survivors listed with their line and
// reason or marked unexplained, mutants the interrupted run did not reach
// counted as not run.
func TestPage(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	write(t, filepath.Join(src, "alpha", "a.go"), "package alpha\n\nfunc less(a, b int) bool { return a < b }\n")
	write(t, filepath.Join(src, "beta", "b.go"), "package beta\n\nvar x = 1 + 2\n")
	write(t, filepath.Join(src, "beta", "c.go"), "package beta\n")
	data := filepath.Join(dir, "data")
	write(t, filepath.Join(data, "alpha.json"), `{"files":[{"file_name":"a.go","mutations":[
		{"type":"CONDITIONALS_BOUNDARY","status":"LIVED","line":3,"column":37},
		{"type":"CONDITIONALS_NEGATION","status":"KILLED","line":3,"column":37},
		{"type":"ARITHMETIC_BASE","status":"NOT COVERED","line":3,"column":1}]}]}`)
	write(t, filepath.Join(data, "alpha.seconds"), "125\n")
	write(t, filepath.Join(data, "beta@b.dry.log"), "Starting...\n    RUNNABLE ARITHMETIC_BASE at b.go:3:11\n    RUNNABLE INVERT_NEGATIVES at b.go:3:11\n")
	write(t, filepath.Join(data, "beta@b.log"), "Starting...\n       LIVED ARITHMETIC_BASE at b.go:3:11\n")
	explained := filepath.Join(dir, "explained.txt")
	write(t, explained, "# comment\nalpha/a.go:3:37 CONDITIONALS_BOUNDARY Equivalent here.\n")

	runs, err := readRuns(data)
	if err != nil {
		t.Fatal(err)
	}
	reasons, err := readExplained(explained)
	if err != nil {
		t.Fatal(err)
	}
	var page strings.Builder
	if err := writePage(&page, merge(runs), reasons, src); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| `internal/alpha` | all 1 | 1 | 1 | 0 | 1 | 0 | 50.0% | 66.7% | 2 min 05 s |",
		"| `internal/beta` | 1 of 2: b.go | 0 | 1 | 0 | 0 | 1 | 0.0% | 100.0% | - |",
		"| `a.go:3:37` CONDITIONALS_BOUNDARY | `func less(a, b int) bool { return a < b }` | Equivalent here. |",
		"| `b.go:3:11` ARITHMETIC_BASE | `var x = 1 + 2` | **unexplained**",
		"- `internal/beta`, not run: `b.go:3:11` INVERT_NEGATIVES",
	} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("the page lacks %q:\n%s", want, page.String())
		}
	}
}

func TestReadExplainedRefusesALineWithoutReason(t *testing.T) {
	path := filepath.Join(t.TempDir(), "explained.txt")
	write(t, path, "alpha/a.go:3:37 CONDITIONALS_BOUNDARY\n")
	if _, err := readExplained(path); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Fatalf("err = %v, want the line named", err)
	}
}
