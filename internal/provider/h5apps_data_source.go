package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

var (
	_ datasource.DataSourceWithConfigure      = (*h5AppsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*h5AppsDataSource)(nil)
)

// NewH5AppsDataSource is the constructor of data "mpaas_h5apps".
func NewH5AppsDataSource() datasource.DataSource { return &h5AppsDataSource{} }

type h5AppsDataSource struct {
	dataSourceData
}

type h5AppsModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
	H5Apps    types.List   `tfsdk:"h5apps"`
	IDs       types.List   `tfsdk:"ids"`
}

var h5AppAttrTypes = map[string]attr.Type{"h5app_id": types.StringType, "name": types.StringType}

func (d *h5AppsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_h5apps"
}

func (d *h5AppsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the H5Apps of the workspace (console: Offline package management), sorted by H5App ID.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep only the H5Apps whose name matches this regular expression " +
					"([Go RE2 syntax](https://pkg.go.dev/regexp/syntax)); unanchored, so `portal` matches `Customer portal`.",
			},
			"h5apps": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The H5Apps, sorted by `h5app_id`.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"h5app_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The 8-digit H5App ID."},
						"name":     schema.StringAttribute{Computed: true, MarkdownDescription: "The H5App's name."},
					},
				},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The H5App IDs of `h5apps`, in the same order.",
			},
		},
	}
}

func (d *h5AppsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	validateNameRegex(ctx, req.Config, &resp.Diagnostics)
}

func (d *h5AppsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, ok := getConfig[h5AppsModel](ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	re := compileNameRegex(config.NameRegex, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	apps, err := d.data.client.ListApps(ctx, "")
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the H5Apps", apiErrorDetail(err))
		return
	}
	sortApps(apps)
	apps = slices.DeleteFunc(apps, func(app mpaas.App) bool { return !namePasses(re, app.Name) })
	config.H5Apps = objectList(apps, h5AppAttrTypes, func(app mpaas.App) map[string]attr.Value {
		return map[string]attr.Value{"h5app_id": types.StringValue(app.H5AppID), "name": types.StringValue(app.Name)}
	}, &resp.Diagnostics)
	ids := make([]attr.Value, len(apps))
	for i := range apps {
		ids[i] = types.StringValue(apps[i].H5AppID)
	}
	var diags diag.Diagnostics
	config.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
	}
}
