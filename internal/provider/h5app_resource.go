package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

const maxH5AppNameLength = 64

var (
	_ resource.Resource                = (*h5AppResource)(nil)
	_ resource.ResourceWithConfigure   = (*h5AppResource)(nil)
	_ resource.ResourceWithImportState = (*h5AppResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*h5AppResource)(nil)
)

// NewH5AppResource is the constructor of mpaas_h5app.
func NewH5AppResource() resource.Resource { return &h5AppResource{} }

type h5AppResource struct {
	data *providerData
}

type h5AppModel struct {
	ID           types.String `tfsdk:"id"`
	H5AppID      types.String `tfsdk:"h5app_id"`
	Name         types.String `tfsdk:"name"`
	ForceDestroy types.Bool   `tfsdk:"force_destroy"`
	ResourceType types.String `tfsdk:"resource_type"`
}

func (r *h5AppResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_h5app"
}

func (r *h5AppResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An H5App: the container of an HTML5 offline package's versions, identified by an 8-digit " +
			"H5App ID (console: Offline package management, Add). The API cannot rename an H5App, so a new `name` " +
			"replaces it. A destroy or replacement of an H5App that still holds packages fails at plan, before anything " +
			"is changed, unless `force_destroy = true` was applied first.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Same as `h5app_id`, and like it known at plan.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"h5app_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The H5App ID: exactly 8 digits (R2); not one of the IDs reserved by the client SDK, " +
					"20000196, 66666692, 68687029 and 68687209 (R3); not starting with `666666` or `20000` (R4). Changing it replaces the H5App, " +
					"with the same plan-time check as a new `name`.",
				Validators:    []validator.String{validators.H5AppID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("Display name, 1 to %d printable characters. The API has no rename, "+
					"so changing it replaces the H5App. When the H5App holds package versions, that plan fails on `name` "+
					"unless `force_destroy` is `true` both in the configuration and already in the state; the plan then "+
					"warns how many versions the replacement deletes.", maxH5AppNameLength),
				Validators:    []validator.String{validators.PrintableText(maxH5AppNameLength)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"force_destroy": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, destroying or replacing the H5App also deletes every offline package version " +
					"it holds, and the plan warns how many. When `false` (default), the plan of a destroy or replacement of an " +
					"H5App that holds packages fails, before anything is changed. The old H5App is deleted with the value already " +
					"applied, so set `true` and apply that change alone first (for example " +
					"`terraform apply -target=mpaas_h5app.<name>`), then destroy or replace it.",
			},
			"resource_type": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`normal` or `global`, fixed by the first package uploaded to the H5App (R6); " +
					"null while the H5App holds no package. It is read from the H5App's packages, so the plan after the first " +
					"package is uploaded notes it once as changed outside Terraform.",
			},
		},
	}
}

func (r *h5AppResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

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
		return
	}
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.planReplacement(ctx, &plan, &state, resp)
}

// planDestroy refuses to destroy an H5App holding packages unless its
// force_destroy (in the state, which is what Delete reads) is true.
func (r *h5AppResource) planDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	h5AppID := state.H5AppID.ValueString()
	packages, ok := r.countAtPlan(ctx, h5AppID, resp)
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
	if forcedBy == "" || r.data == nil {
		return
	}
	h5AppID := state.H5AppID.ValueString()
	packages, ok := r.countAtPlan(ctx, h5AppID, resp)
	if !ok || packages == 0 {
		return
	}
	if state.ForceDestroy.ValueBool() && plan.ForceDestroy.ValueBool() {
		resp.Diagnostics.AddAttributeWarning(path.Root(forcedBy), fmt.Sprintf("Replacing H5App %s deletes %s", h5AppID, versionCount(packages)),
			fmt.Sprintf("Changing %s replaces H5App %s, and force_destroy is true, so the old H5App is deleted with the %s it holds "+
				"and their releases. Those of its mpaas_offline_package and mpaas_offline_package_release resources that this plan "+
				"leaves unchanged are created again by the next terraform apply.", forcedBy, h5AppID, versionCount(packages)))
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

// countAtPlan counts the app's package versions for a plan decision; a
// failed lookup is a plan error, since the decision cannot wait for apply.
func (r *h5AppResource) countAtPlan(ctx context.Context, h5AppID string, resp *resource.ModifyPlanResponse) (int, bool) {
	packages, err := r.heldPackages(ctx, h5AppID)
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
  2. apply only that change: terraform apply -target=mpaas_h5app.<name>
     (or a plain terraform apply when nothing else changed);
  3. destroy again.

To keep the H5App and its packages in mPaaS and stop managing them, replace its resource block with

  removed {
    from = mpaas_h5app.<name>
    lifecycle {
      destroy = false
    }
  }

and run terraform apply (do the same for its mpaas_offline_package and mpaas_offline_package_release resources to keep their releases running), or run terraform state rm mpaas_h5app.<name>.`,
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
  2. apply only that change: terraform apply -target=mpaas_h5app.<name>
     (or a plain terraform apply when nothing else changed);
  3. then change %[1]s.
force_destroy must be applied first: the old H5App is deleted with the force_destroy it already has, which is false.`, forcedBy, oldValue)
}

func (r *h5AppResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan h5AppModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	h5AppID, name := plan.H5AppID.ValueString(), plan.Name.ValueString()
	if err := r.createApp(ctx, h5AppID, name); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("h5app_id"), "Cannot create H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	plan.ID = plan.H5AppID
	plan.ResourceType = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// createApp creates the H5App; after an ambiguous failure (the request may
// have been processed) it looks the app up instead of failing.
func (r *h5AppResource) createApp(ctx context.Context, h5AppID, name string) error {
	existing, err := r.data.client.FindNebulaApp(ctx, h5AppID)
	if err != nil {
		return err
	}
	if existing != nil {
		return fmt.Errorf("an H5App with ID %s already exists (named %q); import it with `terraform import` or an import block, or choose another ID", h5AppID, existing.H5Name)
	}
	return createIdempotently(
		func() error { return r.data.client.CreateNebulaApp(ctx, h5AppID, name) },
		func() (bool, error) {
			found, err := r.data.client.FindNebulaApp(ctx, h5AppID)
			return found != nil && found.H5Name == name, err
		})
}

func (r *h5AppResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	h5AppID := state.H5AppID.ValueString()
	if h5AppID == "" {
		h5AppID = state.ID.ValueString()
	}
	app, err := r.data.client.FindNebulaApp(ctx, h5AppID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	if app == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	resourceType, _, err := appResourceType(ctx, r.data, h5AppID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the packages of H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	state.ID = types.StringValue(app.H5Id)
	state.H5AppID = types.StringValue(app.H5Id)
	state.Name = types.StringValue(app.H5Name)
	state.ResourceType = resourceType
	if state.ForceDestroy.IsNull() {
		state.ForceDestroy = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// appResourceType returns the type fixed by the app's packages (null when it
// has none) and how many packages it holds, from the shared package list.
func appResourceType(ctx context.Context, data *providerData, h5AppID string) (types.String, int, error) {
	packages, err := data.listPackages(ctx, h5AppID)
	if err != nil || len(packages) == 0 {
		return types.StringNull(), 0, err
	}
	name, err := mpaas.ResourceTypeName(packages[0].ResourceType)
	if err != nil {
		return types.StringNull(), len(packages), err
	}
	return types.StringValue(name), len(packages), nil
}

func (r *h5AppResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	// Only force_destroy can change in place; it lives in state alone.
	var plan h5AppModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ResourceType = state.ResourceType
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *h5AppResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	h5AppID := state.H5AppID.ValueString()
	r.data.packages.invalidate(h5AppID) // decide on a fresh list
	defer r.data.packages.invalidate(h5AppID)
	// ModifyPlan refused this already; the packages may have arrived since.
	if !state.ForceDestroy.ValueBool() {
		packages, err := r.heldPackages(ctx, h5AppID)
		if err != nil {
			resp.Diagnostics.AddError("Cannot check the packages of H5App "+h5AppID, apiErrorDetail(err))
			return
		}
		if packages > 0 {
			resp.Diagnostics.AddError(heldSummary(h5AppID, packages), destroyRefusalDetail(h5AppID, packages, "The H5App was not deleted."))
			return
		}
	}
	err := r.data.client.DeleteNebulaApp(ctx, h5AppID)
	if err != nil && !isAppGone(ctx, r.data.client, h5AppID) {
		resp.Diagnostics.AddError("Cannot delete H5App "+h5AppID, apiErrorDetail(err))
	}
}

// heldPackages counts the package versions the app holds, from the shared
// package list; an app that no longer exists holds none.
func (r *h5AppResource) heldPackages(ctx context.Context, h5AppID string) (int, error) {
	packages, err := r.data.listPackages(ctx, h5AppID)
	if err != nil {
		if isAppGone(ctx, r.data.client, h5AppID) {
			return 0, nil
		}
		return 0, err
	}
	return len(packages), nil
}

// isAppGone reports whether the app is confirmed absent (deleted out of band,
// or by an earlier attempt whose answer was lost).
func isAppGone(ctx context.Context, client *mpaas.Client, h5AppID string) bool {
	app, err := client.FindNebulaApp(ctx, h5AppID)
	return err == nil && app == nil
}

func (r *h5AppResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if ok, reason := validH5AppIDForImport(req.ID); !ok {
		resp.Diagnostics.AddError("Invalid import ID", reason+" Import an H5App by its 8-digit H5App ID, such as 12345678.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("h5app_id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("force_destroy"), false)...)
}
