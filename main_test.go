package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every build that stamps a version sets this package's version variable by
// name; renaming the variable without these files would ship "dev" silently.
func TestVersionIsStampedByEveryBuild(t *testing.T) {
	if version != "dev" {
		t.Errorf("an unstamped build reports version %q, want %q", version, "dev")
	}
	stampers := map[string]string{
		"GNUmakefile":                    `-X main.version=$(VERSION)`,
		".goreleaser.yml":                `-X main.version={{.Version}}`,
		"tools/scripts/release-check.sh": `-X main.version=$version`,
	}
	for file, flag := range stampers {
		content, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("read %s: %v", file, err)
		}
		if !strings.Contains(string(content), flag) {
			t.Errorf("%s does not build with %s", file, flag)
		}
	}
}

// make help lists the targets whose rule line carries a "## " description:
// every target of GNUmakefile and of the tools/*.mk files it includes needs
// one, and every tools/*.mk file must be included.
func TestEveryMakeTargetIsInMakeHelp(t *testing.T) {
	// A rule of a named target; not .PHONY, $(TOFU) or VAR := value.
	ruleLine := regexp.MustCompile(`^([a-zA-Z0-9][a-zA-Z0-9_.-]*):([^=]|$)`)
	included := map[string]bool{}
	files := []string{"GNUmakefile"}
	for i := 0; i < len(files); i++ {
		content, err := os.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(content), "\\\n", " ")
		for _, line := range strings.Split(text, "\n") {
			if rest, ok := strings.CutPrefix(line, "include "); ok {
				for _, name := range strings.Fields(rest) {
					included[name] = true
					files = append(files, name)
				}
				continue
			}
			if rule := ruleLine.FindStringSubmatch(line); rule != nil && !strings.Contains(line, " ## ") {
				t.Errorf("%s: target %s has no \"## \" description, so make help does not list it", files[i], rule[1])
			}
		}
	}
	mkFiles, err := filepath.Glob("tools/*.mk")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range mkFiles {
		if !included[name] {
			t.Errorf("%s is not included by GNUmakefile", name)
		}
	}
}
