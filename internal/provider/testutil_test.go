package provider

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// writeZip writes a zip with the given entries (name -> content) and returns its path.
func writeZip(t *testing.T, dir, name string, entries map[string]string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := buildZip(path, entries); err != nil {
		t.Fatal(err)
	}
	return path
}

// buildZip writes entries (name -> content) as a zip at path, in name order
// so the same entries always give the same bytes.
func buildZip(path string, entries map[string]string) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer file.Close()
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	sort.Strings(names)
	writer := zip.NewWriter(file)
	for _, name := range names {
		w, err := writer.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, entries[name]); err != nil {
			return err
		}
	}
	return writer.Close()
}

// normalPackageZip is a minimal valid normal package for an H5App.
func normalPackageZip(t *testing.T, h5AppID string) string {
	t.Helper()
	return writeZip(t, t.TempDir(), h5AppID+".zip", map[string]string{
		h5AppID + "/www/index.html": "<html><body>" + h5AppID + "</body></html>",
		h5AppID + "/www/app.js":     "console.log('" + h5AppID + "')",
	})
}

// createPackageOutOfBand uploads and registers a package directly through the
// API, as another tool or the console would.
func (e *testEnv) createPackageOutOfBand(h5AppID, version, resourceType string) string { //nolint:unparam // resourceType is spelled out at each call on purpose
	e.t.Helper()
	return e.registerZip(normalPackageZip(e.t, h5AppID), h5AppID, version, resourceType)
}

// registerZip uploads zipPath and registers it as an Android (min 1.0.0)
// package with the default policies.
func (e *testEnv) registerZip(zipPath, h5AppID, version, resourceType string) string {
	e.t.Helper()
	ctx := context.Background()
	info, err := os.Stat(zipPath)
	if err != nil {
		e.t.Fatal(err)
	}
	fileURL, err := e.client.UploadFile(ctx, h5AppID+".zip", info.Size(), func() (io.ReadCloser, error) { return os.Open(zipPath) })
	if err != nil {
		e.t.Fatalf("upload: %v", err)
	}
	pkg, _, err := e.client.CreatePackage(ctx, mpaas.CreatePackageInput{
		H5AppID: h5AppID, H5AppName: "out of band", Version: version, FileURL: fileURL, Content: mpaas.FileContent(zipPath, info.Size()),
		PackageSettings: mpaas.PackageSettings{ResourceType: mpaas.ResourceType(resourceType),
			Targets:        mpaas.Targets{Android: &mpaas.VersionRange{Min: "1.0.0"}},
			DownloadPolicy: mpaas.DownloadPolicyWifiOnly, InstallPolicy: mpaas.InstallPolicyOnOpen},
	})
	if err != nil {
		e.t.Fatalf("create package: %v", err)
	}
	return strconv.FormatInt(pkg.ID, 10)
}
