package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// Versions only rise. mPaaS clients never install a version below the one
// they hold, so a package uploaded again (a replacement, or a version whose
// H5App was deleted and re-created) must get a version above every one it
// had: the H5App's highest is not enough once the H5App is new and empty.
// The version this resource last recorded travels from the plan to Create in
// the planned private state (a replacement's create half sees no state), and
// a version found missing by Read stays in the state, marked gone, so the
// next plan replaces it above its old version instead of creating it anew at
// 0.0.0.1.

const (
	// privateVersionFloorKey holds the version a new version must exceed.
	privateVersionFloorKey = "version_floor"
	// privateGoneKey marks a package that Read no longer found in mPaaS.
	privateGoneKey = "gone"
)

func setVersionFloor(ctx context.Context, private privateSetter, version types.String) diag.Diagnostics {
	if !isKnown(version) {
		return nil
	}
	raw, _ := json.Marshal(version.ValueString())
	return private.SetKey(ctx, privateVersionFloorKey, raw)
}

// versionFloor is the version recorded by setVersionFloor, "" when none.
func versionFloor(ctx context.Context, private privateGetter) string {
	raw, diags := private.GetKey(ctx, privateVersionFloorKey)
	var floor string
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &floor) != nil {
		return ""
	}
	if _, err := offlinepkg.ParseVersion(floor); err != nil {
		return ""
	}
	return floor
}

func markGone(ctx context.Context, private privateSetter, gone bool) diag.Diagnostics {
	var value []byte
	if gone {
		value = []byte("true")
	}
	return private.SetKey(ctx, privateGoneKey, value)
}

func recordedGone(ctx context.Context, private privateGetter) bool {
	if private == nil {
		return false
	}
	raw, diags := private.GetKey(ctx, privateGoneKey)
	return !diags.HasError() && string(raw) == "true"
}

// planGoneVersion replaces a version that no longer exists in mPaaS (its
// H5App was deleted, or deleted and re-created): the apply uploads the
// content again, above the version clients may still hold.
func planGoneVersion(plan, state *offlinePackageModel, resp *resource.ModifyPlanResponse) {
	plan.ID = types.StringUnknown() // the create half of the replacement plans the rest
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("id"))
	resp.Diagnostics.AddAttributeWarning(path.Root("id"), fmt.Sprintf("Version %s of H5App %s no longer exists in mPaaS",
		state.Version.ValueString(), state.H5AppID.ValueString()),
		fmt.Sprintf("Package %s (version %s) is not in H5App %s any more: the H5App was deleted, or deleted and created again "+
			"(a new name replaces an H5App). This plan uploads the content again as a version above %s, because clients that "+
			"hold %s never install a lower one.", state.ID.ValueString(), state.Version.ValueString(), state.H5AppID.ValueString(),
			state.Version.ValueString(), state.Version.ValueString()))
}

// warnH5AppNameIgnored says what a changed h5app_name does when the H5App
// exists: nothing in mPaaS, which cannot rename an H5App; the plan records
// it only.
func (r *offlinePackageResource) warnH5AppNameIgnored(ctx context.Context, plan, state *offlinePackageModel, diags *diag.Diagnostics) {
	if plan.H5AppName.Equal(state.H5AppName) || !isKnown(plan.H5AppID) || r.data == nil || r.data.client == nil {
		return
	}
	h5AppID := plan.H5AppID.ValueString()
	app, err := r.data.findApp(ctx, h5AppID)
	if err != nil || app == nil {
		return // a missing H5App is created with the new name
	}
	diags.AddAttributeWarning(path.Root("h5app_name"), "h5app_name does not rename H5App "+h5AppID,
		fmt.Sprintf("H5App %s already exists, named %q. h5app_name only names an H5App that create_h5app_if_missing creates, "+
			"and the mPaaS API cannot rename one, so this change is only recorded in the Terraform state. To rename the H5App, "+
			"manage it with an mpaas_h5app resource (a new name replaces the H5App).", h5AppID, app.Name))
}
