// Command benchchart draws tools/bench/chart.png from the benchmark's data
// folder (tools/bench/bench.sh writes one <size>.csv per size): for each size
// and phase, the wall time and the CPU seconds of every system relative to the
// floor's (the floor is 1), labelled with the seconds, and the wall-time target.
//
//	go run ./tools/benchchart -data tools/bench/data -out tools/bench/chart.png
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
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// systems in drawing order, with their colours (wall; CPU is drawn lighter).
var systems = []struct {
	name  string
	label string
	color color.RGBA
}{
	{"floor", "floor: minimal framework provider + discarding sink", color.RGBA{40, 90, 200, 255}},
	{"mpaas", "mpaas: this provider + emulator", color.RGBA{200, 40, 40, 255}},
	{"tfdata", "tfdata: terraform_data with the same for_each, no plugin (reference)", color.RGBA{40, 160, 80, 255}},
}

// wallTargets are the issues' wall-time limits relative to the floor: #14's
// on loopback, #23's against a far service.
var wallTargets = map[string]float64{"apply": 2, "noop": 1.3}
var farWallTargets = map[string]float64{"apply": 1.25, "noop": 1.1}

var phases = []string{"apply", "noop"}

func main() {
	data := flag.String("data", "tools/bench/data", "folder holding <size>.csv files written by tools/bench/bench.sh")
	out := flag.String("out", "tools/bench/chart.png", "PNG to write")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "benchchart:", err)
		os.Exit(1)
	}
}

// measure is one system's cost in one phase.
type measure struct{ wall, cpu float64 }

// group is one size and phase: the systems measured, and a caption.
type group struct {
	caption string
	note    string // under the caption, beside the phase
	far     bool   // measured with latency added to every request
	phase   string
	by      map[string]measure
}

func run(dataDir, out string) error {
	paths, err := filepath.Glob(filepath.Join(dataDir, "*.csv"))
	if err != nil {
		return err
	}
	// The standard sizes (a, b) before their variants (b-100apps).
	sort.Slice(paths, func(i, j int) bool {
		if len(paths[i]) != len(paths[j]) {
			return len(paths[i]) < len(paths[j])
		}
		return paths[i] < paths[j]
	})
	var groups []group
	for _, path := range paths {
		if filepath.Base(path) == "memcheck.csv" {
			continue
		}
		file, err := os.Open(path)
		if err != nil {
			return err
		}
		found, err := readGroups(file)
		file.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		groups = append(groups, found...)
	}
	if len(groups) == 0 {
		return fmt.Errorf("no benchmark CSV in %s", dataDir)
	}
	output, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(output, render(groups)); err != nil {
		output.Close()
		return err
	}
	return output.Close()
}

// readGroups reads one size's CSV: a header row naming at least size, n,
// bytes, system, phase, wall_s and cpu_s, then one row per system and phase.
func readGroups(r io.Reader) ([]group, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, errors.New("no data rows")
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"size", "n", "bytes", "system", "phase", "wall_s", "cpu_s"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("missing column %q", name)
		}
	}
	byPhase := map[string]map[string]measure{}
	var caption, note string
	far := false
	for _, row := range rows[1:] {
		if len(row) != len(rows[0]) {
			return nil, fmt.Errorf("row %v has %d fields, want %d", row, len(row), len(rows[0]))
		}
		wall, err1 := strconv.ParseFloat(row[col["wall_s"]], 64)
		cpu, err2 := strconv.ParseFloat(row[col["cpu_s"]], 64)
		n, err3 := strconv.Atoi(row[col["n"]])
		bytes, err4 := strconv.ParseFloat(row[col["bytes"]], 64)
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, err
		}
		caption = fmt.Sprintf("%s: %d x %s", row[col["size"]], n, humanBytes(bytes/float64(n)))
		if apps, ok := col["apps"]; ok && row[apps] != row[col["n"]] {
			note = row[apps] + " apps"
		}
		if mode, ok := col["mode"]; ok && row[mode] == "far" && !far {
			far = true
			if latency, ok := col["latency_ms"]; ok {
				note = strings.TrimPrefix(note+", ", ", ") + "far (" + row[latency] + " ms)"
			}
		}
		phase := row[col["phase"]]
		if byPhase[phase] == nil {
			byPhase[phase] = map[string]measure{}
		}
		byPhase[phase][row[col["system"]]] = measure{wall, cpu}
	}
	var groups []group
	for _, phase := range phases {
		by := byPhase[phase]
		if by == nil {
			continue
		}
		if by["floor"].wall <= 0 || by["floor"].cpu <= 0 {
			return nil, fmt.Errorf("phase %s has no floor row", phase)
		}
		groups = append(groups, group{caption: caption, note: note, far: far, phase: phase, by: by})
	}
	return groups, nil
}

func humanBytes(b float64) string {
	if b >= 1e6 {
		return fmt.Sprintf("%.0f MB", b/1e6)
	}
	return fmt.Sprintf("%.0f KB", b/1e3)
}

const (
	minWidth    = 960
	groupWidth  = 210 // wide enough for three pairs of bars and their labels
	height      = 600
	left, right = 70, 20
	top, bottom = 50, 170
	maxBarWidth = 28
	pairGap     = 6
)

// chartWidth grows with the number of groups so bars and labels keep their size.
func chartWidth(groups int) int {
	return max(minWidth, left+right+groups*groupWidth)
}

func render(groups []group) *image.RGBA {
	width := chartWidth(len(groups))
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	black, grey := color.RGBA{0, 0, 0, 255}, color.RGBA{120, 120, 120, 255}
	maxRatio := 2.5
	for _, g := range groups {
		for _, m := range g.by {
			maxRatio = math.Max(maxRatio, math.Max(m.wall/g.by["floor"].wall, m.cpu/g.by["floor"].cpu))
		}
	}
	maxRatio = math.Ceil(maxRatio*1.15*2) / 2
	y := func(r float64) int { return height - bottom - int(r/maxRatio*float64(height-top-bottom)) }
	plotRight := width - right
	line(img, left, y(0), plotRight, y(0), grey)
	line(img, left, y(0), left, y(maxRatio), grey)
	for r := 0.0; r <= maxRatio+1e-9; r += 0.5 {
		label(img, 14, y(r)+4, fmt.Sprintf("%.1fx", r), grey)
		line(img, left-4, y(r), left, y(r), grey)
	}
	dashed(img, left, plotRight, y(1), grey)
	label(img, left, 20, "Wall time and CPU (Terraform + plugins) relative to the floor; bar labels in seconds", black)
	label(img, left, 36, "solid: wall time, light: CPU seconds; dashed: the floor (1x) and each phase's wall-time target", grey)

	slot := (plotRight - left) / len(groups)
	barWidth := min(maxBarWidth, (slot-20)/len(systems)/2-pairGap/2)
	for i, g := range groups {
		x0 := left + i*slot + (slot-len(systems)*(2*barWidth+pairGap))/2
		floor := g.by["floor"]
		for j, s := range systems {
			m, ok := g.by[s.name]
			if !ok {
				continue
			}
			x := x0 + j*(2*barWidth+pairGap)
			bar(img, x, barWidth, y(m.wall/floor.wall), y(0), s.color)
			bar(img, x+barWidth, barWidth, y(m.cpu/floor.cpu), y(0), lighter(s.color))
			label(img, x, y(m.wall/floor.wall)-4, short(m.wall), black)
			label(img, x+barWidth, y(m.cpu/floor.cpu)-4, short(m.cpu), grey)
		}
		targets := wallTargets
		if g.far {
			targets = farWallTargets
		}
		if target, ok := targets[g.phase]; ok {
			dashed(img, left+i*slot+6, left+(i+1)*slot-6, y(target), color.RGBA{200, 40, 40, 255})
			text := "target " + strconv.FormatFloat(target, 'f', -1, 64) + "x"
			label(img, left+(i+1)*slot-8-7*len(text), y(target)-4, text, color.RGBA{200, 40, 40, 255})
		}
		phase := "apply"
		if g.phase == "noop" {
			phase = "no-op plan"
		}
		if g.note != "" {
			phase += ", " + g.note
		}
		label(img, left+i*slot+10, y(0)+18, g.caption, black)
		label(img, left+i*slot+10, y(0)+32, phase, grey)
	}
	for i, s := range systems {
		legendY := height - bottom + 70 + i*22
		bar(img, left, maxBarWidth, legendY-10, legendY, s.color)
		bar(img, left+maxBarWidth, maxBarWidth, legendY-10, legendY, lighter(s.color))
		label(img, left+2*maxBarWidth+10, legendY, s.label, black)
	}
	return img
}

// short writes seconds in at most four characters, to fit above a bar; the
// results page has the exact figures.
func short(seconds float64) string {
	if seconds < 9.95 {
		return fmt.Sprintf("%.1f", seconds)
	}
	return fmt.Sprintf("%.0f", seconds)
}

func lighter(c color.RGBA) color.RGBA {
	mix := func(v uint8) uint8 { return uint8((int(v) + 2*255) / 3) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

func bar(img *image.RGBA, x, barWidth, yTop, yBottom int, c color.Color) {
	draw.Draw(img, image.Rect(x, yTop, x+barWidth-2, yBottom), image.NewUniform(c), image.Point{}, draw.Src)
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

// dashed draws a horizontal dashed line.
func dashed(img *image.RGBA, x0, x1, y int, c color.Color) {
	for x := x0; x < x1; x += 8 {
		line(img, x, y, min(x+4, x1), y, c)
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
