package provider

import (
	"context"
	"fmt"
	"iter"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

var (
	_ list.ListResource              = (*h5AppListResource)(nil)
	_ list.ListResourceWithConfigure = (*h5AppListResource)(nil)
)

// NewH5AppListResource is the constructor of the mpaas_h5app list resource
// (list blocks of terraform query, Terraform 1.14 and later).
func NewH5AppListResource() list.ListResource { return &h5AppListResource{} }

type h5AppListResource struct {
	data *providerData
}

func (r *h5AppListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_h5app"
}

func (r *h5AppListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every H5App of the provider's workspace (`app_id`, `workspace_id`), in H5App ID order, " +
			"for `terraform query` (Terraform 1.14 and later). The `config` block takes no arguments and may be left out. " +
			"Each result is named `<name> (<h5app_id>)` and carries the identity `{ h5app_id }` that an import block needs; " +
			"with `include_resource = true` (implied by `-generate-config-out`) it also carries the `mpaas_h5app` object, " +
			"which costs one package list call per H5App (for `resource_type`). `limit` (default 100) caps the results.",
		Attributes: map[string]schema.Attribute{},
	}
}

func (r *h5AppListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *h5AppListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if !requireClient(r.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	apps, err := r.data.client.ListApps(ctx, "")
	if err != nil {
		diags.AddError("Cannot list the H5Apps", apiErrorDetail(err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	sortApps(apps)
	stream.Results = r.results(ctx, req, apps)
}

// results yields one result per H5App, at most req.Limit of them.
func (r *h5AppListResource) results(ctx context.Context, req list.ListRequest, apps []mpaas.App) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i := range apps {
			if int64(i) >= req.Limit {
				return
			}
			result := r.result(ctx, req, &apps[i])
			if !push(result) || result.Diagnostics.HasError() {
				return
			}
		}
	}
}

// result describes one H5App: its identity and, when asked for, the object
// Read produces for it (force_destroy false, as after an import).
func (r *h5AppListResource) result(ctx context.Context, req list.ListRequest, app *mpaas.App) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s)", app.Name, app.H5AppID)
	result.Diagnostics.Append(setH5AppIdentity(ctx, result.Identity, types.StringValue(app.H5AppID))...)
	if !req.IncludeResource || result.Diagnostics.HasError() {
		return result
	}
	resourceType, err := appResourceType(ctx, r.data, app.H5AppID, types.StringNull(), &result.Diagnostics)
	if err != nil {
		result.Diagnostics.AddError("Cannot read the packages of H5App "+app.H5AppID, apiErrorDetail(err))
		return result
	}
	var model h5AppModel
	applyApp(&model, app, resourceType)
	result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
	return result
}

// sortApps orders H5Apps by ID, so query results come in a stable order.
func sortApps(apps []mpaas.App) {
	sort.Slice(apps, func(i, j int) bool { return apps[i].H5AppID < apps[j].H5AppID })
}
