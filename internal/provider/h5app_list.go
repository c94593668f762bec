package provider

import (
	"context"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ list.ListResource                   = (*h5AppListResource)(nil)
	_ list.ListResourceWithConfigure      = (*h5AppListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*h5AppListResource)(nil)
)

// NewH5AppListResource is the constructor of the mpaas_h5app list resource
// (list blocks of terraform query, Terraform 1.14 and later).
func NewH5AppListResource() list.ListResource { return &h5AppListResource{} }

type h5AppListResource struct {
	listResourceData
}

func (r *h5AppListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_h5app"
}

// h5AppListConfig is the config block of an mpaas_h5app list block: the
// filters, both of which an H5App must pass when both are set.
type h5AppListConfig struct {
	H5AppIDs  types.List   `tfsdk:"h5app_ids"`
	NameRegex types.String `tfsdk:"name_regex"`
}

func (r *h5AppListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the H5Apps of the provider's workspace (`app_id`, `workspace_id`), in H5App ID order, " +
			"for `terraform query` (Terraform 1.14 and later). Without a `config` block every H5App is listed; `h5app_ids` and " +
			"`name_regex` narrow the list (an H5App must pass both when both are set), so a workspace shared by several teams " +
			"can adopt one team's H5Apps. Each result is named `<name> (<h5app_id>)` and carries the identity `{ h5app_id }` " +
			"that an import block needs; with `include_resource = true` (implied by `-generate-config-out`) it also carries the " +
			"`mpaas_h5app` object, which costs one package list call per H5App (for `resource_type`). `limit` (default 100) caps " +
			"the results; when more H5Apps match, the query warns with the number left out.",
		Attributes: map[string]schema.Attribute{
			"h5app_ids": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "List only these H5Apps (8-digit IDs). An ID with no H5App in the workspace is an error, " +
					"so a typo does not go unnoticed.",
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(validators.H5AppID())},
			},
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "List only the H5Apps whose name matches this regular expression (Go RE2 syntax, " +
					"https://github.com/google/re2/wiki/Syntax). It matches anywhere in the name unless anchored: `^team-a-` " +
					"keeps the names that start with `team-a-`; `(?i)` makes it case-insensitive.",
			},
		},
	}
}

func (r *h5AppListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	validateNameRegex(ctx, req.Config, &resp.Diagnostics)
}

// appFilter is what an H5App must pass to be listed: one of ids (when any)
// and a name matching name (when set).
type appFilter struct {
	ids  []string
	name *regexp.Regexp
}

func (c *h5AppListConfig) filter(ctx context.Context, diags *diag.Diagnostics) appFilter {
	var f appFilter
	if !c.H5AppIDs.IsNull() && !c.H5AppIDs.IsUnknown() {
		diags.Append(c.H5AppIDs.ElementsAs(ctx, &f.ids, false)...)
	}
	f.name = compileNameRegex(c.NameRegex, diags)
	return f
}

// selectApps keeps the H5Apps that pass the filter, in their order, and
// names the IDs of the filter that no H5App has.
func (f appFilter) selectApps(apps []mpaas.App) (kept []mpaas.App, missing []string) {
	wanted := map[string]bool{}
	for _, id := range f.ids {
		wanted[id] = true
	}
	found := map[string]bool{}
	for i := range apps {
		if len(wanted) > 0 && !wanted[apps[i].H5AppID] {
			continue
		}
		found[apps[i].H5AppID] = true
		if namePasses(f.name, apps[i].Name) {
			kept = append(kept, apps[i])
		}
	}
	for _, id := range f.ids {
		if !found[id] && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	return kept, missing
}

func (r *h5AppListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	config := getListConfig[h5AppListConfig](ctx, req, &diags)
	filter := config.filter(ctx, &diags)
	if diags.HasError() || !requireClient(r.data, &diags) {
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
	apps, missing := filter.selectApps(apps)
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("h5app_ids"), "No such H5App",
			fmt.Sprintf("h5app_ids names %s, which this workspace does not hold. Check the IDs, or remove them from h5app_ids.",
				strings.Join(missing, ", ")))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = r.results(ctx, req, apps)
}

// results yields one result per H5App, at most req.Limit of them, after a
// warning when more match.
func (r *h5AppListResource) results(ctx context.Context, req list.ListRequest, apps []mpaas.App) iter.Seq[list.ListResult] {
	var cut *cutShort
	if left := int64(len(apps)) - req.Limit; left > 0 {
		cut = &cutShort{what: "H5Apps", order: "by H5App ID", limit: req.Limit, left: int(left),
			hint: "narrow the config block with h5app_ids or name_regex"}
		apps = apps[:max(req.Limit, 0)]
	}
	return listResults(cut, len(apps), func(i int) (list.ListResult, bool) { return r.result(ctx, req, &apps[i]), false })
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
