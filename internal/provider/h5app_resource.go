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
			"replaces it. Destroying an H5App that still holds packages fails unless `force_destroy` is set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Same as `h5app_id`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"h5app_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The H5App ID: exactly 8 digits (R2); not one of the IDs reserved by the client SDK, " +
					"20000196, 66666692, 68687029 and 68687209 (R3); not starting with `666666` or `20000` (R4). Changing it replaces the H5App.",
				Validators:    []validator.String{validators.H5AppID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("Display name, 1 to %d printable characters. The API has no rename, "+
					"so changing it replaces the H5App (and, with `force_destroy`, deletes its packages).", maxH5AppNameLength),
				Validators:    []validator.String{validators.PrintableText(maxH5AppNameLength)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"force_destroy": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, destroying the H5App also deletes every offline package version it holds. " +
					"When `false` (default), destroying an H5App that holds packages fails with an error and deletes nothing. " +
					"The value must be applied before the destroy that relies on it.",
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
	if !state.ForceDestroy.ValueBool() {
		_, packages, err := appResourceType(ctx, r.data, h5AppID)
		if err != nil && !isAppGone(ctx, r.data.client, h5AppID) {
			resp.Diagnostics.AddError("Cannot check the packages of H5App "+h5AppID, apiErrorDetail(err))
			return
		}
		if packages > 0 {
			resp.Diagnostics.AddAttributeError(path.Root("force_destroy"), "H5App "+h5AppID+" still holds offline packages",
				fmt.Sprintf("H5App %s holds %d offline package version(s), and deleting it would delete them too. "+
					"Nothing was deleted. To delete them with the app, set force_destroy = true, run terraform apply, then destroy again; "+
					"to keep them, remove the H5App from Terraform with a removed block or terraform state rm.", h5AppID, packages))
			return
		}
	}
	err := r.data.client.DeleteNebulaApp(ctx, h5AppID)
	if err != nil && !isAppGone(ctx, r.data.client, h5AppID) {
		resp.Diagnostics.AddError("Cannot delete H5App "+h5AppID, apiErrorDetail(err))
	}
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
