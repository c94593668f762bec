// Command report writes tools/mutation/results.md from the gremlins reports
// that tools/mutation/mutation.sh leaves in tools/mutation/data: the score per
// package and every surviving mutant with the reason it does not matter
// (from tools/mutation/explained.txt) or marked unexplained.
//
// data/<package>.json is a run over the whole package, data/<package>@<a>+<b>.json
// a run over the files a.go and b.go only; <same name>.seconds holds the run's
// wall time. For each file the newest report that mutated it counts.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Mutation statuses as gremlins writes them.
const (
	killed     = "KILLED"
	lived      = "LIVED"
	timedOut   = "TIMED OUT"
	notCovered = "NOT COVERED"
	notViable  = "NOT VIABLE"
	runnable   = "RUNNABLE" // in a dry run: would be tested
	notRun     = "NOT RUN"  // runnable, but the run was interrupted before it
)

type gremlinsReport struct {
	Files []struct {
		FileName  string     `json:"file_name"`
		Mutations []mutation `json:"mutations"`
	} `json:"files"`
}

type mutation struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// run is one report file: a package, the files it covered ("" for all) and
// its results per file.
type run struct {
	pkg     string
	files   []string
	seconds int
	modTime int64
	results map[string][]mutation // file name -> mutations
}

// pkgResult is the merged view of a package.
type pkgResult struct {
	name    string
	seconds int
	partial []string // files mutated when no run covered the whole package
	results map[string][]mutation
}

func main() {
	dataDir := flag.String("data", "tools/mutation/data", "folder of the gremlins reports")
	explainedPath := flag.String("explained", "tools/mutation/explained.txt", "reasons why surviving mutants do not matter")
	srcRoot := flag.String("src", "internal", "folder holding the mutated packages")
	out := flag.String("out", "tools/mutation/results.md", "page to write")
	flag.Parse()
	runs, err := readRuns(*dataDir)
	if err != nil {
		log.Fatal(err)
	}
	explained, err := readExplained(*explainedPath)
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := writePage(f, merge(runs), explained, *srcRoot); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// readRuns reads every run of dir: <run>.json when the run completed,
// otherwise the results its <run>.log lists, with the mutants of
// <run>.dry.log it did not reach counted as not run.
func readRuns(dir string) ([]run, error) {
	logs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil {
		return nil, err
	}
	jsons, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, path := range append(logs, jsons...) {
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".json"), ".log")
		if !strings.HasSuffix(name, ".dry") {
			names[name] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)
	runs := make([]run, 0, len(sorted))
	for _, name := range sorted {
		r, err := readRun(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// readRun reads the run whose files start with base.
func readRun(base string) (run, error) {
	pkg, files, partial := strings.Cut(filepath.Base(base), "@")
	r := run{pkg: pkg, results: map[string][]mutation{}}
	if partial {
		for _, name := range strings.Split(files, "+") {
			r.files = append(r.files, name+".go")
		}
	}
	if seconds, err := os.ReadFile(base + ".seconds"); err == nil {
		r.seconds, _ = strconv.Atoi(strings.TrimSpace(string(seconds)))
	}
	raw, err := os.ReadFile(base + ".json")
	if err == nil {
		r.modTime = modTime(base + ".json")
		return r, r.addReport(raw)
	}
	if !os.IsNotExist(err) {
		return r, err
	}
	r.modTime = modTime(base + ".log")
	done, err := readLog(base + ".log")
	if err != nil {
		return r, err
	}
	planned, err := readLog(base + ".dry.log")
	if err != nil && !os.IsNotExist(err) {
		return r, err
	}
	for _, m := range planned {
		if _, ok := done[m.place()]; !ok {
			if m.Status == runnable {
				m.Status = notRun
			}
			done[m.place()] = m
		}
	}
	for _, m := range done {
		r.results[m.file] = append(r.results[m.file], m.mutation)
	}
	return r, nil
}

func (r *run) addReport(raw []byte) error {
	var report gremlinsReport
	if err := json.Unmarshal(raw, &report); err != nil {
		return err
	}
	for _, file := range report.Files {
		r.results[file.FileName] = append(r.results[file.FileName], file.Mutations...)
	}
	return nil
}

func modTime(path string) int64 {
	if info, err := os.Stat(path); err == nil {
		return info.ModTime().UnixNano()
	}
	return 0
}

// logLine is one mutant as gremlins prints it: "LIVED CONDITIONALS_BOUNDARY at content.go:36:26".
var logLine = regexp.MustCompile(`^\s*(KILLED|LIVED|TIMED OUT|NOT COVERED|NOT VIABLE|SKIPPED|RUNNABLE) ([A-Z_]+) at (\S+\.go):(\d+):(\d+)\s*$`)

// readLog reads the mutants a gremlins output lists, by place.
func readLog(path string) (map[string]mutant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	found := map[string]mutant{}
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		match := logLine.FindStringSubmatch(scanner.Text())
		if match == nil {
			continue
		}
		line, _ := strconv.Atoi(match[4])
		column, _ := strconv.Atoi(match[5])
		m := mutant{file: match[3], mutation: mutation{Status: match[1], Type: match[2], Line: line, Column: column}}
		found[m.place()] = m
	}
	return found, scanner.Err()
}

// merge combines the runs of each package; for each file the newest run
// that mutated it wins.
func merge(runs []run) []pkgResult {
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].modTime < runs[j].modTime })
	byName := map[string]*pkgResult{}
	var names []string
	for _, r := range runs {
		p := byName[r.pkg]
		if p == nil {
			p = &pkgResult{name: r.pkg, results: map[string][]mutation{}}
			byName[r.pkg] = p
			names = append(names, r.pkg)
		}
		p.seconds += r.seconds
		if r.files == nil {
			p.results = map[string][]mutation{}
			p.partial = nil
		} else if len(p.results) == 0 || p.partial != nil {
			p.partial = union(p.partial, r.files)
		}
		for _, file := range r.files {
			delete(p.results, file)
		}
		for file, mutations := range r.results {
			p.results[file] = mutations
		}
	}
	sort.Strings(names)
	merged := make([]pkgResult, 0, len(names))
	for _, name := range names {
		merged = append(merged, *byName[name])
	}
	return merged
}

func union(a, b []string) []string {
	set := map[string]bool{}
	for _, s := range append(append([]string(nil), a...), b...) {
		set[s] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// readExplained reads lines "<package>/<file>:<line>:<column> <TYPE> <reason>";
// # starts a comment.
func readExplained(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return map[string]string{}, nil
		}
		return nil, err
	}
	defer f.Close()
	explained := map[string]string{}
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.SplitN(line, " ", 3)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want \"<package>/<file>:<line>:<column> <TYPE> <reason>\"", path, n)
		}
		explained[fields[0]+" "+fields[1]] = strings.TrimSpace(fields[2])
	}
	return explained, scanner.Err()
}

type counts struct{ killed, lived, timedOut, notCovered, notViable, notRun int }

func (c counts) efficacy() string { return percent(c.killed, c.killed+c.lived) }
func (c counts) mutantCoverage() string {
	return percent(c.killed+c.lived, c.killed+c.lived+c.notCovered)
}

func percent(part, whole int) string {
	if whole == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(part)/float64(whole))
}

func count(p pkgResult) counts {
	var c counts
	for _, mutations := range p.results {
		for _, m := range mutations {
			switch m.Status {
			case killed:
				c.killed++
			case lived:
				c.lived++
			case timedOut:
				c.timedOut++
			case notCovered:
				c.notCovered++
			case notViable:
				c.notViable++
			case notRun:
				c.notRun++
			}
		}
	}
	return c
}

// mutant is one mutation with its place, for the lists.
type mutant struct {
	key, file string // key: <package>/<file>:<line>:<column> <TYPE>
	mutation
}

func (m mutant) place() string {
	return fmt.Sprintf("%s:%d:%d %s", m.file, m.Line, m.Column, m.Type)
}

func withStatus(p pkgResult, status string) []mutant {
	var out []mutant
	for file, mutations := range p.results {
		for _, m := range mutations {
			if m.Status == status {
				place := fmt.Sprintf("%s/%s:%d:%d", p.name, file, m.Line, m.Column)
				out = append(out, mutant{key: place + " " + m.Type, file: file, mutation: m})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].file != out[j].file {
			return out[i].file < out[j].file
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].key < out[j].key
	})
	return out
}

func writePage(w io.Writer, packages []pkgResult, explained map[string]string, srcRoot string) error {
	b := &strings.Builder{}
	b.WriteString(`# Mutation testing results

Generated by ` + "`make mutation`" + ` (tools/mutation/mutation.sh, then
tools/mutation/report) from the gremlins reports in tools/mutation/data; do not
edit by hand. The reasons come from tools/mutation/explained.txt.

A mutant is the code with one small change (a comparison flipped, a condition
negated, + for -, ...). KILLED: a test of the package failed. LIVED: every test
passed, so no test notices that change. TIMED OUT: the tests ran longer than the
timeout (a hang, or a build on a loaded machine). NOT COVERED: no test runs that
line. NOT RUN: the run was interrupted before that mutant (the results of the
mutants it reached still count). Efficacy is killed / (killed + lived); mutant
coverage is (killed + lived) / (killed + lived + not covered).

## Score per package

| Package | Files mutated | Killed | Lived | Timed out | Not covered | Not run (interrupted) | Efficacy | Mutant coverage | Run time |
|---|---|---|---|---|---|---|---|---|---|
`)
	for _, p := range packages {
		c := count(p)
		fmt.Fprintf(b, "| `internal/%s` | %s | %d | %d | %d | %d | %d | %s | %s | %s |\n", p.name, filesMutated(p, srcRoot),
			c.killed, c.lived, c.timedOut, c.notCovered, c.notRun, c.efficacy(), c.mutantCoverage(), minutes(p.seconds))
	}
	b.WriteString("\n## Surviving mutants\n")
	for _, p := range packages {
		survivors := withStatus(p, lived)
		fmt.Fprintf(b, "\n### internal/%s\n\n", p.name)
		if len(survivors) == 0 {
			b.WriteString("None.\n")
			continue
		}
		b.WriteString("| Mutant | Line | Why it does not matter |\n|---|---|---|\n")
		for _, m := range survivors {
			reason := explained[m.key]
			if reason == "" {
				reason = "**unexplained**: add a test that kills it, or a reason to tools/mutation/explained.txt"
			}
			fmt.Fprintf(b, "| `%s:%d:%d` %s | `%s` | %s |\n", m.file, m.Line, m.Column, m.Type,
				strings.ReplaceAll(sourceLine(filepath.Join(srcRoot, p.name, m.file), m.Line), "|", `\|`), reason)
		}
	}
	b.WriteString("\n## Timed out, not covered, not run\n\n")
	for _, p := range packages {
		for _, status := range []string{timedOut, notCovered, notRun} {
			list := withStatus(p, status)
			if len(list) == 0 {
				continue
			}
			places := make([]string, len(list))
			for i, m := range list {
				places[i] = fmt.Sprintf("`%s:%d:%d` %s", m.file, m.Line, m.Column, m.Type)
			}
			fmt.Fprintf(b, "- `internal/%s`, %s: %s\n", p.name, strings.ToLower(status), strings.Join(places, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// filesMutated says "all" or which files a partial run covered, out of the
// package's non-test Go files.
func filesMutated(p pkgResult, srcRoot string) string {
	all, _ := filepath.Glob(filepath.Join(srcRoot, p.name, "*.go"))
	total := 0
	for _, path := range all {
		if !strings.HasSuffix(path, "_test.go") {
			total++
		}
	}
	if p.partial == nil {
		return fmt.Sprintf("all %d", total)
	}
	return fmt.Sprintf("%d of %d: %s", len(p.partial), total, strings.Join(p.partial, ", "))
}

func minutes(seconds int) string {
	if seconds == 0 {
		return "-"
	}
	return fmt.Sprintf("%d min %02d s", seconds/60, seconds%60)
}

// sourceLine is line n of path, trimmed, or "" when it cannot be read.
func sourceLine(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for i := 1; scanner.Scan(); i++ {
		if i == n {
			return strings.TrimSpace(scanner.Text())
		}
	}
	return ""
}
