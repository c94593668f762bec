package provider

import (
	"context"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

var (
	_ datasource.DataSourceWithConfigure      = (*whitelistsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*whitelistsDataSource)(nil)
)

// NewWhitelistsDataSource is the constructor of data "mpaas_whitelists".
func NewWhitelistsDataSource() datasource.DataSource { return &whitelistsDataSource{} }

type whitelistsDataSource struct {
	dataSourceData
}

type whitelistsModel struct {
	NameRegex  types.String `tfsdk:"name_regex"`
	Whitelists types.List   `tfsdk:"whitelists"`
}

var whitelistAttrTypes = map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "type": types.StringType, "member_count": types.Int64Type,
}

func (d *whitelistsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_whitelists"
}

func (d *whitelistsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the whitelists of the workspace (console: Whitelist management), sorted by ID. " +
			"The API lists no members, only how many each holds.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep only the whitelists whose name matches this regular expression " +
					"([Go RE2 syntax](https://pkg.go.dev/regexp/syntax)); unanchored, so `qa` matches `Android qa`.",
			},
			"whitelists": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The whitelists, sorted by `id`.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":           schema.StringAttribute{Computed: true, MarkdownDescription: "The numeric ID, as `whitelist_ids` of a release takes it."},
						"name":         schema.StringAttribute{Computed: true, MarkdownDescription: "The whitelist's name."},
						"type":         schema.StringAttribute{Computed: true, MarkdownDescription: "`normal` or `regex` (a code the provider does not know is shown as the service sent it)."},
						"member_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "How many values the whitelist holds."},
					},
				},
			},
		},
	}
}

func (d *whitelistsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	validateNameRegex(ctx, req.Config, &resp.Diagnostics)
}

func (d *whitelistsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, ok := getConfig[whitelistsModel](ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	re := compileNameRegex(config.NameRegex, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	lists, err := d.data.client.ListWhitelists(ctx, "")
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the whitelists", apiErrorDetail(err))
		return
	}
	sort.SliceStable(lists, func(i, j int) bool { return lists[i].ID < lists[j].ID })
	lists = slices.DeleteFunc(lists, func(w mpaas.Whitelist) bool { return !namePasses(re, w.Name) })
	config.Whitelists = objectList(lists, whitelistAttrTypes, func(w mpaas.Whitelist) map[string]attr.Value {
		kind := string(w.Type)
		if kind == "" {
			kind = w.TypeCode
		}
		return map[string]attr.Value{
			"id": types.StringValue(formatID(w.ID)), "name": types.StringValue(w.Name),
			"type": types.StringValue(kind), "member_count": types.Int64Value(w.MemberCount),
		}
	}, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
	}
}
