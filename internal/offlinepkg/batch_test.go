package offlinepkg

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func goodZip(t testing.TB, id string) []byte {
	return zipBytes(t, zent{name: id + "/www/index.html", body: "<html>" + id + "</html>"})
}

func TestScanBatchDir(t *testing.T) {
	tests := []struct {
		name        string
		files       map[string][]byte
		dirs        []string
		wantIDs     []string
		wantIgnored []string
		wantProblem map[string]string // file -> substring; "" file = whole directory
	}{
		{
			name:    "good",
			files:   map[string][]byte{"23456789.zip": {1}, "12345678.zip": {2, 3}, "34567890.ZIP": {4}},
			wantIDs: []string{"12345678", "23456789", "34567890"},
		},
		{
			name:        "non-zip and subdirectories ignored",
			files:       map[string][]byte{"12345678.zip": {1}, "README.md": {1}, ".DS_Store": {1}, "12345678.zip.bak": {1}},
			dirs:        []string{"sub", "87654321.zip"},
			wantIDs:     []string{"12345678"},
			wantIgnored: []string{".DS_Store", "12345678.zip.bak", "87654321.zip", "README.md", "sub"},
		},
		{
			name:    "bad names",
			files:   map[string][]byte{"1234.zip": {1}, "abcdefgh.zip": {1}, "20000196.zip": {1}, "66666612.zip": {1}, "123456789.zip": {1}, "12345678.zip": {1}},
			wantIDs: []string{"12345678"},
			wantProblem: map[string]string{
				"1234.zip":      `1234.zip must be named after its 8-digit H5App ID, such as 12345678.zip (R21): H5App ID "1234" must be exactly 8 digits`,
				"abcdefgh.zip":  "exactly 8 digits",
				"20000196.zip":  "reserved by the mPaaS client SDK",
				"66666612.zip":  "must not start with 666666",
				"123456789.zip": "(R2)",
			},
		},
		{
			name:        "reserved and forbidden prefix reported together",
			files:       map[string][]byte{"66666692.zip": {1}},
			wantProblem: map[string]string{"66666692.zip": "(R3); H5App ID \"66666692\" must not start with 666666"},
		},
		{
			name:        "duplicate ID in two letter cases",
			files:       map[string][]byte{"12345678.zip": {1}, "12345678.ZIP": {1}},
			wantIDs:     []string{"12345678"},
			wantProblem: map[string]string{"12345678.zip": "both name H5App 12345678"},
		},
		{name: "empty directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				writeFile(t, dir, name, data)
			}
			for _, d := range tt.dirs {
				if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			files, ignored, problems, err := ScanBatchDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range files {
				ids = append(ids, f.H5AppID)
				if filepath.Dir(f.Path) != dir || f.Size != int64(len(tt.files[filepath.Base(f.Path)])) {
					t.Errorf("file %+v", f)
				}
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("ids = %v, want %v", ids, tt.wantIDs)
			}
			if !reflect.DeepEqual(ignored, tt.wantIgnored) {
				t.Errorf("ignored = %v, want %v", ignored, tt.wantIgnored)
			}
			if len(problems) != len(tt.wantProblem) {
				t.Errorf("problems = %+v, want %v", problems, tt.wantProblem)
			}
			for _, p := range problems {
				want, ok := tt.wantProblem[p.File]
				if !ok && p.File == "12345678.ZIP" {
					want, ok = tt.wantProblem["12345678.zip"], true
				}
				if !ok || !strings.Contains(p.Message, want) {
					t.Errorf("problem %+v, want %q", p, want)
				}
				if p.File != "" && !strings.Contains(p.Message, p.File) {
					t.Errorf("problem does not name its file: %+v", p)
				}
			}
		})
	}
}

func TestScanBatchDirLimits(t *testing.T) {
	t.Run("100 files ok, 101 too many", func(t *testing.T) {
		dir := t.TempDir()
		for i := range 100 {
			writeFile(t, dir, fmt.Sprintf("%d.zip", 10000000+i), nil)
		}
		files, _, problems, err := ScanBatchDir(dir)
		if err != nil || len(files) != 100 || len(problems) != 0 {
			t.Fatalf("100: %d files, %v, %v", len(files), problems, err)
		}
		writeFile(t, dir, "10000100.zip", nil)
		files, _, problems, _ = ScanBatchDir(dir)
		if len(files) != 101 || len(problems) != 1 || problems[0].File != "" ||
			!strings.Contains(problems[0].Message, "holds 101 packages (.zip files and package folders); at most 100") {
			t.Fatalf("101: %d files, %+v", len(files), problems)
		}
	})
	t.Run("300 MB ok, one byte more too big", func(t *testing.T) {
		dir := t.TempDir()
		sparse := func(name string, size int64) {
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(size); err != nil {
				t.Fatal(err)
			}
		}
		sparse("12345678.zip", 150*1000*1000)
		sparse("23456789.zip", 150*1000*1000)
		_, _, problems, _ := ScanBatchDir(dir)
		if len(problems) != 0 {
			t.Fatalf("exactly 300 MB: %+v", problems)
		}
		sparse("23456789.zip", 150*1000*1000+1)
		_, _, problems, _ = ScanBatchDir(dir)
		if len(problems) != 1 || !strings.Contains(problems[0].Message, "total 300000001 bytes (300.0 MB); at most 300000000 bytes (300 MB)") {
			t.Fatalf("over 300 MB: %+v", problems)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		if _, _, _, err := ScanBatchDir(filepath.Join(t.TempDir(), "nope")); err == nil {
			t.Fatal("no error")
		}
	})
	if MaxBatchBytes != 300000000 || MaxBatchFiles != 100 {
		t.Fatal("R22 caps changed")
	}
}

func TestInspectBatch(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "12345678.zip", goodZip(t, "12345678"))
	writeFile(t, dir, "23456789.zip", zipBytes(t, f("www/index.html"), f("../evil"))) // zip slip; files at the root (one violation, not one more for "no files")
	writeFile(t, dir, "34567890.zip", []byte("not a zip"))                            // R9
	writeFile(t, dir, "45678901.zip", zipBytes(t, f("45678901/www/index.html")))      // main_url missing
	writeFile(t, dir, "56789012.zip", zipBytes(t, f("56789012/www/index.html")))      // good
	files, _, problems, err := ScanBatchDir(dir)
	if err != nil || len(problems) != 0 {
		t.Fatal(err, problems)
	}
	files = append(files, BatchFile{H5AppID: "67890123", Path: filepath.Join(dir, "67890123.zip")}) // vanished

	opts := func(f BatchFile) InspectOptions {
		o := InspectOptions{H5AppID: f.H5AppID, ResourceType: "normal"}
		if f.H5AppID == "45678901" {
			o.MainURL = "/www/main.html"
		}
		return o
	}
	for _, workers := range []int{0, 1, 3, 100} {
		problems := InspectBatch(files, opts, workers)
		var got []string
		for _, p := range problems {
			got = append(got, p.File)
			if !strings.HasPrefix(p.Message, p.File+" (H5App ") {
				t.Errorf("problem does not start with its file: %q", p.Message)
			}
		}
		want := []string{"23456789.zip", "34567890.zip", "45678901.zip", "67890123.zip"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("workers=%d: problem files = %v, want %v", workers, got, want)
		}
		msg := problems[0].Message
		if !strings.Contains(msg, "has 2 problems: (1)") || !strings.Contains(msg, "zip slip") || !strings.Contains(msg, "at its root") {
			t.Errorf("not every violation named: %q", msg)
		}
		if !strings.Contains(problems[1].Message, "R9") || !strings.Contains(problems[2].Message, "main_url") || !strings.Contains(problems[3].Message, "cannot be read") {
			t.Errorf("problems = %+v", problems)
		}
	}
	if p := InspectBatch(nil, nil, 4); len(p) != 0 {
		t.Errorf("empty batch: %v", p)
	}
	// nil opts checks the layout against each file's own ID.
	if p := InspectBatch(files[:1], nil, 1); len(p) != 0 {
		t.Errorf("nil opts: %v", p)
	}
}

func TestBatchPackageFolders(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, filepath.Join(dir, "12345678"), map[string]string{"www/index.html": "<html/>"})
	writeTree(t, filepath.Join(dir, "66666600"), map[string]string{"www/index.html": "<html/>"}) // R4
	writeTree(t, filepath.Join(dir, "23456789"), map[string]string{"index.html": "x"})
	writeFile(t, dir, "23456789.zip", nil)
	writeTree(t, filepath.Join(dir, "assets"), map[string]string{"logo.png": "png"})

	files, ignored, problems, err := ScanBatchDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || !files[0].Folder || files[0].H5AppID != "12345678" || files[0].Size != int64(len("<html/>")) {
		t.Fatalf("files = %+v", files)
	}
	if !reflect.DeepEqual(ignored, []string{"assets"}) {
		t.Fatalf("ignored = %v", ignored)
	}
	var named []string
	for _, p := range problems {
		named = append(named, p.File)
	}
	if !reflect.DeepEqual(named, []string{"23456789.zip", "66666600/"}) {
		t.Fatalf("problems = %+v", problems)
	}
	if !strings.Contains(problems[0].Message, "both name H5App 23456789") || !strings.Contains(problems[1].Message, "R4") {
		t.Fatalf("problems = %+v", problems)
	}

	if inspectProblems := InspectBatch(files[:1], func(f BatchFile) InspectOptions {
		return InspectOptions{H5AppID: f.H5AppID, MainURL: "/www/main.html"}
	}, 2); len(inspectProblems) != 1 || !strings.Contains(inspectProblems[0].Message, "main_url") {
		t.Fatalf("a folder without its main_url: %v", inspectProblems)
	}
}

// A batch is inspected at every plan: it must not read the packages' bytes.
func TestInspectBatchReadsNoContent(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "12345678.zip", goodZip(t, "12345678"))
	writeTree(t, filepath.Join(dir, "23456789"), map[string]string{"www/index.html": "<html/>", "www/app.js": "let a"})
	files, _, problems, err := ScanBatchDir(dir)
	if err != nil || len(problems) != 0 || len(files) != 2 {
		t.Fatal(err, problems, files)
	}
	before := DefaultZipCache.hashes.Load() + DefaultHashCache.hashes.Load()
	if problems := InspectBatch(files, nil, 2); len(problems) != 0 {
		t.Fatalf("problems %v", problems)
	}
	if after := DefaultZipCache.hashes.Load() + DefaultHashCache.hashes.Load(); after != before {
		t.Fatalf("inspecting the batch hashed %d files", after-before)
	}
}
