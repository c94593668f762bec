// Package planmodifiers holds the provider's attribute plan modifiers.
package planmodifiers

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// PrivateSourceMD5Key is the private-state key holding the MD5 the API
// reports for a package, so an imported package (whose source_sha256 is
// unknown) can be matched against the local file without a replacement.
const PrivateSourceMD5Key = "source_md5"

// PrivateSourceStampKey is the private-state key holding a SourceStamp.
const PrivateSourceStampKey = "source_stamp"

// SourceStamp records which version of the source file produced the hash in
// the state, so a plan can reuse the hash while the file is untouched instead
// of reading every package again.
type SourceStamp struct {
	Stamp  offlinepkg.FileStamp `json:"stamp"`
	SHA256 string               `json:"sha256"`
}

// unchangedSinceHashed reports whether the file at source is the same
// version that produced the state's hash.
func unchangedSinceHashed(ctx context.Context, req planmodifier.StringRequest, source string) bool {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.Private == nil {
		return false
	}
	raw, diags := req.Private.GetKey(ctx, PrivateSourceStampKey)
	var recorded SourceStamp
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &recorded) != nil {
		return false
	}
	current, err := offlinepkg.StampFile(source)
	return err == nil && current.Trustworthy() && current == recorded.Stamp && recorded.SHA256 == req.StateValue.ValueString()
}

type sourceSHA256Modifier struct {
	sourcePath path.Path
}

// SourceSHA256 plans an unconfigured hash attribute as the SHA-256 of the file
// named by the sourcePath attribute, streamed at plan time (cached per file
// path, size and modification time within one provider process).
func SourceSHA256(sourcePath path.Path) planmodifier.String {
	return sourceSHA256Modifier{sourcePath: sourcePath}
}

func (m sourceSHA256Modifier) Description(_ context.Context) string {
	return "When not configured, the hex SHA-256 of the source file, computed at plan time (reused from the state while the file is untouched)."
}

func (m sourceSHA256Modifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m sourceSHA256Modifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.Plan.Raw.IsNull() || !req.ConfigValue.IsNull() {
		return // destroy, or a hash given in the configuration (checked elsewhere)
	}
	var source types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, m.sourcePath, &source)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if source.IsUnknown() || source.IsNull() {
		resp.PlanValue = types.StringUnknown()
		return
	}
	if unchangedSinceHashed(ctx, req, source.ValueString()) {
		resp.PlanValue = req.StateValue
		return
	}
	digest, err := offlinepkg.DefaultHashCache.HashFile(source.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(m.sourcePath, "Cannot read the package file", CannotReadSource(source.ValueString(), err))
		return
	}
	resp.PlanValue = types.StringValue(digest.SHA256)
}

// CannotReadSource explains, for a source file that cannot be read, what to
// change; it serves the plan modifier and the resource's own checks.
func CannotReadSource(file string, err error) string {
	if os.IsNotExist(err) {
		return fmt.Sprintf("The file %q does not exist. Point source at an existing .zip file; if another resource creates it during apply, "+
			"also set source_sha256 (for example from that resource's output) so the provider can plan without reading it.", file)
	}
	return fmt.Sprintf("The file %q cannot be read: %v.", file, err)
}

// ReplaceUnlessSameContent requires a replacement when the planned hash
// differs from the state, except after an import: the state has no hash then,
// and the package is kept when the local file's MD5 matches the one the API
// reported for it.
func ReplaceUnlessSameContent(sourcePath path.Path) planmodifier.String {
	return replaceUnlessSameContent{sourcePath: sourcePath}
}

type replaceUnlessSameContent struct {
	sourcePath path.Path
}

func (m replaceUnlessSameContent) Description(_ context.Context) string {
	return "A different file content replaces the package (a new version)."
}

func (m replaceUnlessSameContent) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m replaceUnlessSameContent) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.PlanValue.Equal(req.StateValue) {
		return
	}
	if !req.StateValue.IsNull() {
		resp.RequiresReplace = true
		return
	}
	resp.RequiresReplace = !m.matchesImported(ctx, req, resp)
}

func (m replaceUnlessSameContent) matchesImported(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) bool {
	raw, diags := req.Private.GetKey(ctx, PrivateSourceMD5Key)
	resp.Diagnostics.Append(diags...)
	var apiMD5 string
	if len(raw) == 0 || json.Unmarshal(raw, &apiMD5) != nil || apiMD5 == "" {
		return false
	}
	var source types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, m.sourcePath, &source)...)
	if source.IsUnknown() || source.IsNull() {
		return false
	}
	localMD5, err := offlinepkg.MD5File(source.ValueString())
	return err == nil && localMD5 == apiMD5
}
