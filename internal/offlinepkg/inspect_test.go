package offlinepkg

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const testID = "12345678"

var mcube = testID + "/" + GlobalResourceFolder

func TestInspectRules(t *testing.T) {
	normal := InspectOptions{H5AppID: testID, ResourceType: "normal"}
	global := InspectOptions{H5AppID: testID, ResourceType: "global"}
	withMain := func(o InspectOptions, u string) InspectOptions { o.MainURL = u; return o }

	// exactly 100 and 101 characters of resource path
	path100 := "/" + strings.Repeat("a", 99)
	path101 := "/" + strings.Repeat("a", 100)
	path100Multi := "/" + strings.Repeat("é", 99) // 100 characters, 199 bytes

	tests := []struct {
		name    string
		entries []zent
		opts    InspectOptions
		want    []string // Rule/Attribute of each violation, in order
		substr  []string // must appear in the joined messages
	}{
		{name: "good normal", entries: []zent{f(testID + "/"), f(testID + "/www/"), f(testID + "/www/index.html")}, opts: normal},
		{name: "good unknown type", entries: []zent{f(testID + "/www/index.html")}, opts: InspectOptions{H5AppID: testID}},
		{name: "unknown id skips folder rule", entries: []zent{f("other/www/index.html")}, opts: InspectOptions{}},
		{name: "outside top folder", entries: []zent{f(testID + "/a.html"), f("index.html"), f("87654321/a.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{`2 entries outside the top-level folder "12345678/"`, `"index.html"`, "zip -r 12345678.zip 12345678"}},
		{name: "macos junk hint", entries: []zent{f(testID + "/a.html"), f("__MACOSX/12345678/._a.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"__MACOSX", "zip -r -X"}},
		{name: "id prefix is not the folder", entries: []zent{f(testID + "9/a.html"), f(testID + "/a.html")}, opts: normal,
			want: []string{"layout/source"}},
		{name: "no files", entries: []zent{f(testID + "/"), f(testID + "/www/")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{`contains no files under the top-level folder "12345678/"`}},
		{name: "no entries at all", entries: nil, opts: normal,
			want: []string{"layout/source"}, substr: []string{"contains no files"}},
		{name: "absolute", entries: []zent{f(testID + "/a.html"), f("/" + testID + "/b.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{`absolute name`, `"/12345678/b.html"`}},
		{name: "dotdot", entries: []zent{f(testID + "/a.html"), f(testID + "/../../etc/passwd")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{`".." path elements in the name`, "zip slip"}},
		{name: "dot and empty elements", entries: []zent{f(testID + "/a.html"), f(testID + "/./b.html"), f(testID + "//c.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{`2 entries with "." or empty path elements`}},
		{name: "backslash", entries: []zent{f(testID + "/a.html"), f(testID + `\www\index.html`)}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"backslash"}},
		{name: "drive letter", entries: []zent{f(testID + "/a.html"), f("C:/" + testID + "/b.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"drive letter"}},
		{name: "NUL and control", entries: []zent{f(testID + "/a.html"), f(testID + "/b\x00.html"), f(testID + "/c\n.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"2 entries with a name containing NUL", `"12345678/b\x00.html"`}},
		{name: "non-UTF-8 name", entries: []zent{f(testID + "/a.html"), {name: testID + "/\xff\xfe.html", body: "x", nonUTF8: true}}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"not valid UTF-8"}},
		{name: "symlink", entries: []zent{f(testID + "/a.html"), {name: testID + "/link", body: "/etc/passwd", mode: os.ModeSymlink | 0o777}}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"symbolic link", `"12345678/link"`}},
		{name: "duplicate", entries: []zent{f(testID + "/a.html"), f(testID + "/a.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"more than once"}},
		{name: "several rules at once", entries: []zent{f(testID + "/a.html"), f("x.html"), f("/abs"), f(testID + `\b`)}, opts: normal,
			want: []string{"layout/source", "layout/source", "layout/source"}},
		{name: "examples capped", entries: []zent{f(testID + "/a"), f("1"), f("2"), f("3"), f("4"), f("5"), f("6"), f("7")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{`7 entries outside`, `"5" and 2 more`}},

		// files in the wrong place: one violation for the cause, no follow-on main_url error
		{name: "files at the root", entries: []zent{f("index.html"), f("www/"), f("www/app.js")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"layout/source"}, substr: []string{`The zip's files are at its root, not inside the folder "12345678/"`, "`cd dist && zip -r ../12345678.zip 12345678`", "source_dir"}},
		{name: "files at the root in one folder", entries: []zent{f("www/index.html"), f("www/app.js")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"layout/source"}, substr: []string{"at its root", `("www/index.html", "www/app.js")`}},
		{name: "files at the root in one folder without main_url", entries: []zent{f("www/index.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{"at its root"}},
		{name: "files under another folder", entries: []zent{f("dist/"), f("dist/www/index.html"), f("__MACOSX/dist/._index.html")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"layout/source"}, substr: []string{`Every file of the zip is under the folder "dist/" instead of "12345678/"`, "`mv dist 12345678 && zip -r 12345678.zip 12345678`", "zip -r -X"}},
		{name: "files under another H5App's folder", entries: []zent{f("87654321/www/index.html")}, opts: normal,
			want: []string{"layout/source"}, substr: []string{`under the folder "87654321/" instead of "12345678/"`}},
		{name: "files under a folder whose name needs quoting", entries: []zent{f("my site/www/index.html")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"layout/source"}, substr: []string{"`mv 'my site' 12345678 && zip -r 12345678.zip 12345678`"}},
		{name: "zipped one folder too high", entries: []zent{f("dist/"), f("dist/12345678/"), f("dist/12345678/www/index.html")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"layout/source"}, substr: []string{`Every file of the zip is under "dist/12345678/"`, "one folder too high", "`cd dist && zip -r ../12345678.zip 12345678`"}},
		{name: "files under the H5App folder twice", entries: []zent{f(testID + "/"), f(testID + "/" + testID + "/"), f(testID + "/" + testID + "/www/index.html")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"layout/source"}, substr: []string{`Every file of the zip is under "12345678/12345678/"`, "`cd 12345678 && zip -r ../12345678.zip 12345678`"}},

		// R7
		{name: "global good", entries: []zent{f(testID + "/"), f(mcube + "/"), f(mcube + "/1_2/js/app.js"), f(mcube + "/index.html")}, opts: global},
		{name: "global ignored for normal", entries: []zent{f(testID + "/www/index.html")}, opts: normal},
		{name: "global wrong second level", entries: []zent{f(mcube + "/a.js"), f(testID + "/www/index.html"), f(testID + "/top.js")}, opts: global,
			want: []string{"R7/source"}, substr: []string{`2 files outside "12345678/mcube-prod.mpaascloud.com/"`, "real-time release acceleration"}},
		{name: "global with no mcube at all blames resource_type", entries: []zent{f(testID + "/www/index.html")}, opts: global,
			want: []string{"R7/resource_type"}, substr: []string{`resource_type = "normal"`}},
		{name: "global mcube as a file", entries: []zent{f(mcube + "/a.js"), f(testID + "/" + GlobalResourceFolder + ".bak")}, opts: global,
			want: []string{"R7/source"}},
		{name: "global path 100", entries: []zent{f(mcube + path100)}, opts: global},
		{name: "global path 100 multibyte", entries: []zent{f(mcube + path100Multi)}, opts: global},
		{name: "global path 101", entries: []zent{f(mcube + path101), f(mcube + "/ok.js")}, opts: global,
			want: []string{"R7/source"}, substr: []string{"1 file whose resource path is longer than 100 characters", path101}},

		// R15
		{name: "main_url present", entries: []zent{f(testID + "/www/index.html")}, opts: withMain(normal, "/www/index.html")},
		{name: "main_url absent", entries: []zent{f(testID + "/www/index.html")}, opts: withMain(normal, "/www/main.html"),
			want: []string{"R15/main_url"}, substr: []string{`no file "12345678/www/main.html" (no such file)`}},
		{name: "main_url absent suggests the nearest HTML files",
			entries: []zent{f(testID + "/docs/x.html"), f(testID + "/www/about.html"), f(testID + "/www/sub/index.html"), f(testID + "/www/index.html"), f(testID + "/app/main.html"), f(testID + "/www/app.js")},
			opts:    withMain(normal, "/www/main.html"), want: []string{"R15/main_url"},
			substr: []string{`HTML files in the package: "/app/main.html", "/www/index.html", "/www/sub/index.html". Set main_url to one of them`}},
		{name: "main_url absent with one HTML file", entries: []zent{f(testID + "/index.HTM"), f(testID + "/a.js")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"R15/main_url"}, substr: []string{`The package's HTML file is "/index.HTM": set main_url = "/index.HTM"`}},
		{name: "main_url absent without HTML files", entries: []zent{f(testID + "/a.js")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"R15/main_url"}, substr: []string{"The package has no .html file"}},
		{name: "main_url folder suggests its index", entries: []zent{f(testID + "/about.html"), f(testID + "/www/index.html")}, opts: withMain(normal, "/www"),
			want: []string{"R15/main_url"}, substr: []string{`it is a folder, not a file). HTML files in the package: "/www/index.html", "/about.html".`}},
		{name: "main_url is a folder", entries: []zent{f(testID + "/www/"), f(testID + "/www/index.html")}, opts: withMain(normal, "/www"),
			want: []string{"R15/main_url"}, substr: []string{"it is a folder"}},
		{name: "main_url outside folder only", entries: []zent{f(testID + "/a.html"), f("www/index.html")}, opts: withMain(normal, "/www/index.html"),
			want: []string{"layout/source", "R15/main_url"}},
		{name: "main_url bad syntax", entries: []zent{f(testID + "/www/index.html")}, opts: withMain(normal, "www/index.html"),
			want: []string{"R15/main_url"}, substr: []string{`must start with "/"`}},
		{name: "main_url unknown id", entries: []zent{f("x/www/index.html")}, opts: InspectOptions{MainURL: "/nope.html"}},
		{name: "main_url in global package", entries: []zent{f(mcube + "/i.html")}, opts: withMain(global, "/"+GlobalResourceFolder+"/i.html")},

		// R9 extras
		{name: "unsupported method", entries: []zent{f(testID + "/a.html"), {raw: &zip.FileHeader{Name: testID + "/b.bin", Method: 99, CompressedSize64: 1, UncompressedSize64: 1}, body: "x"}}, opts: normal,
			want: []string{"R9/source"}, substr: []string{"store or deflate"}},
		{name: "encrypted", entries: []zent{f(testID + "/a.html"), {raw: &zip.FileHeader{Name: testID + "/b.bin", Method: zip.Store, Flags: 0x1, CompressedSize64: 1, UncompressedSize64: 1}, body: "x"}}, opts: normal,
			want: []string{"R9/source"}, substr: []string{"encrypted"}},

		// bombs
		{name: "declared huge uncompressed", entries: []zent{f(testID + "/a.html"), {raw: &zip.FileHeader{Name: testID + "/big.bin", Method: zip.Deflate, CompressedSize64: 5, UncompressedSize64: 3 << 30}, body: "\x03\x00\x00\x00\x00"}}, opts: normal,
			want: []string{"bomb/source", "bomb/source"}, substr: []string{"at most 2147483648 bytes (2.0 GiB)", "at most 200 times"}},
		{name: "declared compressed larger than file", entries: []zent{f(testID + "/a.html"), {raw: &zip.FileHeader{Name: testID + "/c.bin", Method: zip.Store, CompressedSize64: 1 << 40, UncompressedSize64: 10}, body: "0123456789"}}, opts: normal,
			want: []string{"bomb/source"}, substr: []string{"compressed size larger than the whole file"}},
		{name: "too many entries (custom cap)", entries: []zent{f(testID + "/1"), f(testID + "/2"), f(testID + "/3"), f(testID + "/4")}, opts: InspectOptions{H5AppID: testID, Limits: Limits{MaxEntries: 3}},
			want: []string{"bomb/source"}, substr: []string{"declares 4 entries; at most 3"}},
		{name: "entries at cap", entries: []zent{f(testID + "/1"), f(testID + "/2"), f(testID + "/3")}, opts: InspectOptions{H5AppID: testID, Limits: Limits{MaxEntries: 3}}},
		{name: "custom total cap", entries: []zent{{name: testID + "/a", body: strings.Repeat("x", 100)}}, opts: InspectOptions{H5AppID: testID, Limits: Limits{MaxUncompressedBytes: 99}},
			want: []string{"bomb/source"}, substr: []string{"at most 99 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := zipBytes(t, tt.entries...)
			_, vs := Inspect(bytes.NewReader(data), int64(len(data)), tt.opts)
			if got := rules(vs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("violations = %v, want %v\n%v", got, tt.want, vs)
			}
			var all strings.Builder
			for _, v := range vs {
				all.WriteString(v.Message + "\n")
				if !strings.HasSuffix(strings.TrimSpace(v.Message), ".") {
					t.Errorf("message is not a full sentence: %q", v.Message)
				}
				if v.String() == "" || !strings.Contains(v.String(), v.Rule) {
					t.Errorf("String() = %q", v.String())
				}
			}
			for _, s := range tt.substr {
				if !strings.Contains(all.String(), s) {
					t.Errorf("messages lack %q:\n%s", s, all.String())
				}
			}
		})
	}
}

func TestInspectEntryField(t *testing.T) {
	data := zipBytes(t, f(testID+"/a"), f("zzz"))
	_, vs := Inspect(bytes.NewReader(data), int64(len(data)), InspectOptions{H5AppID: testID})
	if len(vs) != 1 || vs[0].Entry != "zzz" {
		t.Fatalf("got %+v", vs)
	}
	data = zipBytes(t, f(mcube+"/"+strings.Repeat("b", 100)))
	_, vs = Inspect(bytes.NewReader(data), int64(len(data)), InspectOptions{H5AppID: testID, ResourceType: "global"})
	if len(vs) != 1 || vs[0].Entry != mcube+"/"+strings.Repeat("b", 100) {
		t.Fatalf("got %+v", vs)
	}
}

func TestInspectNotAZip(t *testing.T) {
	valid := zipBytes(t, f(testID+"/www/index.html"), f(testID+"/www/app.js"))

	corruptDir := bytes.Clone(valid)
	cd := bytes.Index(corruptDir, []byte("PK\x01\x02"))
	copy(corruptDir[cd:], "XXXX")

	badOffset := bytes.Clone(valid)
	eocd := bytes.LastIndex(badOffset, []byte("PK\x05\x06"))
	binary.LittleEndian.PutUint32(badOffset[eocd+12:], 0xfffffff0) // directory larger than the file

	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)

	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"empty", nil, "the file is empty"},
		{"random bytes", random, "not a zip archive (no end-of-central-directory record)"},
		{"text", []byte("hello, world\n"), "not a zip archive"},
		{"truncated end", valid[:len(valid)-10], "truncated"},
		{"truncated half", valid[:len(valid)/2], "truncated"},
		{"only local header magic", []byte("PK\x03\x04"), "truncated"},
		{"corrupt central directory", corruptDir, "central directory is corrupt"},
		{"directory size out of range", badOffset, "central directory is corrupt or truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, vs := Inspect(bytes.NewReader(tt.data), int64(len(tt.data)), InspectOptions{H5AppID: testID})
			if len(vs) != 1 || vs[0].Rule != "R9" || vs[0].Attribute != "source" {
				t.Fatalf("got %v", vs)
			}
			if !strings.Contains(vs[0].Message, tt.reason) {
				t.Errorf("message %q lacks %q", vs[0].Message, tt.reason)
			}
			if rep != (Report{}) {
				t.Errorf("report = %+v", rep)
			}
		})
	}
}

func TestIsZipName(t *testing.T) {
	for name, want := range map[string]bool{
		"12345678.zip": true, "a.ZIP": true, "x.Zip": true, "/p/q.zip": true,
		".zip": false, "zip": false, "a.zip.txt": false, "a.tar.gz": false, "": false, "azip": false,
	} {
		if got := IsZipName(name); got != want {
			t.Errorf("IsZipName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestInspectFile(t *testing.T) {
	p := zipFile(t, f(testID+"/www/index.html"))
	rep, vs, err := InspectFile(p, InspectOptions{H5AppID: testID, MainURL: "/www/index.html"})
	if err != nil || len(vs) != 0 || rep.Entries != 1 {
		t.Fatalf("rep=%+v vs=%v err=%v", rep, vs, err)
	}
	if _, _, err := InspectFile(filepath.Join(t.TempDir(), "missing.zip"), InspectOptions{}); !os.IsNotExist(err) {
		t.Errorf("missing file: err = %v", err)
	}
	if _, _, err := InspectFile(t.TempDir(), InspectOptions{}); err == nil {
		t.Error("directory: no error")
	}
	empty := writeFile(t, t.TempDir(), "empty.zip", nil)
	if _, vs, err := InspectFile(empty, InspectOptions{}); err != nil || len(vs) != 1 || !strings.Contains(vs[0].Message, "empty") {
		t.Errorf("empty: vs=%v err=%v", vs, err)
	}
}

func FuzzInspect(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add(zipBytes(f, zent{name: testID + "/www/index.html", body: "hi"}))
	f.Add(zipBytes(f, zent{name: mcube + "/a.js", body: "x"}, zent{name: "../x", body: "y"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, rt := range []string{"", "normal", "global"} {
			rep, vs := Inspect(bytes.NewReader(data), int64(len(data)), InspectOptions{H5AppID: testID, ResourceType: rt, MainURL: "/www/index.html"})
			if rep.Entries < 0 {
				t.Fatalf("negative entries")
			}
			for _, v := range vs {
				if v.Rule == "" || v.Attribute == "" || v.Message == "" {
					t.Fatalf("incomplete violation %+v", v)
				}
			}
			if len(data) == 0 && len(vs) != 1 {
				t.Fatalf("empty input: %v", vs)
			}
		}
	})
}
