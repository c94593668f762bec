package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
	_ resource.ResourceWithIdentity    = (*h5AppResource)(nil)
)

// NewH5AppResource is the constructor of mpaas_h5app.
func NewH5AppResource() resource.Resource { return &h5AppResource{} }

type h5AppResource struct {
	data *providerData
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
					"`terraform apply -target='mpaas_h5app.portal'`, with the address in single quotes so that a key such as " +
					"`-target='mpaas_h5app.portal[\"a\"]'` survives the shell), then destroy or replace it.",
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

// h5AppIdentityModel is the identity of an H5App: its ID, what an import names.
type h5AppIdentityModel struct {
	H5AppID types.String `tfsdk:"h5app_id"`
}

func (r *h5AppResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"h5app_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The 8-digit H5App ID, such as 12345678.",
			},
		},
	}
}

func setH5AppIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, h5AppID types.String) diag.Diagnostics {
	return setIdentity(ctx, identity, h5AppIdentityModel{H5AppID: h5AppID})
}

func (r *h5AppResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
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
	resp.Diagnostics.Append(setH5AppIdentity(ctx, resp.Identity, plan.H5AppID)...)
}

// createApp creates the H5App, refusing one that exists already: this
// resource would otherwise take over (and could delete) an H5App it did not
// create.
func (r *h5AppResource) createApp(ctx context.Context, h5AppID, name string) error {
	existing, err := r.data.client.FreshFindApp(ctx, h5AppID)
	if err != nil {
		return err
	}
	if existing != nil {
		return fmt.Errorf("an H5App with ID %s already exists (named %q); import it with an import block or terraform import 'mpaas_h5app.NAME' %s, or choose another ID", h5AppID, existing.Name, h5AppID)
	}
	return r.data.client.CreateApp(ctx, h5AppID, name)
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
	// Recorded before the look-up: the framework wants an identity even when the H5App is gone.
	resp.Diagnostics.Append(setH5AppIdentity(ctx, resp.Identity, types.StringValue(h5AppID))...)
	app, err := r.data.client.FindApp(ctx, h5AppID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	if app == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	resourceType, err := appResourceType(ctx, r.data, h5AppID, state.ResourceType, &resp.Diagnostics)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the packages of H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	applyApp(&state, app, resourceType)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
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
	resp.Diagnostics.Append(setH5AppIdentity(ctx, resp.Identity, plan.H5AppID)...)
}

func (r *h5AppResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state h5AppModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	h5AppID := state.H5AppID.ValueString()
	// ModifyPlan refused this already; the packages may have arrived since.
	if !state.ForceDestroy.ValueBool() {
		packages, err := r.heldPackages(ctx, h5AppID, r.data.client.FreshPackages)
		if err != nil {
			resp.Diagnostics.AddError("Cannot check the packages of H5App "+h5AppID, apiErrorDetail(err))
			return
		}
		if packages > 0 {
			resp.Diagnostics.AddError(heldSummary(h5AppID, packages), destroyRefusalDetail(h5AppID, packages, "The H5App was not deleted."))
			return
		}
	}
	if err := r.data.client.DeleteApp(ctx, h5AppID); err != nil {
		resp.Diagnostics.AddError("Cannot delete H5App "+h5AppID, apiErrorDetail(err))
	}
}

// heldPackages counts the package versions the app holds, from the run's
// shared list (the plan) or listed now (list = FreshPackages: at delete,
// packages may have arrived since the plan); an app that no longer exists
// holds none.
func (r *h5AppResource) heldPackages(ctx context.Context, h5AppID string,
	list func(context.Context, string) ([]mpaas.Package, error)) (int, error) {
	packages, err := list(ctx, h5AppID)
	if err != nil {
		if r.data.client.AppGone(ctx, h5AppID) {
			return 0, nil
		}
		return 0, err
	}
	return len(packages), nil
}

// ImportState imports an H5App by its ID or by identity.
func (r *h5AppResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	h5AppID := req.ID
	if h5AppID == "" && req.Identity != nil {
		var identity h5AppIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		h5AppID = identity.H5AppID.ValueString()
	}
	if ok, reason := validH5AppIDForImport(h5AppID); !ok {
		resp.Diagnostics.AddError("Invalid import ID", reason+" Import an H5App by its 8-digit H5App ID, such as 12345678, "+
			"or by identity = { h5app_id = \"12345678\" }.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), h5AppID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("h5app_id"), h5AppID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("force_destroy"), false)...)
	resp.Diagnostics.Append(setH5AppIdentity(ctx, resp.Identity, types.StringValue(h5AppID))...)
}
