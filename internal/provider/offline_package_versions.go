package provider

import (
	"context"
	"fmt"
	"sync"

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
// Terraform replaces a package by destroying the old object, then planning
// the new one again without any state and creating it, all in one apply and
// one provider process; the framework gives Create no private state. So
// Delete records the version it removes in versionFloors, per H5App, and
// Create assigns above it. A version found missing by Read stays in the
// state, marked gone, so that the next plan replaces it (and its Delete
// records its version) instead of creating it anew at 0.0.0.1.

// privateGoneKey marks a package that Read no longer found in mPaaS.
const privateGoneKey = "gone"

// versionFloors holds, per H5App, the highest version that a package
// destroyed in this process had.
type versionFloors struct {
	mu     sync.Mutex
	floors map[string]offlinepkg.Version
}

func newVersionFloors() *versionFloors {
	return &versionFloors{floors: map[string]offlinepkg.Version{}}
}

// raise records that a package of h5AppID had version.
func (f *versionFloors) raise(h5AppID types.String, version types.String) {
	if f == nil || !isKnown(h5AppID) || !isKnown(version) {
		return
	}
	parsed, err := offlinepkg.ParseVersion(version.ValueString())
	if err != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if current, ok := f.floors[h5AppID.ValueString()]; !ok || parsed.Compare(current) > 0 {
		f.floors[h5AppID.ValueString()] = parsed
	}
}

// above is the version a new version of h5AppID must exceed, "" for none.
func (f *versionFloors) above(h5AppID string) string {
	if f == nil {
		return ""
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if floor, ok := f.floors[h5AppID]; ok {
		return floor.String()
	}
	return ""
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
