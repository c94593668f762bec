package mpaas_test

import (
	"context"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Files whose names would make a malformed URL upload under a safe key and
// register: the emulator, which refuses malformed FileUrls as OSS would,
// accepts every FileUrl the client builds.
func TestUploadAwkwardFileNamesRegister(t *testing.T) {
	api := newScriptedAPI(t)
	api.mustCreateApp()
	ctx := context.Background()
	names := []string{"my package.zip", "pkg#1.zip", "what?.zip", "100%.zip", "包裹.zip", "naïve pkg.zip"}
	for i, name := range names {
		path, size := zipOf(t, appID, name)
		fileURL, err := api.client.UploadFile(ctx, name, size, func() (io.ReadCloser, error) { return os.Open(path) })
		if err != nil {
			t.Fatalf("upload %q: %v", name, err)
		}
		parsed, err := url.Parse(fileURL)
		if err != nil || parsed.RawQuery != "" || parsed.Fragment != "" || strings.ContainsAny(fileURL, " %#?") {
			t.Fatalf("upload %q: FileUrl %q is malformed or escapes the file name (want a plain URL of a safe key)", name, fileURL)
		}
		in := mpaas.CreatePackageInput{H5AppID: appID, PackageSettings: androidSettings, FileURL: fileURL, Content: mpaas.FileContent(path, size)}
		pkg, _, err := api.client.CreatePackage(ctx, in)
		if err != nil {
			t.Fatalf("register %q (FileUrl %s): %v", name, fileURL, err)
		}
		if pkg.FileSize != size {
			t.Errorf("%q registered with %d bytes, want %d", name, pkg.FileSize, size)
		}
		if got := len(api.versions()); got != i+1 {
			t.Fatalf("after %q the H5App holds %d packages, want %d", name, got, i+1)
		}
	}
	if got := api.calls("oss:PostObject"); got != int64(len(names)) {
		t.Errorf("%d uploads, want %d", got, len(names))
	}
}
