package provider

import (
	"context"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ datasource.DataSourceWithConfigure      = (*deliveryPreviewDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*deliveryPreviewDataSource)(nil)
)

// NewDeliveryPreviewDataSource is the constructor of data "mpaas_delivery_preview".
func NewDeliveryPreviewDataSource() datasource.DataSource { return &deliveryPreviewDataSource{} }

type deliveryPreviewDataSource struct {
	dataSourceData
}

type deliveryPreviewModel struct {
	Platform      types.String `tfsdk:"platform"`
	ClientVersion types.String `tfsdk:"client_version"`
	UserID        types.String `tfsdk:"user_id"`
	City          types.String `tfsdk:"city"`
	Network       types.String `tfsdk:"network"`
	OSVersion     types.String `tfsdk:"os_version"`
	DeviceModel   types.String `tfsdk:"device_model"`
	H5AppID       types.String `tfsdk:"h5app_id"`
	Packages      types.List   `tfsdk:"packages"`
	Skipped       types.List   `tfsdk:"skipped"`
}

var deliveredPackageAttrTypes = map[string]attr.Type{
	"h5app_id":     types.StringType,
	"version":      types.StringType,
	"package_id":   types.StringType,
	"download_url": types.StringType,
	"reason":       types.StringType,
}

var skippedAppAttrTypes = map[string]attr.Type{
	"h5app_id": types.StringType,
	"reason":   types.StringType,
}

func (d *deliveryPreviewDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_delivery_preview"
}

func (d *deliveryPreviewDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	optionalText := func(description string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: description,
			Validators:          []validator.String{validators.PrintableText(maxRuleValueLength)},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Previews which offline package each H5App would deliver to one client, given its platform, " +
			"app version and attributes: the highest package version that targets the client and has an active release " +
			"reaching it (official, or grayscale by whitelist or time window with all rules matching). The provider computes " +
			"the answer itself, simulating the client's update check, from the H5Apps, packages and release tasks the mPaaS " +
			"API returns, so it works against the real service and the local emulator alike. It lists the H5Apps (or finds " +
			"`h5app_id`), each one's packages, and the release tasks of its versions from the highest down until one reaches " +
			"the client. Not simulated: the number of users of a time-window release (`time_window.max_users`), and " +
			"whitelist membership: the API lists no whitelist's members, so a grayscale whitelist release reaches no " +
			"previewed client and its reason says that membership is unknown (the local emulator's `/emulator/delivery` " +
			"knows the members of `mpaas_whitelist`).",
		Attributes: map[string]schema.Attribute{
			"platform": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The client's platform: `android` or `ios`.",
				Validators:          []validator.String{stringvalidator.OneOf("android", "ios")},
			},
			"client_version": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The client app's version, dot-separated numbers such as `10.1.68`.",
			},
			"user_id":      optionalText("The user, for grayscale whitelist releases; without it such a release reaches no client. Whitelist members cannot be read through the API, so the reason names the whitelists whose membership is unknown."),
			"city":         optionalText("The client's city, for `city` rules."),
			"network":      optionalText("The client's network type such as `wifi` or `4g`, for `network` rules."),
			"os_version":   optionalText("The client's OS version such as `13.0`, for `os_version` rules."),
			"device_model": optionalText("The client's device model, for `device_model` rules."),
			"h5app_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Preview only this H5App; by default every H5App of the workspace.",
				Validators:          []validator.String{validators.H5AppID()},
			},
			"packages": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The packages the client would receive, one per H5App, sorted by `h5app_id`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"h5app_id":     schema.StringAttribute{Computed: true, MarkdownDescription: "The H5App."},
					"version":      schema.StringAttribute{Computed: true, MarkdownDescription: "The delivered package version."},
					"package_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The delivered package's id (`mpaas_offline_package.id`)."},
					"download_url": schema.StringAttribute{Computed: true, MarkdownDescription: "Where the client downloads it."},
					"reason":       schema.StringAttribute{Computed: true, MarkdownDescription: "Why it is delivered, such as `official release` or `grayscale whitelist`."},
				}},
			},
			"skipped": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The H5Apps that deliver nothing to the client, sorted by `h5app_id`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"h5app_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The H5App."},
					"reason": schema.StringAttribute{Computed: true, MarkdownDescription: "Why nothing is delivered, such as " +
						"`client 10.0.9 is below min 10.1.0`, `release paused` or `no active release`."},
				}},
			},
		},
	}
}

func (d *deliveryPreviewDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	config, ok := getConfig[deliveryPreviewModel](ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	for _, v := range []struct {
		name  string
		value types.String
	}{{"client_version", config.ClientVersion}, {"os_version", config.OSVersion}} {
		if v.value.IsNull() || v.value.IsUnknown() {
			continue
		}
		if _, err := offlinepkg.ParseClientVersion(v.value.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root(v.name), "Invalid "+v.name, err.Error()+".")
		}
	}
}

func (d *deliveryPreviewDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, ok := getConfig[deliveryPreviewModel](ctx, req.Config, &resp.Diagnostics)
	if !ok || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	client := delivery.Client{
		Platform: config.Platform.ValueString(), Version: config.ClientVersion.ValueString(),
		UserID: config.UserID.ValueString(), City: config.City.ValueString(), Network: config.Network.ValueString(),
		OSVersion: config.OSVersion.ValueString(), DeviceModel: config.DeviceModel.ValueString(),
	}
	in, err := previewInput(ctx, d.data, client, config.H5AppID.ValueString(), time.Now())
	if err != nil {
		resp.Diagnostics.AddError("Cannot preview deliveries", apiErrorDetail(err))
		return
	}
	config.Packages, config.Skipped = previewLists(delivery.Preview(in), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// previewLists turns the decision into the packages and skipped attributes.
func previewLists(result delivery.Result, diags *diag.Diagnostics) (types.List, types.List) {
	packages := objectList(result.Deliveries, deliveredPackageAttrTypes, func(p delivery.Delivery) map[string]attr.Value {
		return map[string]attr.Value{
			"h5app_id":     types.StringValue(p.H5AppID),
			"version":      types.StringValue(p.Version),
			"package_id":   types.StringValue(strconv.FormatInt(p.PackageID, 10)),
			"download_url": types.StringValue(p.DownloadURL),
			"reason":       types.StringValue(p.Reason),
		}
	}, diags)
	skipped := objectList(result.Skipped, skippedAppAttrTypes, func(s delivery.Skip) map[string]attr.Value {
		return map[string]attr.Value{"h5app_id": types.StringValue(s.H5AppID), "reason": types.StringValue(s.Reason)}
	}, diags)
	return packages, skipped
}
