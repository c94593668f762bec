package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var _ datasource.DataSourceWithConfigure = (*offlinePackagesDataSource)(nil)

// NewOfflinePackagesDataSource is the constructor of data "mpaas_offline_packages".
func NewOfflinePackagesDataSource() datasource.DataSource { return &offlinePackagesDataSource{} }

type offlinePackagesDataSource struct {
	dataSourceData
}

type offlinePackagesModel struct {
	H5AppID       types.String `tfsdk:"h5app_id"`
	Packages      types.List   `tfsdk:"packages"`
	LatestVersion types.String `tfsdk:"latest_version"`
}

var listedPackageAttrTypes = map[string]attr.Type{
	"id":              types.StringType,
	"version":         types.StringType,
	"resource_type":   types.StringType,
	"android":         types.ObjectType{AttrTypes: platformAttrTypes},
	"ios":             types.ObjectType{AttrTypes: platformAttrTypes},
	"main_url":        types.StringType,
	"vhost":           types.StringType,
	"download_url":    types.StringType,
	"file_size":       types.Int64Type,
	"created_at":      types.StringType,
	"download_policy": types.StringType,
	"install_policy":  types.StringType,
}

func (d *offlinePackagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_packages"
}

func listedPlatformSchema(name string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed:            true,
		MarkdownDescription: "Client version range of " + name + " clients that receive the package; null when " + name + " is not targeted.",
		Attributes: map[string]schema.Attribute{
			"min_version": schema.StringAttribute{Computed: true, MarkdownDescription: "Lowest client app version."},
			"max_version": schema.StringAttribute{Computed: true, MarkdownDescription: "Highest client app version; null for all future versions."},
		},
	}
}

func (d *offlinePackagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedString := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the offline package versions of one H5App, oldest version first. A missing H5App is an error.",
		Attributes: map[string]schema.Attribute{
			"h5app_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The H5App whose packages are listed.",
				Validators:          []validator.String{validators.H5AppID()},
			},
			"packages": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The package versions in ascending version order, compared number by number " +
					"(`1.0.0.9` before `1.0.0.10`).",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":              computedString("The package's numeric ID assigned by mPaaS."),
						"version":         computedString("The package version, such as `1.0.0.1`."),
						"resource_type":   computedString("`normal` or `global`."),
						"android":         listedPlatformSchema("Android"),
						"ios":             listedPlatformSchema("iOS"),
						"main_url":        computedString("Main entrance URL; null when none was set."),
						"vhost":           computedString("Virtual domain of the package."),
						"download_url":    computedString("URL of the generated package (`.amr`) that clients download."),
						"file_size":       schema.Int64Attribute{Computed: true, MarkdownDescription: "Size in bytes of the uploaded zip."},
						"created_at":      computedString("When mPaaS registered the package, RFC 3339 in UTC."),
						"download_policy": computedString("`wifi_only` or `all_networks`."),
						"install_policy":  computedString("`on_open` or `preload`."),
					},
				},
			},
			"latest_version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The highest version, the one the next automatic version follows; null when the H5App has no package.",
			},
		},
	}
}

func (d *offlinePackagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, ok := getConfig[offlinePackagesModel](ctx, req.Config, &resp.Diagnostics)
	if !ok || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	h5AppID := config.H5AppID.ValueString()
	app, err := d.data.client.FindApp(ctx, h5AppID)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("h5app_id"), "Cannot look up H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	if app == nil {
		resp.Diagnostics.AddAttributeError(path.Root("h5app_id"), "H5App "+h5AppID+" does not exist",
			"No H5App with ID "+h5AppID+" exists in this workspace, so it has no offline packages to list. Check the ID, "+
				"or create the H5App first (mpaas_h5app).")
		return
	}
	items, err := d.data.client.ListPackages(ctx, h5AppID)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("h5app_id"), "Cannot list the packages of H5App "+h5AppID, apiErrorDetail(err))
		return
	}
	sortByVersion(items)
	config.Packages = objectList(items, listedPackageAttrTypes, func(pkg mpaas.Package) map[string]attr.Value {
		return listedPackage(ctx, &pkg, &resp.Diagnostics)
	}, &resp.Diagnostics)
	config.LatestVersion = types.StringNull()
	if len(items) > 0 {
		config.LatestVersion = types.StringValue(items[len(items)-1].Version)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// listedPackage is the attributes of one listed package, converted with the
// helpers the mpaas_offline_package resource uses for its own state.
func listedPackage(ctx context.Context, pkg *mpaas.Package, diags *diag.Diagnostics) map[string]attr.Value {
	// What cannot be read is listed as the raw code (or null), with a warning.
	for _, field := range mpaas.UndecodedFields(pkg.DecodeError) {
		diags.AddWarning("Unknown "+field.Field+" from mPaaS", fmt.Sprintf("H5App %s version %s: mPaaS reported %s %q, "+
			"which this version of the provider cannot read (%v); the package is listed with the raw code, or null.",
			pkg.H5AppID, pkg.Version, field.Field, field.Code, field.Err))
	}
	return map[string]attr.Value{
		"id":              types.StringValue(formatID(pkg.ID)),
		"version":         types.StringValue(pkg.Version),
		"resource_type":   nameOrCode(string(pkg.ResourceType), pkg, mpaas.FieldResourceType),
		"android":         platformObject(ctx, pkg.Targets.Android, diags),
		"ios":             platformObject(ctx, pkg.Targets.IOS, diags),
		"main_url":        nullIfEmpty(pkg.MainURL),
		"vhost":           nullIfEmpty(pkg.Vhost),
		"download_url":    nullIfEmpty(pkg.DownloadURL),
		"file_size":       fileSizeValue(pkg.FileSize),
		"created_at":      types.StringValue(pkg.CreatedAt),
		"download_policy": nameOrCode(string(pkg.DownloadPolicy), pkg, mpaas.FieldAutoInstall),
		"install_policy":  nameOrCode(string(pkg.InstallPolicy), pkg, mpaas.FieldInstallType),
	}
}

// nameOrCode is an enum's name, or the raw code of field when it could not be read.
func nameOrCode(name string, pkg *mpaas.Package, field string) types.String {
	if f, ok := mpaas.UndecodedField(pkg.DecodeError, field).(mpaas.FieldDecodeError); ok {
		return types.StringValue(f.Code)
	}
	return types.StringValue(name)
}
