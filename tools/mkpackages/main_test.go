package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

func TestPackagesAreValidAndDeterministic(t *testing.T) {
	for _, resourceType := range []string{"normal", "global"} {
		dir := t.TempDir()
		args := []string{"-dir", dir, "-ids", "12345678,23456789", "-type", resourceType, "-size", "70000"}
		if err := run(args, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		first, err := offlinepkg.HashFile(filepath.Join(dir, "12345678.zip"))
		if err != nil {
			t.Fatal(err)
		}
		if first.Size < 68000 || first.Size > 70000 {
			t.Errorf("%s: size %d, want just under 70000", resourceType, first.Size)
		}
		mainURL := "/www/index.html"
		if resourceType == "global" {
			mainURL = ""
		}
		_, violations, err := offlinepkg.InspectFile(filepath.Join(dir, "23456789.zip"), offlinepkg.InspectOptions{H5AppID: "23456789", ResourceType: resourceType, MainURL: mainURL})
		if err != nil || len(violations) > 0 {
			t.Fatalf("%s package breaks the rules: %v %v", resourceType, violations, err)
		}
		if err := os.Remove(filepath.Join(dir, "12345678.zip")); err != nil {
			t.Fatal(err)
		}
		if err := run(args, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		again, _ := offlinepkg.HashFile(filepath.Join(dir, "12345678.zip"))
		if again != first {
			t.Errorf("%s: not deterministic: %v then %v", resourceType, first, again)
		}
	}
}

func TestRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"-dir", "x"}, {"-dir", "x", "-ids", "1", "-type", "other"}} {
		if err := run(args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%v) accepted", args)
		}
	}
}
