package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// privateSourceStampKey is the private-state key holding a sourceStamp.
const privateSourceStampKey = "source_stamp"

// sourceStamp records which version of the source file produced the digests
// in the state, so a plan reuses them while the file is untouched instead of
// reading every package again.
type sourceStamp struct {
	Stamp   offlinepkg.FileStamp `json:"stamp"`
	SHA256  string               `json:"sha256"`
	Content string               `json:"content,omitempty"`
}

// contentPlanner plans content_sha256 and source_sha256 of one package.
type contentPlanner struct {
	plan, config *offlinePackageModel
	state        *offlinePackageModel // nil for a create
	private      privateGetter
	diags        *diag.Diagnostics
	digests      offlinepkg.DigestCaches
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// plannedContent is what the plan knows of the package's content: its
// content digest and the SHA-256 of the zip to upload (unknown for a folder,
// whose zip is built at apply).
type plannedContent struct {
	content, fileSHA256 types.String
	none                bool // neither source nor source_dir: nothing to upload
}

// run plans the digests and reports whether the content differs from the
// state's (a new version).
func (p *contentPlanner) run(ctx context.Context) (changed bool) {
	planned, ok := p.read(ctx)
	if !ok {
		return false
	}
	if planned.none {
		p.keepExisting()
		return false
	}
	if p.state != nil && p.sameAsState(planned) {
		p.plan.ContentSHA256 = knownOr(planned.content, p.state.ContentSHA256)
		// An imported version matched through a folder has no SHA-256 of its zip until one is uploaded.
		p.plan.SourceSHA256 = firstKnown(p.config.SourceSHA256, p.state.SourceSHA256, planned.fileSHA256, p.state.SourceSHA256)
		return false
	}
	p.plan.ContentSHA256 = planned.content
	// The content is the plan's promise; the bytes are free until apply (a
	// pipeline may build the zip again, with other times or compression,
	// before it applies a saved plan), so source_sha256 becomes the SHA-256
	// of what the apply uploads, unless configured.
	p.plan.SourceSHA256 = firstKnown(p.config.SourceSHA256, types.StringUnknown())
	return true
}

// read finds the content of source or source_dir; ok is false after an error.
func (p *contentPlanner) read(ctx context.Context) (plannedContent, bool) {
	unknown := plannedContent{content: types.StringUnknown(), fileSHA256: types.StringUnknown()}
	switch {
	case p.plan.Source.IsUnknown() || p.plan.SourceDir.IsUnknown():
		return unknown, true
	case !p.plan.SourceDir.IsNull():
		return p.readFolder()
	case !p.plan.Source.IsNull():
		return p.readZip(ctx)
	}
	return plannedContent{none: true}, true
}

// keepExisting plans a package without source or source_dir: the version
// that exists (imported, or created from a source since removed) is kept as
// it is, with the digests in the state, and nothing is uploaded. A package
// that does not exist yet cannot be created from nothing.
func (p *contentPlanner) keepExisting() {
	if p.state == nil {
		p.diags.AddAttributeError(path.Root("source"), "Nothing to upload",
			"This plan creates a new offline package version, but neither source nor source_dir is set, so there is no zip "+
				"to upload. Set source to the package's .zip (such as \"dist/12345678.zip\") or source_dir to its folder. "+
				"Only a version that already exists in mPaaS, imported with an import block or terraform import, can be "+
				"managed without them; if this resource was imported, the version it tracked no longer exists.")
		return
	}
	p.plan.ContentSHA256 = p.state.ContentSHA256
	p.plan.SourceSHA256 = p.state.SourceSHA256
}

func (p *contentPlanner) readZip(ctx context.Context) (plannedContent, bool) {
	source := p.plan.Source.ValueString()
	stamp, err := offlinepkg.StampFile(source)
	if err != nil {
		return p.missingZip(source, err)
	}
	digest, reused := p.recordedDigest(ctx, stamp)
	if !reused {
		if digest, err = p.digests.Zips.HashFile(source); err != nil {
			p.diags.AddAttributeError(path.Root("source"), "Cannot read the package file", cannotReadSource(source, err))
			return plannedContent{}, false
		}
	}
	if configured := p.config.SourceSHA256; isKnown(configured) && configured.ValueString() != digest.SHA256 {
		p.diags.AddAttributeError(path.Root("source_sha256"), "source_sha256 does not match the file",
			fmt.Sprintf("The SHA-256 of %q is %s, not %s. Fix source_sha256 (or remove it: the provider hashes the file itself) "+
				"or point source at the intended file.", source, digest.SHA256, configured.ValueString()))
		return plannedContent{}, false
	}
	if !reused || p.settingsChanged() {
		if !inspectPackage(p.plan, packageFiles{zip: source}, p.diags) {
			return plannedContent{}, false
		}
		if digest.Content == "" {
			p.diags.AddAttributeError(path.Root("source"), "Invalid offline package (R9)",
				fmt.Sprintf("The entries of %q cannot be read back (damaged data or a failed checksum). Re-create the archive with a standard zip tool.", source))
			return plannedContent{}, false
		}
	}
	return plannedContent{content: types.StringValue(digest.Content), fileSHA256: types.StringValue(digest.SHA256)}, true
}

// missingZip handles a source that cannot be read at plan: an error, unless
// source_sha256 is configured because the file is made during apply.
func (p *contentPlanner) missingZip(source string, err error) (plannedContent, bool) {
	configured := p.config.SourceSHA256
	if configured.IsNull() {
		p.diags.AddAttributeError(path.Root("source"), "Cannot read the package file", cannotReadSource(source, err))
		return plannedContent{}, false
	}
	planned := plannedContent{content: types.StringUnknown(), fileSHA256: configured}
	if p.state != nil && configured.Equal(p.state.SourceSHA256) {
		planned.content = p.state.ContentSHA256
	}
	return planned, true
}

// recordedDigest returns the digests the state holds when the file is the
// very version (by stamp) that produced them.
func (p *contentPlanner) recordedDigest(ctx context.Context, current offlinepkg.FileStamp) (offlinepkg.Digest, bool) {
	if p.state == nil || p.private == nil || !current.Trustworthy() {
		return offlinepkg.Digest{}, false
	}
	raw, diags := p.private.GetKey(ctx, privateSourceStampKey)
	var recorded sourceStamp
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &recorded) != nil {
		return offlinepkg.Digest{}, false
	}
	if recorded.Stamp != current || recorded.SHA256 != p.state.SourceSHA256.ValueString() ||
		recorded.Content == "" || recorded.Content != p.state.ContentSHA256.ValueString() {
		return offlinepkg.Digest{}, false
	}
	return offlinepkg.Digest{SHA256: recorded.SHA256, Size: current.Size, Content: recorded.Content}, true
}

// settingsChanged reports whether an argument the package rules read
// changed since the state, so unchanged content must be checked again.
func (p *contentPlanner) settingsChanged() bool {
	return p.state == nil || !p.plan.H5AppID.Equal(p.state.H5AppID) || !p.plan.ResourceType.Equal(p.state.ResourceType) ||
		!p.plan.MainURL.Equal(p.state.MainURL)
}

func (p *contentPlanner) readFolder() (plannedContent, bool) {
	dir := p.plan.SourceDir.ValueString()
	folder, err := offlinepkg.ReadFolder(dir) // one walk for the digest and the rules
	if err != nil {
		p.diags.AddAttributeError(path.Root("source_dir"), "Cannot read the package folder", cannotReadFolder(dir, err))
		return plannedContent{}, false
	}
	planned := plannedContent{content: types.StringUnknown(), fileSHA256: types.StringUnknown()}
	if p.plan.H5AppID.IsUnknown() {
		return planned, true // the zip's names start with the H5App ID
	}
	content, err := folder.Content(p.plan.H5AppID.ValueString(), p.digests.Files)
	if err != nil {
		p.diags.AddAttributeError(path.Root("source_dir"), "Cannot read the package folder", cannotReadFolder(dir, err))
		return plannedContent{}, false
	}
	if !inspectPackage(p.plan, packageFiles{dir: dir, folder: &folder}, p.diags) {
		return plannedContent{}, false
	}
	planned.content = types.StringValue(content)
	return planned, true
}

// sameAsState reports whether the planned content is the state's. An
// imported package has no content digest: the zip's size and MD5, compared
// with what mPaaS reports, decide for it.
func (p *contentPlanner) sameAsState(planned plannedContent) bool {
	state := p.state
	if planned.content.IsUnknown() {
		return !planned.fileSHA256.IsUnknown() && planned.fileSHA256.Equal(state.SourceSHA256)
	}
	if !state.ContentSHA256.IsNull() {
		return planned.content.Equal(state.ContentSHA256)
	}
	content := plannedFileContent(p.plan) // a folder through the zip the provider builds from it
	return content != nil && content.Holds(reportedFile(state))
}

// reportedFile is the package as the state records what mPaaS reported of
// its zip: the MD5 and, when known, the size.
func reportedFile(state *offlinePackageModel) *mpaas.Package {
	reported := &mpaas.Package{FileSize: -1}
	if isKnown(state.FileSize) {
		reported.FileSize = state.FileSize.ValueInt64()
	}
	if isKnown(state.FileMD5) {
		reported.MD5 = state.FileMD5.ValueString()
	}
	return reported
}

// packageFiles is where a package's files are: a zip or a folder (with its
// walk, when the caller already made it).
type packageFiles struct {
	zip, dir string
	folder   *offlinepkg.Folder
}

// inspectPackage applies the zip layout rules (R7, R9, R15, names, bombs)
// and reports each violation on its attribute; ok is false when there is any.
func inspectPackage(m *offlinePackageModel, files packageFiles, diags *diag.Diagnostics) (ok bool) {
	opts := offlinepkg.InspectOptions{}
	if !m.H5AppID.IsUnknown() {
		opts.H5AppID = m.H5AppID.ValueString()
	}
	if !m.ResourceType.IsUnknown() {
		opts.ResourceType = m.ResourceType.ValueString()
	}
	if !m.MainURL.IsUnknown() {
		opts.MainURL = m.MainURL.ValueString()
	}
	var violations []offlinepkg.Violation
	var err error
	contentAttribute := "source"
	switch {
	case files.folder != nil:
		contentAttribute = "source_dir"
		violations = files.folder.Inspect(opts)
	case files.dir != "":
		contentAttribute = "source_dir"
		violations, err = offlinepkg.InspectDir(files.dir, opts)
	default:
		_, violations, err = offlinepkg.InspectFile(files.zip, opts)
	}
	if err != nil {
		diags.AddAttributeError(path.Root(contentAttribute), "Cannot read the package", err.Error())
		return false
	}
	reported := false
	for _, violation := range violations {
		if violation.Attribute == "main_url" && len(offlinepkg.CheckMainURL(opts.MainURL)) > 0 {
			continue // the syntax error is reported by ValidateConfig
		}
		attribute := violation.Attribute
		if attribute == "" || attribute == "source" {
			attribute = contentAttribute
		}
		diags.AddAttributeError(path.Root(attribute), violationSummary(violation), violation.Message)
		reported = true
	}
	return !reported
}

func violationSummary(v offlinepkg.Violation) string {
	if len(v.Rule) > 1 && v.Rule[0] == 'R' {
		return "Invalid offline package (" + v.Rule + ")"
	}
	return "Invalid offline package (" + v.Rule + " rules)"
}

// cannotReadSource explains, for a source file that cannot be read, what
// to change.
func cannotReadSource(file string, err error) string {
	if os.IsNotExist(err) {
		return fmt.Sprintf("The file %q does not exist. Build the package before terraform plan (terraform validate does not "+
			"need it), point source at an existing .zip file, or use source_dir to have the provider zip a folder. If another "+
			"resource creates the file during apply, set source_sha256 to its SHA-256 so the plan can go ahead without it.", file)
	}
	return fmt.Sprintf("The file %q cannot be read: %v.", file, err)
}

func cannotReadFolder(dir string, err error) string {
	if os.IsNotExist(err) {
		return fmt.Sprintf("The folder %q does not exist. Build the package before terraform plan (terraform validate does not "+
			"need it) or point source_dir at the folder whose files go below the H5App folder of the zip.", dir)
	}
	return fmt.Sprintf("The folder %q cannot be used: %v.", dir, err)
}

// plannedFileContent is the content of the planned source or source_dir;
// nil when it cannot be known at plan time.
func plannedFileContent(m *offlinePackageModel) *mpaas.Content {
	switch {
	case isKnown(m.SourceDir) && !m.H5AppID.IsUnknown():
		dir, h5AppID := m.SourceDir.ValueString(), m.H5AppID.ValueString()
		return mpaas.NewContent(-1, func() (int64, string, error) { return offlinepkg.ZipFolderMD5(dir, h5AppID) })
	case isKnown(m.Source):
		info, err := os.Stat(m.Source.ValueString())
		if err != nil {
			return nil
		}
		return mpaas.FileContent(m.Source.ValueString(), info.Size())
	}
	return nil
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func setSourceStamp(ctx context.Context, private privateSetter, stamp offlinepkg.FileStamp, sha256, content string) diag.Diagnostics {
	raw, err := json.Marshal(sourceStamp{Stamp: stamp, SHA256: sha256, Content: content})
	if err != nil {
		return nil
	}
	return private.SetKey(ctx, privateSourceStampKey, raw)
}
