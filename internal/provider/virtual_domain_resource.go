package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ resource.Resource                = (*virtualDomainResource)(nil)
	_ resource.ResourceWithConfigure   = (*virtualDomainResource)(nil)
	_ resource.ResourceWithImportState = (*virtualDomainResource)(nil)
)

// NewVirtualDomainResource is the constructor of mpaas_virtual_domain.
func NewVirtualDomainResource() resource.Resource { return &virtualDomainResource{} }

type virtualDomainResource struct {
	data *providerData
}

type virtualDomainModel struct {
	ID     types.String `tfsdk:"id"`
	Domain types.String `tfsdk:"domain"`
}

func (r *virtualDomainResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_virtual_domain"
}

func (r *virtualDomainResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The workspace's offline-package virtual domain (console: Offline package management, Configure). " +
			"New packages take their `vhost` from it (R5); clients see `https://<h5app_id>.<domain>`. There is one per " +
			"workspace: declare it once. The API has no delete action, so destroy only removes it from the Terraform state, with a warning.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<app_id>/<workspace_id>`: the workspace the setting belongs to.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"domain": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The virtual domain, a bare host name such as `h5app.example.com`. Changes are applied in place.",
				Validators:          []validator.String{validators.HostName()},
			},
		},
	}
}

func (r *virtualDomainResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *virtualDomainResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *virtualDomainResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *virtualDomainResource) write(ctx context.Context, getPlan getter, state stateSetter, diags *diagnostics) {
	var plan virtualDomainModel
	diags.Append(getPlan(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	domain := plan.Domain.ValueString()
	if err := r.data.client.SetVhost(ctx, domain); err != nil {
		diags.AddAttributeError(path.Root("domain"), "Cannot set the virtual domain", apiErrorDetail(err))
		return
	}
	plan.ID = types.StringValue(r.data.scopeID())
	diags.Append(state.Set(ctx, &plan)...)
}

func (r *virtualDomainResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state virtualDomainModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	domain, err := r.data.client.QueryVhost(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the virtual domain", apiErrorDetail(err))
		return
	}
	if domain == "" {
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(r.data.scopeID())
	state.Domain = types.StringValue(domain)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *virtualDomainResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddWarning("Virtual domain left in place",
		"The mPaaS API cannot delete the workspace's virtual domain, so it was only removed from the Terraform state. "+
			"It still applies to new packages; change it in the console or with another mpaas_virtual_domain.")
}

func (r *virtualDomainResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	// There is one setting per workspace, so any import ID selects it.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}
