package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const header = "size,n,apps,bytes,system,phase,wall_s,cpu_s\n"

func TestDrawsEverySystemRelativeToTheFloor(t *testing.T) {
	dir := t.TempDir()
	csv := header +
		"a,100,100,299800000,mpaas,apply,4.20,6.10\n" +
		"a,100,100,299800000,floor,apply,1.35,2.40\n" +
		"a,100,100,299800000,tfdata,apply,0.30,0.50\n" +
		"a,100,100,299800000,mpaas,noop,1.10,1.50\n" +
		"a,100,100,299800000,floor,noop,0.60,0.90\n"
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	// memcheck.csv has other columns and is not a size.
	if err := os.WriteFile(filepath.Join(dir, "memcheck.csv"), []byte("date,size_bytes,provider_peak_kib\n2026-01-01,1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "chart.png")
	if err := run(dir, out); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	img, err := png.Decode(file)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != chartWidth(2) || img.Bounds().Dy() != height {
		t.Fatalf("size %v", img.Bounds())
	}
	for _, s := range systems {
		if !hasColour(img, s.color.R, s.color.G, s.color.B) {
			t.Errorf("no bar of %s was drawn", s.name)
		}
	}
}

func TestRejectsDataWithoutAFloor(t *testing.T) {
	if _, err := readGroups(strings.NewReader(header)); err == nil {
		t.Error("a CSV without data rows must be rejected")
	}
	noFloor := header + "a,100,100,1000,mpaas,apply,4.2,6.1\n"
	if _, err := readGroups(strings.NewReader(noFloor)); err == nil {
		t.Error("a phase without the floor has nothing to be relative to and must be rejected")
	}
	if err := run(t.TempDir(), filepath.Join(t.TempDir(), "chart.png")); err == nil {
		t.Error("an empty data folder must be rejected")
	}
}

func hasColour(img image.Image, r, g, b uint8) bool {
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if cr, cg, cb, _ := img.At(x, y).RGBA(); uint8(cr>>8) == r && uint8(cg>>8) == g && uint8(cb>>8) == b {
				return true
			}
		}
	}
	return false
}
