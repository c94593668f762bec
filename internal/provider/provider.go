// Package provider implements the mpaas Terraform provider on
// terraform-plugin-framework: schema, plan-time validation, CRUD and import.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

const defaultRegion = "cn-hangzhou"
const defaultMaxRetries = 5

// maxMaxRetries bounds max_retries: with backoff capped at about 20 s, 20
// retries already wait several minutes for one call.
const maxMaxRetries = 20

// serviceTimeZoneDescription documents service_time_zone: the default and
// why (DESIGN.md section 6.1, GreyEndtimeData and GmtCreate).
const serviceTimeZoneDescription = "Time zone in which mPaaS reads and writes its times that carry no zone: the end of a " +
	"time-window release (`time_window.end_time`, sent as `GreyEndtimeData`) and the creation times of packages and " +
	"releases (`created_at`, read from `GmtCreate`). An IANA time zone name such as `Asia/Shanghai` or `UTC`. Default `" +
	mpaas.DefaultServiceTimeZone + "`: the API does not state the zone, and the service runs in mainland China, where its " +
	"console and sibling APIs show these times in China Standard Time. Terraform values stay RFC 3339 in UTC whatever " +
	"the setting; a wrong zone moves a time window's real end, and `created_at`, by the difference between the zones " +
	"(8 hours between `Asia/Shanghai` and `UTC`)."

var (
	_ provider.Provider                  = (*mpaasProvider)(nil)
	_ provider.ProviderWithFunctions     = (*mpaasProvider)(nil)
	_ provider.ProviderWithListResources = (*mpaasProvider)(nil)
)

// New returns a constructor for the provider at the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &mpaasProvider{version: version}
	}
}

type mpaasProvider struct {
	version string
}

type providerModel struct {
	Endpoint         types.String `tfsdk:"endpoint"`
	Region           types.String `tfsdk:"region"`
	AccessKey        types.String `tfsdk:"access_key"`
	SecretKey        types.String `tfsdk:"secret_key"`
	SecurityToken    types.String `tfsdk:"security_token"`
	AppID            types.String `tfsdk:"app_id"`
	WorkspaceID      types.String `tfsdk:"workspace_id"`
	TenantID         types.String `tfsdk:"tenant_id"`
	SignatureVersion types.String `tfsdk:"signature_version"`
	MaxRetries       types.Int64  `tfsdk:"max_retries"`
	ServiceTimeZone  types.String `tfsdk:"service_time_zone"`
}

// providerSetting is one string argument with its environment fallbacks, in
// precedence order.
type providerSetting struct {
	attribute string
	envVars   []string
	required  bool
	value     func(*providerModel) types.String
}

var providerSettings = []providerSetting{
	{"endpoint", []string{"MPAAS_ENDPOINT"}, false, func(m *providerModel) types.String { return m.Endpoint }},
	{"region", []string{"ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"}, false, func(m *providerModel) types.String { return m.Region }},
	{"access_key", []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}, true, func(m *providerModel) types.String { return m.AccessKey }},
	{"secret_key", []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}, true, func(m *providerModel) types.String { return m.SecretKey }},
	{"security_token", []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}, false, func(m *providerModel) types.String { return m.SecurityToken }},
	{"app_id", []string{"MPAAS_APP_ID"}, true, func(m *providerModel) types.String { return m.AppID }},
	{"workspace_id", []string{"MPAAS_WORKSPACE_ID"}, true, func(m *providerModel) types.String { return m.WorkspaceID }},
	{"tenant_id", []string{"MPAAS_TENANT_ID"}, true, func(m *providerModel) types.String { return m.TenantID }},
	{"service_time_zone", []string{"MPAAS_SERVICE_TIME_ZONE"}, false, func(m *providerModel) types.String { return m.ServiceTimeZone }},
}

func (p *mpaasProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "mpaas"
	resp.Version = p.version
}

func envNote(envVars []string) string {
	if len(envVars) == 0 {
		return ""
	}
	quoted := make([]string, len(envVars))
	for i, name := range envVars {
		quoted[i] = "`" + name + "`"
	}
	return " Falls back to the environment variable(s) " + strings.Join(quoted, ", then ") + "."
}

func (p *mpaasProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	envOf := func(attribute string) string {
		for _, setting := range providerSettings {
			if setting.attribute == attribute {
				return envNote(setting.envVars)
			}
		}
		return ""
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The mpaas provider manages Alibaba Cloud mPaaS (Mobile Delivery Service) HTML5 offline packages: " +
			"H5Apps, offline package versions, the workspace's virtual domain and releases to clients.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Base URL of the mPaaS OpenAPI. Defaults to `" + mpaas.DefaultEndpoint + "`. " +
					"`http://` is accepted only for loopback hosts (the local emulator)." + envOf("endpoint"),
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Alibaba Cloud region ID, default `" + defaultRegion + "`. It only chooses the endpoint, as the " +
					"official SDK does: the 54 regions of its endpoint map (among them `cn-hangzhou`, `cn-shanghai`, `cn-beijing`, " +
					"`cn-shenzhen`, `cn-qingdao`, `cn-zhangjiakou`, `cn-huhehaote`, `cn-chengdu`, `cn-wuhan`, `cn-hongkong`, " +
					"`cn-fujian`, `ap-southeast-1`, `eu-central-1`, `us-east-1` and the finance and gov regions such as " +
					"`cn-shanghai-finance-1` and `cn-north-2-gov-1`) are served by `mpaas.aliyuncs.com`; any other region ID by " +
					"`mpaas.<region>.aliyuncs.com`. `endpoint`, when set, wins over it." + envOf("region"),
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "AccessKey ID. Required, here or in the environment." + envOf("access_key"),
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "AccessKey secret. Required, here or in the environment. Never logged." + envOf("secret_key"),
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "STS security token, for temporary credentials. Never logged." + envOf("security_token"),
			},
			"app_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "mPaaS app ID (console: Code configuration), such as `ONEX570DA89211721`. Required." + envOf("app_id"),
			},
			"workspace_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "mPaaS workspace ID, such as `default`. Required." + envOf("workspace_id"),
			},
			"tenant_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "mPaaS tenant ID. Required." + envOf("tenant_id"),
			},
			"signature_version": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Request signature: `v3` (default, ACS3-HMAC-SHA256) or `v1` (RPC HMAC-SHA1, " +
					"what the official SDKs call `v2`).",
				Validators: []validator.String{stringvalidator.OneOf("v3", "v1")},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many times a throttled or unavailable request is retried, with "+
					"exponential backoff and jitter: a whole number from 0 to %d. Default %d; `0` disables retries.", maxMaxRetries, defaultMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"service_time_zone": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: serviceTimeZoneDescription + envOf("service_time_zone"),
				Validators:          []validator.String{validators.ServiceTimeZone()},
			},
		},
	}
}

func (p *mpaasProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || deferUnknownConfig(ctx, req, &config, resp) {
		return
	}

	values := map[string]string{}
	for _, setting := range providerSettings {
		configured := setting.value(&config)
		if configured.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(setting.attribute), "Unknown provider argument",
				"The value of "+setting.attribute+" depends on a resource that is not created yet, so the provider cannot be configured. "+
					"Set it from a value known at plan time, or from the environment."+envNote(setting.envVars))
			continue
		}
		value := resolveSetting(configured, setting.envVars)
		if setting.required && value == "" {
			resp.Diagnostics.AddAttributeError(path.Root(setting.attribute), "Missing "+setting.attribute,
				"The provider needs "+setting.attribute+". Set it in the provider block or in the environment."+envNote(setting.envVars))
		}
		values[setting.attribute] = value
	}
	if resp.Diagnostics.HasError() {
		return
	}

	region := values["region"]
	if region == "" {
		region = defaultRegion
	}
	endpoint := values["endpoint"]
	if endpoint == "" {
		var err error
		if endpoint, err = mpaas.EndpointForRegion(region); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid region", err.Error()+"; or set endpoint to the URL of the API.")
			return
		}
	}
	parsed, err := mpaas.ParseEndpoint(endpoint)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid endpoint", err.Error()+".")
		return
	}
	endpoint = parsed.String()
	maxRetries := defaultMaxRetries
	if isKnown(config.MaxRetries) {
		maxRetries = int(config.MaxRetries.ValueInt64()) // 0..maxMaxRetries, checked by the schema
	}
	signatureVersion := config.SignatureVersion.ValueString()
	if signatureVersion == "" {
		signatureVersion = "v3"
	}
	zone, err := mpaas.LoadServiceTimeZone(values["service_time_zone"])
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("service_time_zone"), "Invalid service_time_zone", err.Error()+"."+envNote([]string{"MPAAS_SERVICE_TIME_ZONE"}))
		return
	}

	client, err := mpaas.New(mpaas.Config{
		Endpoint:         endpoint,
		AccessKeyID:      values["access_key"],
		AccessKeySecret:  values["secret_key"],
		SecurityToken:    values["security_token"],
		AppID:            values["app_id"],
		WorkspaceID:      values["workspace_id"],
		TenantID:         values["tenant_id"],
		SignatureVersion: signatureVersion,
		MaxRetries:       maxRetries,
		UserAgent:        "terraform-provider-mpaas/" + p.version,
		Logger:           tflogAdapter{},
		ServiceTimeZone:  zone,
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the mPaaS client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured mPaaS client", map[string]any{
		"endpoint": endpoint, "region": region, "app_id": values["app_id"],
		"workspace_id": values["workspace_id"], "signature_version": signatureVersion,
		"service_time_zone": zone.String(),
	})
	data := newProviderData(client)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// resolveSetting returns the configured value, else the first non-empty
// environment variable.
func resolveSetting(configured types.String, envVars []string) string {
	if !configured.IsNull() && configured.ValueString() != "" {
		return configured.ValueString()
	}
	for _, name := range envVars {
		if value := os.Getenv(name); value != "" {
			return value
		}
	}
	return ""
}

func (p *mpaasProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewH5AppResource,
		NewVirtualDomainResource,
		NewOfflinePackageResource,
		NewOfflinePackageReleaseResource,
		NewSigningKeyResource,
		NewWhitelistResource,
	}
}

func (p *mpaasProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewOfflinePackageBatchDataSource,
		NewH5AppsDataSource,
		NewOfflinePackagesDataSource,
		NewDeliveryPreviewDataSource,
		NewReleaseStatusDataSource,
		NewWhitelistsDataSource,
	}
}

// ListResources are the list blocks of terraform query (Terraform 1.14 and
// later); older Terraform and OpenTofu ignore them.
func (p *mpaasProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewH5AppListResource,
		NewOfflinePackageListResource,
		NewOfflinePackageReleaseListResource,
	}
}

func (p *mpaasProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewNextVersionFunction,
		NewCompareVersionsFunction,
		NewValidH5AppIDFunction,
	}
}

// tflogAdapter lets the Terraform-free client log through tflog.
type tflogAdapter struct{}

func (tflogAdapter) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
