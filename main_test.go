package main

import (
	"os"
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
