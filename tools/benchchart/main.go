// Command benchchart draws tools/bench/chart.png from the benchmark's CSV: time
// against the number of packages N, one line per measurement, so growth is
// visible at a glance.
//
//	go run ./tools/benchchart -in tools/bench/out/results.csv -out tools/bench/chart.png
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"os"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// series names the CSV columns drawn, with their colours.
var series = []struct {
	column string
	label  string
	color  color.RGBA
}{
	{"t_apply", "T_apply: terraform apply of the batch module", color.RGBA{200, 40, 40, 255}},
	{"t_floor", "T_tf + T_sha: terraform_data apply + sha256sum", color.RGBA{40, 90, 200, 255}},
	{"t_noop", "T_noop: no-op plan of the packages", color.RGBA{230, 140, 20, 255}},
	{"t_tf_noop", "T_tf_noop: no-op plan of terraform_data", color.RGBA{40, 160, 80, 255}},
}

func main() {
	in := flag.String("in", "tools/bench/out/results.csv", "CSV with a header row: n and the series columns, in seconds")
	out := flag.String("out", "tools/bench/chart.png", "PNG to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "benchchart:", err)
		os.Exit(1)
	}
}

type point struct{ n, seconds float64 }

func run(in, out string) error {
	file, err := os.Open(in)
	if err != nil {
		return err
	}
	defer file.Close()
	lines, err := readSeries(file)
	if err != nil {
		return err
	}
	img := render(lines)
	output, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(output, img); err != nil {
		output.Close()
		return err
	}
	return output.Close()
}

func readSeries(r io.Reader) (map[string][]point, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, errors.New("no data rows")
	}
	index := map[string]int{}
	for i, name := range rows[0] {
		index[name] = i
	}
	if _, ok := index["n"]; !ok {
		return nil, errors.New(`missing column "n"`)
	}
	lines := map[string][]point{}
	for _, row := range rows[1:] {
		n, err := strconv.ParseFloat(row[index["n"]], 64)
		if err != nil {
			return nil, err
		}
		for _, s := range series {
			col, ok := index[s.column]
			if !ok {
				return nil, fmt.Errorf("missing column %q", s.column)
			}
			seconds, err := strconv.ParseFloat(row[col], 64)
			if err != nil {
				return nil, err
			}
			lines[s.column] = append(lines[s.column], point{n, seconds})
		}
	}
	return lines, nil
}

const (
	width, height = 900, 560
	left, right   = 80, 30
	top, bottom   = 40, 150
)

func render(lines map[string][]point) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	maxN, maxT := 1.0, 1.0
	for _, points := range lines {
		for _, p := range points {
			maxN, maxT = math.Max(maxN, p.n), math.Max(maxT, p.seconds)
		}
	}
	maxT = math.Ceil(maxT*1.1*10) / 10
	x := func(n float64) int { return left + int(n/maxN*float64(width-left-right)) }
	y := func(t float64) int { return height - bottom - int(t/maxT*float64(height-top-bottom)) }
	grey := color.RGBA{120, 120, 120, 255}
	line(img, x(0), y(0), x(maxN), y(0), grey)
	line(img, x(0), y(0), x(0), y(maxT), grey)
	for i := 0; i <= 5; i++ {
		t := maxT * float64(i) / 5
		label(img, 10, y(t)+4, fmt.Sprintf("%.1f s", t), grey)
		line(img, x(0)-4, y(t), x(0), y(t), grey)
	}
	for _, p := range lines["t_apply"] {
		label(img, x(p.n)-10, y(0)+18, fmt.Sprintf("N=%.0f", p.n), grey)
	}
	label(img, left, 24, "Batch apply time against the number of packages (seconds)", color.RGBA{0, 0, 0, 255})
	for i, s := range series {
		points := lines[s.column]
		for j := 1; j < len(points); j++ {
			thick(img, x(points[j-1].n), y(points[j-1].seconds), x(points[j].n), y(points[j].seconds), s.color)
		}
		for _, p := range points {
			dot(img, x(p.n), y(p.seconds), s.color)
		}
		legendY := height - bottom + 45 + i*22
		thick(img, left, legendY-4, left+30, legendY-4, s.color)
		label(img, left+40, legendY, s.label, color.RGBA{0, 0, 0, 255})
	}
	return img
}

func label(img *image.RGBA, x, y int, text string, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(text)
}

// line draws with Bresenham's algorithm.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for {
		img.Set(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * err; e2 >= dy {
			err += dy
			x0 += sx
		} else if e2 <= dx {
			err += dx
			y0 += sy
		} else {
			err += dy
			x0 += sx
		}
	}
}

func thick(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	for d := -1; d <= 1; d++ {
		line(img, x0, y0+d, x1, y1+d, c)
	}
}

func dot(img *image.RGBA, cx, cy int, c color.Color) {
	for dx := -3; dx <= 3; dx++ {
		for dy := -3; dy <= 3; dy++ {
			if dx*dx+dy*dy <= 9 {
				img.Set(cx+dx, cy+dy, c)
			}
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
