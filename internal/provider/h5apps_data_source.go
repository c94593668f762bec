package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSourceWithConfigure      = (*h5AppsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*h5AppsDataSource)(nil)
)

// NewH5AppsDataSource is the constructor of data "mpaas_h5apps".
func NewH5AppsDataSource() datasource.DataSource { return &h5AppsDataSource{} }

type h5AppsDataSource struct {
	data *providerData
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

func (d *h5AppsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *h5AppsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var config h5AppsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	compileNameRegex(config.NameRegex, &resp.Diagnostics)
}

// compileNameRegex returns nil for a null, unknown or invalid pattern; an
// invalid one is an error on name_regex.
func compileNameRegex(value types.String, diags *diag.Diagnostics) *regexp.Regexp {
	if value.IsNull() || value.IsUnknown() {
		return nil
	}
	re, err := regexp.Compile(value.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex",
			fmt.Sprintf("name_regex %q is not a valid regular expression (Go RE2 syntax): %v.", value.ValueString(), err))
		return nil
	}
	return re
}

func (d *h5AppsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config h5AppsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
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
	sort.SliceStable(apps, func(i, j int) bool { return apps[i].H5AppID < apps[j].H5AppID })
	h5Apps := make([]attr.Value, 0, len(apps))
	ids := make([]attr.Value, 0, len(apps))
	for _, app := range apps {
		if re != nil && !re.MatchString(app.Name) {
			continue
		}
		object, diags := types.ObjectValue(h5AppAttrTypes, map[string]attr.Value{
			"h5app_id": types.StringValue(app.H5AppID),
			"name":     types.StringValue(app.Name),
		})
		resp.Diagnostics.Append(diags...)
		h5Apps = append(h5Apps, object)
		ids = append(ids, types.StringValue(app.H5AppID))
	}
	var diags diag.Diagnostics
	config.H5Apps, diags = types.ListValue(types.ObjectType{AttrTypes: h5AppAttrTypes}, h5Apps)
	resp.Diagnostics.Append(diags...)
	config.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
