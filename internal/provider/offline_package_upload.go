package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// packageFile is the zip Create uploads: the file at source, or a zip built
// from source_dir into a temporary file (built is its path, to remove).
type packageFile struct {
	path       string
	uploadName string // the file name the upload is stored under
	sha256     string // the planned SHA-256 of the bytes; "" when not planned
	content    string // the content digest
	built      string
	dir        string
}

func (f packageFile) remove() {
	if f.built != "" {
		_ = os.Remove(f.built)
	}
}

func (f packageFile) attribute() path.Path {
	if f.dir != "" {
		return path.Root("source_dir")
	}
	return path.Root("source")
}

func (f packageFile) description() string {
	if f.dir != "" {
		return "the zip of " + f.dir
	}
	return f.path
}

// location is what the user configured: the folder or the zip.
func (f packageFile) location() string {
	if f.dir != "" {
		return f.dir
	}
	return f.path
}

// packageFile checks the planned content at apply (the rules again, as
// values unknown at plan are known now) and returns the zip to upload. A
// content that differs from the plan is an error before anything is sent.
func (r *offlinePackageResource) packageFile(m *offlinePackageModel, diags *diag.Diagnostics) (packageFile, error) {
	h5AppID := m.H5AppID.ValueString()
	if !m.SourceDir.IsNull() {
		dir := m.SourceDir.ValueString()
		if !inspectPackage(m, packageFiles{dir: dir}, diags) {
			return packageFile{}, errInvalidPackage
		}
		built, content, err := offlinepkg.BuildZipFile(dir, h5AppID, "")
		if err != nil {
			diags.AddAttributeError(path.Root("source_dir"), "Cannot zip the package folder", cannotReadFolder(dir, err))
			return packageFile{}, err
		}
		file := packageFile{path: built, uploadName: h5AppID + ".zip", content: content, built: built, dir: dir}
		if planned := m.ContentSHA256; !planned.IsUnknown() && planned.ValueString() != content {
			file.remove()
			addChangedSincePlan(diags, path.Root("source_dir"), dir)
			return packageFile{}, errInvalidPackage
		}
		return file, nil
	}
	source := m.Source.ValueString()
	if !inspectPackage(m, packageFiles{zip: source}, diags) {
		return packageFile{}, errInvalidPackage
	}
	digest, err := r.data.caches().Zips.HashFile(source)
	if err != nil {
		diags.AddAttributeError(path.Root("source"), "Cannot read the package file", cannotReadSource(source, err))
		return packageFile{}, err
	}
	// A configured source_sha256 pins the bytes; otherwise only the content
	// is pinned, and the bytes to upload are the ones just read.
	planned := firstKnown(m.SourceSHA256, types.StringValue(digest.SHA256)).ValueString()
	if digest.SHA256 != planned || (!m.ContentSHA256.IsUnknown() && m.ContentSHA256.ValueString() != digest.Content) {
		addChangedSincePlan(diags, path.Root("source"), source)
		return packageFile{}, errInvalidPackage
	}
	return packageFile{path: source, uploadName: filepath.Base(source), sha256: planned, content: digest.Content}, nil
}

// errInvalidPackage stops Create after the reason was added as a diagnostic.
var errInvalidPackage = errors.New("invalid package")

// errChangedSincePlan is an upload whose bytes are not the ones checked.
var errChangedSincePlan = errors.New("the package changed since the plan")

// addChangedSincePlan is the one answer to a package whose files differ
// from what the plan (or the apply's own check, moments before) read:
// nothing is registered, and the next plan shows the new content.
func addChangedSincePlan(diags *diag.Diagnostics, attribute path.Path, location string) {
	diags.AddAttributeError(attribute, "The package changed since the plan",
		fmt.Sprintf("The files of %q are not the ones the plan read (another build wrote them during the apply), so nothing "+
			"was registered. Run terraform plan again to review the new content, then apply it.", location))
}

// uploadedFile is a zip uploaded to the file store, with the digest of the
// bytes that were actually sent.
type uploadedFile struct {
	path    string
	fileURL string
	digest  offlinepkg.Digest
	stamp   offlinepkg.FileStamp // the file version uploaded, taken before and checked after
}

// upload streams the package's zip to the file store, hashing what it
// sends, and fails when the bytes are not the ones planned.
func (r *offlinePackageResource) upload(ctx context.Context, file packageFile) (uploadedFile, error) {
	stamp, err := offlinepkg.StampFile(file.path)
	if err != nil {
		return uploadedFile{}, fmt.Errorf("cannot read %q: %w", file.path, err)
	}
	var last *offlinepkg.HashingReader
	open := func() (io.ReadCloser, error) {
		opened, err := os.Open(file.path)
		if err != nil {
			return nil, err
		}
		last = offlinepkg.NewUploadHashingReader(opened)
		return readCloser{Reader: last, Closer: opened}, nil
	}
	fileURL, err := r.data.client.UploadFile(ctx, file.uploadName, stamp.Size, open)
	if err != nil {
		return uploadedFile{}, fmt.Errorf("uploading %q failed: %s", file.description(), apiErrorDetail(err))
	}
	// The bytes sent are the bytes whose content was checked when their
	// SHA-256 is the one read then: the content check costs no second read.
	digest := last.Digest()
	after, err := offlinepkg.StampFile(file.path)
	if err != nil || after != stamp || digest.Size != stamp.Size || (file.sha256 != "" && digest.SHA256 != file.sha256) {
		return uploadedFile{}, errChangedSincePlan
	}
	return uploadedFile{path: file.path, fileURL: fileURL, digest: digest, stamp: stamp}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// register creates the package from the uploaded zip (see
// mpaas.Client.CreatePackage), or adopts an identical one.
// above is the version an assigned version must exceed ("" for none); app
// is what prepareApp learnt of the H5App's packages.
func (r *offlinePackageResource) register(ctx context.Context, m *offlinePackageModel, file uploadedFile, above string, app appPackages) (mpaas.Package, bool, error) {
	h5AppID := m.H5AppID.ValueString()
	defer r.data.packages.invalidate(h5AppID)
	input, err := m.createInput(ctx, file.fileURL, mpaas.UploadedContent(file.path, file.digest))
	if err != nil {
		return mpaas.Package{}, false, err
	}
	input.Above = above
	input.Listed, input.Packages = app.listed, app.packages
	return r.data.client.CreatePackage(ctx, input)
}

// appPackages is what the apply learnt of an H5App's packages while it
// checked the app: the list it read (listed), or, for an H5App it just
// created, that there are none. The register call then assigns the
// version without listing the H5App again (DESIGN.md, round trips).
type appPackages struct {
	listed   bool
	packages []mpaas.Package
}

// prepareApp runs the H5App checks again and creates a missing H5App when
// create_h5app_if_missing allows it; ok is false after an error.
func (r *offlinePackageResource) prepareApp(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) (app appPackages, ok bool) {
	h5AppID := m.H5AppID.ValueString()
	appExists := r.checkAgainstApp(ctx, m, diags)
	if diags.HasError() {
		return appPackages{}, false
	}
	if appExists {
		// The list checkAgainstApp read, shared within the run: no second call.
		packages, err := r.data.listPackages(ctx, h5AppID)
		return appPackages{listed: err == nil, packages: packages}, true
	}
	if !m.CreateH5AppIfMissing.ValueBool() {
		diags.AddAttributeError(path.Root("h5app_id"), "H5App "+h5AppID+" does not exist",
			"No H5App with ID "+h5AppID+" exists in this workspace, and nothing was uploaded. Either declare it with an "+
				"mpaas_h5app resource and reference it (h5app_id = mpaas_h5app.<name>.h5app_id), so that Terraform creates it "+
				"before the package, or set create_h5app_if_missing = true to create it with the package.")
		return appPackages{}, false
	}
	// The run's listing of H5Apps did not show it: create it without a
	// search. Several packages of one new app may ensure it in the same apply.
	created, err := r.data.client.EnsureUnlistedApp(ctx, h5AppID, m.h5AppName())
	r.data.packages.invalidate(h5AppID)
	if err != nil {
		diags.AddAttributeError(path.Root("h5app_id"), "Cannot create H5App "+h5AppID, apiErrorDetail(err))
		return appPackages{}, false
	}
	r.data.apps.created(mpaas.App{H5AppID: h5AppID, Name: m.h5AppName()})
	// A new H5App holds no package but the ones this client registers in
	// it, which CreatePackage adds itself.
	return appPackages{listed: created}, true
}
