package provider

import (
	"strings"
	"testing"
)

// TestAccOfflinePackage_layoutMistakesAreOneError: the packaging mistakes
// seen in the trial each fail the plan with one error that names the cause
// and the fix, on the attribute to change, and nothing is written to mPaaS.
func TestAccOfflinePackage_layoutMistakesAreOneError(t *testing.T) {
	env := newTestEnv(t)
	cli := newCLIRun(t)
	pkg := func(source, mainURL string) string {
		return env.providerBlock() + `
resource "mpaas_offline_package" "pkg" {
  h5app_id                = "30030001"
  create_h5app_if_missing = true
  resource_type           = "normal"
  ` + source + `
  android                 = { min_version = "10.1.0" }
  main_url                = "` + mainURL + `"
}
`
	}
	cli.write("main.tf", pkg(`source = "pkg.zip"`, "/www/index.html"))
	cli.init()

	cases := []struct {
		name, config string
		files        map[string]string // written into the working folder; .zip names hold zips of their entries
		want         []string          // in order, after the error's summary
	}{
		{
			name:   "the zip holds the H5App folder's contents",
			config: pkg(`source = "pkg.zip"`, "/www/index.html"),
			files:  map[string]string{"pkg.zip/www/index.html": "<html/>", "pkg.zip/www/app.js": "x"},
			want: []string{"Error: Invalid offline package (layout rules)", `source = "pkg.zip"`,
				`The zip's files are at its root, not inside the folder "30030001/" ("www/app.js", "www/index.html").`,
				"`cd dist && zip -r ../30030001.zip 30030001`"},
		},
		{
			name:   "source_dir holds the H5App folder",
			config: pkg(`source_dir = "site"`, "/www/index.html"),
			files:  map[string]string{"site/30030001/www/index.html": "<html/>"},
			want: []string{"Error: Invalid offline package (layout rules)", `source_dir = "site"`,
				`The folder "site" holds the H5App folder "30030001/" itself`, `Point source_dir at the inner folder, whose files go below "30030001/": source_dir = "site/30030001".`},
		},
		{
			name:   "main_url names no file",
			config: pkg(`source = "good.zip"`, "/index.html"),
			files:  map[string]string{"good.zip/30030001/www/about.html": "<html/>", "good.zip/30030001/www/index.html": "<html/>", "good.zip/30030001/app.js": "x"},
			want: []string{"Error: Invalid offline package (R15)", `main_url = "/index.html"`,
				`HTML files in the package: "/www/index.html", "/www/about.html". Set main_url to one of them`},
		},
	}
	for _, tc := range cases {
		cli.write("main.tf", tc.config)
		zips := map[string]map[string]string{}
		for name, content := range tc.files {
			if zipName, entry, ok := strings.Cut(name, ".zip/"); ok {
				if zips[zipName] == nil {
					zips[zipName] = map[string]string{}
				}
				zips[zipName][entry] = content
				continue
			}
			cli.write(name, content)
		}
		for zipName, entries := range zips {
			writeZip(t, cli.dir, zipName+".zip", entries)
		}
		out := strings.Join(strings.Fields(cli.must(1, "plan")), " ")
		if n := strings.Count(out, "Error: "); n != 1 {
			t.Fatalf("%s: %d errors, want 1:\n%s", tc.name, n, out)
		}
		rest := out
		for _, fragment := range tc.want {
			at := strings.Index(rest, fragment)
			if at < 0 {
				t.Fatalf("%s: the plan's output lacks %q (in order):\n%s", tc.name, fragment, out)
			}
			rest = rest[at+len(fragment):]
		}
	}
	if got := writes(env.emulator.Stats()); len(got) != 0 {
		t.Fatalf("failed plans changed the service: %v", got)
	}
}
