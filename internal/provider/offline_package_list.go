package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ list.ListResource                   = (*offlinePackageListResource)(nil)
	_ list.ListResourceWithConfigure      = (*offlinePackageListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*offlinePackageListResource)(nil)
)

// NewOfflinePackageListResource is the constructor of the
// mpaas_offline_package list resource (list blocks of terraform query,
// Terraform 1.14 and later).
func NewOfflinePackageListResource() list.ListResource { return &offlinePackageListResource{} }

type offlinePackageListResource struct {
	listResourceData
}

type offlinePackageListConfig struct {
	H5AppID    types.String `tfsdk:"h5app_id"`
	MinVersion types.String `tfsdk:"min_version"`
	MaxVersion types.String `tfsdk:"max_version"`
}

func (r *offlinePackageListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package"
}

func (r *offlinePackageListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the offline package versions of the provider's workspace, by H5App ID and then by " +
			"version, for `terraform query` (Terraform 1.14 and later). Without a `config` block every version of every H5App " +
			"is listed. Each result is named `<H5App name> (<h5app_id>) version <version>` and carries the identity " +
			"`{ h5app_id, version }` that an import block needs; with `include_resource = true` (implied by " +
			"`-generate-config-out`) it also carries the `mpaas_offline_package` object, without `source`: an imported " +
			"version needs no zip. `limit` (default 100) caps the results; when more versions match, the query warns, and " +
			"H5Apps past the one that reached the limit are not read.",
		Attributes: map[string]schema.Attribute{
			"h5app_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "List only the versions of this H5App (8 digits). An H5App that does not exist is an error.",
				Validators:          []validator.String{validators.H5AppID()},
			},
			"min_version": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "List only versions at or above this one: four dot-separated numbers such as `1.0.0.0`, compared number by number.",
			},
			"max_version": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "List only versions at or below this one: four dot-separated numbers such as `1.9.9.9`, compared number by number.",
			},
		},
	}
}

func (r *offlinePackageListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	if config, ok := getConfig[offlinePackageListConfig](ctx, req.Config, &resp.Diagnostics); ok {
		config.versionRange(&resp.Diagnostics)
	}
}

// versionRange parses min_version and max_version (nil when unset or
// unknown) and reports each invalid one, and a minimum above the maximum,
// on its attribute.
func (c *offlinePackageListConfig) versionRange(diags *diag.Diagnostics) (low, high *offlinepkg.Version) {
	parse := func(attribute string, value types.String) *offlinepkg.Version {
		if value.IsNull() || value.IsUnknown() {
			return nil
		}
		version, err := offlinepkg.ParseVersion(value.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root(attribute), "Invalid "+attribute,
				fmt.Sprintf("%s: %s. Use four dot-separated numbers, such as 1.0.0.1.", attribute, err))
			return nil
		}
		return &version
	}
	low, high = parse("min_version", c.MinVersion), parse("max_version", c.MaxVersion)
	if low != nil && high != nil && low.Compare(*high) > 0 {
		diags.AddAttributeError(path.Root("max_version"), "max_version below min_version",
			fmt.Sprintf("max_version %s is lower than min_version %s, so no version could be listed. Raise max_version or lower min_version.",
				c.MaxVersion.ValueString(), c.MinVersion.ValueString()))
	}
	return low, high
}

func (r *offlinePackageListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	config := getListConfig[offlinePackageListConfig](ctx, req, &diags)
	low, high := config.versionRange(&diags)
	if diags.HasError() || !requireClient(r.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	apps, ok := listedApps(ctx, r.data, config.H5AppID, "package versions", "versions", &diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	lister := packageLister{data: r.data, req: req, low: low, high: high}
	found, cut, err := lister.collect(ctx, apps)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{err})
		return
	}
	stream.Results = listResults(cut, len(found), func(i int) (list.ListResult, bool) {
		return lister.result(ctx, found[i].app, found[i].pkg), false
	})
}

// packageLister collects the versions within [low, high] (either bound nil
// when unset), reading one H5App's packages at a time and stopping past the
// limit.
type packageLister struct {
	data      *providerData
	req       list.ListRequest
	low, high *offlinepkg.Version
}

// foundPackage is a listed version with its H5App.
type foundPackage struct {
	app *mpaas.App
	pkg *mpaas.Package
}

// collect returns at most limit versions in range and, when more match,
// what the limit left out. Reading stops with the H5App that passed the
// limit: its versions beyond are counted, later H5Apps are not read.
func (l packageLister) collect(ctx context.Context, apps []mpaas.App) ([]foundPackage, *cutShort, diag.Diagnostic) {
	var found []foundPackage
	left := 0
	for i := range apps {
		packages, err := l.data.client.ListPackages(ctx, apps[i].H5AppID)
		if err != nil {
			return nil, nil, diag.NewErrorDiagnostic("Cannot list the packages of H5App "+apps[i].H5AppID, apiErrorDetail(err))
		}
		sortByVersion(packages)
		for j := range packages {
			switch {
			case !l.inRange(packages[j].Version):
			case int64(len(found)) < l.req.Limit:
				found = append(found, foundPackage{app: &apps[i], pkg: &packages[j]})
			default:
				left++
			}
		}
		if left > 0 {
			return found, &cutShort{what: "package versions", order: "by H5App ID and version", limit: l.req.Limit, left: left,
				atLeast: i < len(apps)-1, hint: "narrow the config block with h5app_id, min_version or max_version"}, nil
		}
	}
	return found, nil, nil
}

// inRange reports whether version is within the configured bounds; without
// bounds every version is, even one that does not parse.
func (l packageLister) inRange(version string) bool {
	if l.low == nil && l.high == nil {
		return true
	}
	parsed, err := offlinepkg.ParseVersion(version)
	if err != nil {
		return false
	}
	return (l.low == nil || parsed.Compare(*l.low) >= 0) && (l.high == nil || parsed.Compare(*l.high) <= 0)
}

// result describes one version: its identity and, when asked for, the
// object Read produces for it after an import (no source, no digests but the
// size and MD5 mPaaS reports).
func (l packageLister) result(ctx context.Context, app *mpaas.App, pkg *mpaas.Package) list.ListResult {
	result := l.req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s) version %s", app.Name, app.H5AppID, pkg.Version)
	model := offlinePackageModel{H5AppID: types.StringValue(app.H5AppID), Version: types.StringValue(pkg.Version), Timeouts: nullTimeouts()}
	result.Diagnostics.Append(setPackageIdentity(ctx, result.Identity, &model)...)
	if !l.req.IncludeResource || result.Diagnostics.HasError() {
		return result
	}
	result.Diagnostics.Append(applyPackage(ctx, &model, pkg)...)
	if !result.Diagnostics.HasError() {
		result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
	}
	return result
}
