package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ resource.Resource                   = (*whitelistResource)(nil)
	_ resource.ResourceWithConfigure      = (*whitelistResource)(nil)
	_ resource.ResourceWithImportState    = (*whitelistResource)(nil)
	_ resource.ResourceWithValidateConfig = (*whitelistResource)(nil)
)

// maxWhitelistName bounds a whitelist's name. [INFERRED] the console's limit
// is unpublished; the emulator takes as many.
const maxWhitelistName = 100

// NewWhitelistResource is the constructor of mpaas_whitelist.
func NewWhitelistResource() resource.Resource { return &whitelistResource{} }

type whitelistResource struct {
	data *providerData
}

type whitelistModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Type        types.String `tfsdk:"type"`
	Members     types.Set    `tfsdk:"members"`
	MemberCount types.Int64  `tfsdk:"member_count"`
}

func (r *whitelistResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_whitelist"
}

func (r *whitelistResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A whitelist of Mobile Delivery Service (console: Whitelist management): the audience of a " +
			"grayscale `mpaas_offline_package_release`, which takes its `id` in `whitelist_ids`. Members change in place: " +
			"added ones are sent together (a large set as an uploaded file), removed ones one call each. The API cannot " +
			"list a whitelist's members, only count them: `members` is what this configuration put there, `member_count` " +
			"what the service counts. **Import** by the numeric ID: name, type and count are read, members stay unknown " +
			"(null), and the next plan shows every configured member as added; applying it sends them again, which " +
			"changes nothing for values already there and removes nothing, so values added outside Terraform stay " +
			"(a warning compares the count with the configuration).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The whitelist's numeric ID, as a string: what `whitelist_ids` of a release takes.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: fmt.Sprintf("The whitelist's name, 1 to %d characters. The API cannot rename a whitelist: a new name replaces it.", maxWhitelistName),
				Validators:          []validator.String{validators.PrintableText(maxWhitelistName)},
				PlanModifiers:       replace,
			},
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`normal`: members are user IDs, a user is in the whitelist when its ID equals one. " +
					"`regex`: members are regular expressions (RE2 syntax, checked at plan), a user is in it when its whole " +
					"ID matches one. A new type replaces the whitelist.",
				Validators:    []validator.String{stringvalidator.OneOf(string(mpaas.WhitelistNormal), string(mpaas.WhitelistRegex))},
				PlanModifiers: replace,
			},
			"members": schema.SetAttribute{
				ElementType: types.StringType,
				Required:    true,
				MarkdownDescription: "The user IDs (`normal`) or expressions (`regex`), each one line without spaces around it; " +
					"a `normal` member has no commas. Hundreds of thousands are fine. Null after an import until the next apply.",
			},
			"member_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "How many values the service counts in the whitelist (`WhiteListCount`), read back after every change and refresh.",
			},
		},
	}
}

func (r *whitelistResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *whitelistResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config whitelistModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || config.Type.IsUnknown() || config.Members.IsUnknown() || config.Members.IsNull() {
		return
	}
	kind := mpaas.WhitelistType(config.Type.ValueString())
	for _, member := range config.Members.Elements() {
		value, ok := member.(types.String)
		if !ok || value.IsUnknown() || value.IsNull() {
			continue
		}
		if summary, detail := checkWhitelistMember(kind, value.ValueString()); summary != "" {
			resp.Diagnostics.AddAttributeError(path.Root("members").AtSetValue(value), summary, detail)
		}
	}
}

func (r *whitelistResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan whitelistModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	client := r.data.client
	id, err := client.CreateWhitelist(ctx, plan.Name.ValueString(), mpaas.WhitelistType(plan.Type.ValueString()))
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the whitelist", apiErrorDetail(err))
		return
	}
	members := setStrings(plan.Members)
	added := members
	if err := client.AddWhitelistMembers(ctx, id, members); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("members"), "Cannot add the whitelist's members", apiErrorDetail(err)+
			fmt.Sprintf("\n\nWhitelist %d was created; Terraform records it as tainted, so the next apply replaces it.", id))
		added = nil
	}
	r.saveAfterWrite(ctx, id, plan, added, &resp.State, &resp.Diagnostics)
}

func (r *whitelistResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan whitelistModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	state, id, ok := r.stateWithID(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	members := r.changeMembers(ctx, id, state.Members, setStrings(plan.Members), &resp.Diagnostics)
	r.saveAfterWrite(ctx, id, plan, members, &resp.State, &resp.Diagnostics)
}

// saveAfterWrite records the whitelist with the members it now holds (nil:
// unknown) and the count the service reports.
func (r *whitelistResource) saveAfterWrite(ctx context.Context, id int64, plan whitelistModel, members []string, state stateSetter, diags *diagnostics) {
	plan.ID = types.StringValue(formatID(id))
	plan.Members = membersValue(members)
	plan.MemberCount = types.Int64Null()
	found, err := r.data.client.FindWhitelist(ctx, id)
	switch {
	case err != nil:
		diags.AddWarning("Cannot read the whitelist's count", apiErrorDetail(err)+"\n\nThe next refresh reads it.")
	case found == nil:
		diags.AddWarning("Whitelist not listed", fmt.Sprintf("Whitelist %d is not listed right after it was written; the next refresh reads it again.", id))
	default:
		plan.MemberCount = types.Int64Value(found.MemberCount)
	}
	diags.Append(state.Set(ctx, &plan)...)
}

func (r *whitelistResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, id, ok := r.stateWithID(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	found, err := r.data.client.FindWhitelist(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the whitelist", apiErrorDetail(err))
		return
	}
	if found == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	state.Name = types.StringValue(found.Name)
	if found.Type != "" {
		state.Type = types.StringValue(string(found.Type))
	} else {
		resp.Diagnostics.AddAttributeWarning(path.Root("type"), "Unknown whitelist type code",
			fmt.Sprintf("The service reports WhitelistType %q for whitelist %d, a code the provider does not know; the earlier type is kept.", found.TypeCode, id))
	}
	state.MemberCount = types.Int64Value(found.MemberCount)
	if count := len(state.Members.Elements()); !state.Members.IsNull() && int64(count) != found.MemberCount {
		resp.Diagnostics.AddAttributeWarning(path.Root("member_count"), "Whitelist holds other values than configured",
			fmt.Sprintf("Whitelist %d holds %d values, the configuration %d. Values added outside Terraform (or before an import) "+
				"stay, since the API cannot list them; remove them in the console or add them to members and remove them again.", id, found.MemberCount, count))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *whitelistResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	_, id, ok := r.stateWithID(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	if err := r.data.client.DeleteWhitelist(ctx, id); err != nil && !mpaas.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot delete the whitelist", apiErrorDetail(err))
	}
}

// stateWithID reads the state and its numeric whitelist ID; ok is false
// after an error (also when the provider is not configured).
func (r *whitelistResource) stateWithID(ctx context.Context, state tfsdk.State, diags *diagnostics) (whitelistModel, int64, bool) {
	var m whitelistModel
	diags.Append(state.Get(ctx, &m)...)
	if diags.HasError() || !requireClient(r.data, diags) {
		return m, 0, false
	}
	id, err := parseID("whitelist id", m.ID.ValueString())
	if err != nil {
		diags.AddError("Invalid whitelist id in state", err.Error())
		return m, 0, false
	}
	return m, id, true
}

func (r *whitelistResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if _, err := parseID("whitelist id", req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error()+": import a whitelist by its numeric ID, such as 4294967297.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("members"), types.SetNull(types.StringType))...)
}
