package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan plans id from h5app_id, and refuses at plan, before anything is
// touched, a destroy or replacement that would delete package versions
// without force_destroy. A replacement deletes the old H5App with the
// force_destroy already in the state (Delete sees nothing else), so it needs
// force_destroy = true both there and in the plan.
func (r *h5AppResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.planDestroy(ctx, req, resp)
		return
	}
	var plan h5AppModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.H5AppID.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.H5AppID)...)
	}
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, &plan, req, resp)
		return
	}
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if forcedBy, _ := replacementCause(&plan, &state); forcedBy != "" && isKnown(state.H5AppID) {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateReplacesKey, []byte(state.H5AppID.ValueString()))...)
	}
	r.planReplacement(ctx, &plan, &state, resp)
}

// privateReplacesKey holds, in the planned private state of a replacement,
// the H5App ID being replaced: the create half is planned without the state.
const privateReplacesKey = "replaces"

// planCreate plans a new H5App. The create half of a replacement with the
// same ID (a new name) plans id unknown: the H5App is a new, empty one, and
// packages that reference mpaas_h5app.<name>.id are uploaded again in the
// same apply. Any other create of an ID that mPaaS already holds fails here,
// before review, and says how to import it.
func (r *h5AppResource) planCreate(ctx context.Context, plan *h5AppModel, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !isKnown(plan.H5AppID) {
		return
	}
	h5AppID := plan.H5AppID.ValueString()
	replaces, _ := req.Private.GetKey(ctx, privateReplacesKey)
	if string(replaces) == h5AppID {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), types.StringUnknown())...)
		return
	}
	if r.data == nil || r.data.client == nil {
		return // an unconfigured provider is reported where it is used
	}
	app, err := r.data.client.FindApp(ctx, h5AppID)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("h5app_id"), "Cannot look up H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	if app != nil {
		resp.Diagnostics.AddAttributeError(path.Root("h5app_id"), "H5App "+h5AppID+" already exists",
			fmt.Sprintf("mPaaS already holds an H5App with ID %[1]s (named %[2]q), so it cannot be created. To manage it with "+
				"this resource, import it: add an import block beside the resource (NAME is its name),\n\n  import {\n    to = mpaas_h5app.NAME\n    id = %[3]q\n  }\n\n"+
				"and plan again (or run: terraform import 'mpaas_h5app.NAME' %[1]s). Otherwise choose another h5app_id.",
				h5AppID, app.Name, h5AppID))
	}
}

// planDestroy refuses to destroy an H5App holding packages unless its
// force_destroy (in the state, which is what Delete reads) is true.
func (r *h5AppResource) planDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	h5AppID := state.H5AppID.ValueString()
	packages, ok := r.countPackagesForPlan(ctx, h5AppID, resp)
	if !ok || packages == 0 {
		return
	}
	if state.ForceDestroy.ValueBool() {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Destroying H5App %s deletes %s", h5AppID, versionCount(packages)),
			fmt.Sprintf("force_destroy is true, so destroying H5App %s also deletes the %s it holds, "+
				"including any not managed by this configuration.", h5AppID, versionCount(packages)))
		return
	}
	resp.Diagnostics.AddError(heldSummary(h5AppID, packages), destroyRefusalDetail(h5AppID, packages, "Nothing has been changed."))
}

// planReplacement checks a replacement (a new name or h5app_id) of an H5App
// that holds packages: the replacement deletes them.
func (r *h5AppResource) planReplacement(ctx context.Context, plan, state *h5AppModel, resp *resource.ModifyPlanResponse) {
	forcedBy, oldValue := replacementCause(plan, state)
	if forcedBy == "" || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	h5AppID := state.H5AppID.ValueString()
	packages, ok := r.countPackagesForPlan(ctx, h5AppID, resp)
	if !ok || packages == 0 {
		return
	}
	if state.ForceDestroy.ValueBool() && plan.ForceDestroy.ValueBool() {
		resp.Diagnostics.AddAttributeWarning(path.Root(forcedBy), fmt.Sprintf("Replacing H5App %s deletes %s", h5AppID, versionCount(packages)),
			fmt.Sprintf("Changing %s replaces H5App %s, and force_destroy is true, so the old H5App is deleted with the %s it holds "+
				"and their releases: clients keep what they installed but receive nothing new until the packages are released "+
				"again. Packages that reference mpaas_h5app.<name>.id are uploaded again in this apply, each as a version above "+
				"the one it had (clients never install a lower one), and their releases follow; packages that reference "+
				"h5app_id are uploaded again by the next apply, also above their old versions.", forcedBy, h5AppID, versionCount(packages)))
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root(forcedBy), fmt.Sprintf("Replacing H5App %s would delete %s", h5AppID, versionCount(packages)),
		replacementRefusalDetail(forcedBy, oldValue, h5AppID, packages, state.ForceDestroy.ValueBool()))
}

// replacementCause names the attribute whose change replaces the H5App, and
// its value in the state; "" when the plan keeps the H5App.
func replacementCause(plan, state *h5AppModel) (attribute, oldValue string) {
	switch {
	case !plan.H5AppID.Equal(state.H5AppID):
		return "h5app_id", state.H5AppID.ValueString()
	case !plan.Name.Equal(state.Name):
		return "name", state.Name.ValueString()
	}
	return "", ""
}

// countPackagesForPlan counts the app's package versions for a plan decision; a
// failed lookup is a plan error, since the decision cannot wait for apply.
func (r *h5AppResource) countPackagesForPlan(ctx context.Context, h5AppID string, resp *resource.ModifyPlanResponse) (int, bool) {
	packages, err := r.heldPackages(ctx, h5AppID, r.data.client.ListPackages)
	if err != nil {
		resp.Diagnostics.AddError("Cannot count the packages of H5App "+h5AppID,
			apiErrorDetail(err)+"\n\nWhether the plan deletes package versions depends on this list; run the plan again.")
		return 0, false
	}
	return packages, true
}

func versionCount(n int) string {
	if n == 1 {
		return "1 offline package version"
	}
	return fmt.Sprintf("%d offline package versions", n)
}

func heldSummary(h5AppID string, packages int) string {
	return fmt.Sprintf("H5App %s holds %s", h5AppID, versionCount(packages))
}

// destroyRefusalDetail gives the two ways out of a refused destroy that work:
// force_destroy applied on its own first (Delete reads it from the state), or
// leaving the objects in mPaaS.
func destroyRefusalDetail(h5AppID string, packages int, outcome string) string {
	return fmt.Sprintf(`Destroying H5App %[1]s would delete the %[2]s it holds, and its force_destroy is false. %[3]s

To delete the packages with the H5App:
  1. set force_destroy = true in its resource block
     (put the block back first if you removed it);
  2. apply only that change, naming the H5App by the address terraform plan
     shows for it, in single quotes (NAME is its name):
       terraform apply -target='mpaas_h5app.NAME'
     such as -target='mpaas_h5app.portal' or, with for_each, -target='mpaas_h5app.portal["a"]'
     (or a plain terraform apply when nothing else changed);
  3. destroy again.

To keep the H5App and its packages in mPaaS and stop managing them, replace its resource block with

  removed {
    from = mpaas_h5app.NAME
    lifecycle {
      destroy = false
    }
  }

and run terraform apply (do the same for its mpaas_offline_package and mpaas_offline_package_release resources to keep their releases running), or run
  terraform state rm 'mpaas_h5app.NAME'`,
		h5AppID, versionCount(packages), outcome)
}

// replacementRefusalDetail explains a refused replacement. When force_destroy
// is false in the state it must be applied on its own before the change that
// replaces the H5App, since the old H5App is deleted with the state's value.
func replacementRefusalDetail(forcedBy, oldValue, h5AppID string, packages int, forceDestroyInState bool) string {
	intro := fmt.Sprintf("The mPaaS API cannot change %[1]s in place, so the new value replaces H5App %[2]s: the old H5App "+
		"would be deleted with the %[3]s it holds and their releases. Nothing has been changed.\n\n"+
		"To keep them, set %[1]s back to %[4]q.\n\n", forcedBy, h5AppID, versionCount(packages), oldValue)
	if forceDestroyInState {
		return intro + "To delete them with the replacement, set force_destroy = true in the configuration alongside the change."
	}
	return intro + fmt.Sprintf(`To delete them with the replacement:
  1. set force_destroy = true while %[1]s is still %[2]q;
  2. apply only that change, naming the H5App by the address terraform plan
     shows for it, in single quotes (NAME is its name):
       terraform apply -target='mpaas_h5app.NAME'
     such as -target='mpaas_h5app.portal' or, with for_each, -target='mpaas_h5app.portal["a"]'
     (or a plain terraform apply when nothing else changed);
  3. then change %[1]s.
force_destroy must be applied first: the old H5App is deleted with the force_destroy it already has, which is false.`, forcedBy, oldValue)
}
