package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDrawsChartFromCSV(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "results.csv")
	csv := "n,t_apply,t_floor,t_noop,t_tf_noop\n10,2.0,1.5,0.9,0.8\n30,3.5,2.4,1.1,0.9\n100,8.1,6.0,1.9,1.3\n"
	if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "chart.png")
	if err := run(in, out); err != nil {
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
	if img.Bounds().Dx() != width || img.Bounds().Dy() != height {
		t.Fatalf("size %v", img.Bounds())
	}
	// The T_apply line colour must appear somewhere in the plot.
	found := false
	for y := 0; y < height && !found; y++ {
		for x := 0; x < width; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r>>8 == 200 && g>>8 == 40 && b>>8 == 40 {
				found = true
				break
			}
		}
	}
	if !found {
		t.Fatal("the T_apply series was not drawn")
	}
	if _, err := readSeries(strings.NewReader("n,t_apply\n")); err == nil {
		t.Fatal("a CSV without data rows must be rejected")
	}
}
