package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ datasource.DataSourceWithConfigure      = (*deliveryPreviewDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*deliveryPreviewDataSource)(nil)
)

const (
	// deliveryPreviewPath is the emulator-only endpoint (internal/emulator/delivery.go).
	deliveryPreviewPath = "/emulator/delivery"
	// deliveryPreviewTimeout bounds the one GET the data source makes.
	deliveryPreviewTimeout = 30 * time.Second
	// deliveryPreviewBodyLimit caps the answer read from the emulator.
	deliveryPreviewBodyLimit = 16 << 20
)

// NewDeliveryPreviewDataSource is the constructor of data "mpaas_delivery_preview".
func NewDeliveryPreviewDataSource() datasource.DataSource { return &deliveryPreviewDataSource{} }

type deliveryPreviewDataSource struct {
	data *providerData
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
		MarkdownDescription: "**Emulator only.** Previews which offline package each H5App would deliver to one client, " +
			"given its platform, app version and attributes: the highest package version that targets the client and has an " +
			"active release reaching it (official, or grayscale by whitelist or time window with all rules matching). " +
			"The real mPaaS service has no such API; this data source works only when the provider's `endpoint` is the local " +
			"emulator (a loopback `http(s)://` address), for tests and demos of release configurations.",
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
			"user_id":      optionalText("The user, matched against `whitelist_ids` of a grayscale whitelist release (the emulator reads each whitelist ID as a user ID)."),
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

func (d *deliveryPreviewDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *deliveryPreviewDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var config deliveryPreviewModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
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

// deliveryAnswer is the emulator's JSON answer.
type deliveryAnswer struct {
	Deliveries []struct {
		H5Id        string `json:"H5Id"`
		H5Version   string `json:"H5Version"`
		PackageId   string `json:"PackageId"`
		DownloadUrl string `json:"DownloadUrl"`
		Reason      string `json:"Reason"`
	} `json:"Deliveries"`
	Skipped []struct {
		H5Id   string `json:"H5Id"`
		Reason string `json:"Reason"`
	} `json:"Skipped"`
}

const noPreviewAPI = "The real mPaaS service has no delivery-preview API: data \"mpaas_delivery_preview\" works only against " +
	"the local mPaaS emulator (provider endpoint such as http://127.0.0.1:PORT, started with tools/mpaas-emulator or make demo)."

func (d *deliveryPreviewDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config deliveryPreviewModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || d.data == nil {
		return
	}
	target, msg := d.previewURL(&config)
	if msg != "" {
		resp.Diagnostics.AddError("Delivery preview needs the emulator", msg)
		return
	}
	answer, err := fetchDeliveryPreview(ctx, target)
	if err != nil {
		resp.Diagnostics.AddError("Cannot preview deliveries", err.Error())
		return
	}
	config.Packages, config.Skipped = answer.lists(&resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// previewURL builds the emulator URL, or says why the endpoint is not the emulator.
func (d *deliveryPreviewDataSource) previewURL(config *deliveryPreviewModel) (string, string) {
	endpoint := d.data.endpoint
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !mpaas.IsLoopbackHost(u.Hostname()) {
		return "", fmt.Sprintf("The provider endpoint %q is not a loopback address. %s", endpoint, noPreviewAPI)
	}
	client := d.data.client
	q := url.Values{
		"app_id":         {client.AppID()},
		"workspace_id":   {client.WorkspaceID()},
		"tenant_id":      {client.TenantID()},
		"platform":       {config.Platform.ValueString()},
		"client_version": {config.ClientVersion.ValueString()},
	}
	for name, v := range map[string]types.String{
		"user_id": config.UserID, "city": config.City, "network": config.Network,
		"os_version": config.OSVersion, "device_model": config.DeviceModel, "h5app_id": config.H5AppID,
	} {
		if !v.IsNull() && v.ValueString() != "" {
			q.Set(name, v.ValueString())
		}
	}
	u.Path = strings.TrimRight(u.Path, "/") + deliveryPreviewPath
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String(), ""
}

// fetchDeliveryPreview makes the one GET. It is a plain HTTP call, not a
// signed mPaaS API call: the endpoint is not part of the real API.
func fetchDeliveryPreview(ctx context.Context, target string) (*deliveryAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, deliveryPreviewTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s failed: %w", redactQuery(target), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, deliveryPreviewBodyLimit))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s: %w", redactQuery(target), err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("the endpoint answered HTTP 404 for %s, so it is not an mPaaS emulator with delivery preview. %s",
			deliveryPreviewPath, noPreviewAPI)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("the emulator answered HTTP %d for %s: %s", resp.StatusCode, deliveryPreviewPath, snippetOf(body))
	}
	var answer deliveryAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, fmt.Errorf("the answer of %s is not the expected JSON (%v): %s. %s", deliveryPreviewPath, err, snippetOf(body), noPreviewAPI)
	}
	return &answer, nil
}

func redactQuery(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "the emulator"
	}
	u.RawQuery = ""
	return u.String()
}

func snippetOf(body []byte) string {
	const limit = 300
	s := strings.TrimSpace(string(body))
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	return fmt.Sprintf("%q", s)
}

func (a *deliveryAnswer) lists(diags *diag.Diagnostics) (types.List, types.List) {
	packages := make([]attr.Value, 0, len(a.Deliveries))
	for _, p := range a.Deliveries {
		obj, d := types.ObjectValue(deliveredPackageAttrTypes, map[string]attr.Value{
			"h5app_id":     types.StringValue(p.H5Id),
			"version":      types.StringValue(p.H5Version),
			"package_id":   types.StringValue(p.PackageId),
			"download_url": types.StringValue(p.DownloadUrl),
			"reason":       types.StringValue(p.Reason),
		})
		diags.Append(d...)
		packages = append(packages, obj)
	}
	skipped := make([]attr.Value, 0, len(a.Skipped))
	for _, s := range a.Skipped {
		obj, d := types.ObjectValue(skippedAppAttrTypes, map[string]attr.Value{
			"h5app_id": types.StringValue(s.H5Id),
			"reason":   types.StringValue(s.Reason),
		})
		diags.Append(d...)
		skipped = append(skipped, obj)
	}
	pl, d := types.ListValue(types.ObjectType{AttrTypes: deliveredPackageAttrTypes}, packages)
	diags.Append(d...)
	sl, d := types.ListValue(types.ObjectType{AttrTypes: skippedAppAttrTypes}, skipped)
	diags.Append(d...)
	return pl, sl
}
