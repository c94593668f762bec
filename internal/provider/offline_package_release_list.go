package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ list.ListResource              = (*releaseListResource)(nil)
	_ list.ListResourceWithConfigure = (*releaseListResource)(nil)
)

// NewOfflinePackageReleaseListResource is the constructor of the
// mpaas_offline_package_release list resource (list blocks of terraform
// query, Terraform 1.14 and later).
func NewOfflinePackageReleaseListResource() list.ListResource { return &releaseListResource{} }

type releaseListResource struct {
	listResourceData
}

type releaseListConfig struct {
	H5AppID  types.String `tfsdk:"h5app_id"`
	Statuses types.List   `tfsdk:"statuses"`
}

func (r *releaseListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package_release"
}

func (r *releaseListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the release tasks of the provider's workspace, by H5App ID, then package version, then " +
			"task ID, for `terraform query` (Terraform 1.14 and later). Without a `config` block every task of every package of " +
			"every H5App is listed, ended ones included. Each result is named `<H5App name> (<h5app_id>) version <version>: " +
			"<type> release <task id>, <status>` and carries the identity `{ task_id }` that an import block needs; with " +
			"`include_resource = true` (implied by `-generate-config-out`) it also carries the `mpaas_offline_package_release` " +
			"object an import reads (one task detail call per result, for the rules), with `package_id` set to the released " +
			"package's ID. Listing costs one task list call per package of the H5Apps read. `limit` (default 100) caps the " +
			"results; when more tasks match, the query warns, and H5Apps past the one that reached the limit are not read.",
		Attributes: map[string]schema.Attribute{
			"h5app_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "List only the tasks of this H5App's packages (8 digits). An H5App that does not exist is an error.",
				Validators:          []validator.String{validators.H5AppID()},
			},
			"statuses": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "List only the tasks in one of these statuses: `active`, `paused`, `ended`. " +
					"`[\"active\", \"paused\"]` adopts what still delivers or may deliver again.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(enumNames(mpaas.ReleaseStatuses)...)),
				},
			},
		},
	}
}

func (r *releaseListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	config := getListConfig[releaseListConfig](ctx, req, &diags)
	var statuses []string
	if !config.Statuses.IsNull() && !config.Statuses.IsUnknown() {
		diags.Append(config.Statuses.ElementsAs(ctx, &statuses, false)...)
	}
	if diags.HasError() || !requireClient(r.data, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	apps, ok := listedApps(ctx, r.data, config.H5AppID, "release tasks", "tasks", &diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	collector := releaseCollector{data: r.data, limit: req.Limit, statuses: statuses}
	found, cut, err := collector.collect(ctx, apps)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{err})
		return
	}
	// A task that is gone by the time its detail is read is left out.
	stream.Results = listResults(cut, len(found), func(i int) (list.ListResult, bool) {
		return releaseResult(ctx, r.data, req, &found[i])
	})
}

// foundRelease is a listed task with the package and H5App it releases.
type foundRelease struct {
	app     *mpaas.App
	pkg     *mpaas.Package
	release mpaas.Release
}

// releaseCollector gathers the tasks that pass the status filter, H5App by
// H5App and package by package, until it holds more than limit of them.
type releaseCollector struct {
	data     *providerData
	limit    int64
	statuses []string
}

// collect returns at most limit tasks and, when more match, what the limit
// left out (nil otherwise). Reading stops with the package that passed the
// limit: the tasks it holds beyond are counted, later packages are not read.
func (c releaseCollector) collect(ctx context.Context, apps []mpaas.App) ([]foundRelease, *cutShort, diag.Diagnostic) {
	var found []foundRelease
	left := 0
	for i := range apps {
		packages, err := c.data.client.ListPackages(ctx, apps[i].H5AppID)
		if err != nil {
			return nil, nil, diag.NewErrorDiagnostic("Cannot list the packages of H5App "+apps[i].H5AppID, apiErrorDetail(err))
		}
		sortByVersion(packages)
		for j := range packages {
			tasks, err := c.data.client.ListReleases(ctx, packages[j].ID)
			if err != nil {
				return nil, nil, diag.NewErrorDiagnostic(fmt.Sprintf("Cannot list the release tasks of package %d (H5App %s version %s)",
					packages[j].ID, apps[i].H5AppID, packages[j].Version), apiErrorDetail(err))
			}
			sort.Slice(tasks, func(a, b int) bool { return tasks[a].ID < tasks[b].ID })
			for _, task := range tasks {
				switch {
				case !c.wants(task.Status):
				case int64(len(found)) < c.limit:
					found = append(found, foundRelease{app: &apps[i], pkg: &packages[j], release: task})
				default:
					left++
				}
			}
			if left > 0 {
				return found, c.cutShort(left, i < len(apps)-1 || j < len(packages)-1), nil
			}
		}
	}
	return found, nil, nil
}

func (c releaseCollector) wants(status mpaas.ReleaseStatus) bool {
	return len(c.statuses) == 0 || slices.Contains(c.statuses, string(status))
}

func (c releaseCollector) cutShort(left int, unread bool) *cutShort {
	return &cutShort{what: "release tasks", order: "by H5App ID, package version and task ID", limit: c.limit, left: left,
		atLeast: unread, hint: "narrow the config block with h5app_id or statuses"}
}

// releaseResult describes one task: its identity and, when asked for, the
// object Read produces for it after an import by task ID.
func releaseResult(ctx context.Context, data *providerData, req list.ListRequest, f *foundRelease) (list.ListResult, bool) {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s) version %s: %s release %d, %s",
		f.app.Name, f.app.H5AppID, f.pkg.Version, f.release.Type, f.release.ID, f.release.Status)
	taskID := types.StringValue(formatID(f.release.ID))
	result.Diagnostics.Append(setReleaseIdentity(ctx, result.Identity, taskID)...)
	if !req.IncludeResource || result.Diagnostics.HasError() {
		return result, false
	}
	detail, err := data.client.GetRelease(ctx, f.release.ID)
	switch {
	case err != nil:
		result.Diagnostics.AddError("Cannot read release task "+taskID.ValueString(), apiErrorDetail(err))
		return result, false
	case detail == nil:
		return result, true
	}
	model := importedRelease(taskID)
	result.Diagnostics.Append(applyRelease(ctx, &model, detail)...)
	model.H5AppID = types.StringValue(f.app.H5AppID)
	model.Version = types.StringValue(f.pkg.Version)
	if !result.Diagnostics.HasError() {
		result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
	}
	return result, false
}

// importedRelease is the model ImportState leaves: the task ID, every other
// attribute null.
func importedRelease(taskID types.String) releaseModel {
	return releaseModel{
		ID: taskID, PackageID: types.StringNull(), Memo: types.StringNull(), Type: types.StringNull(),
		WhitelistIDs: types.ListNull(types.StringType), TimeWindow: types.ObjectNull(timeWindowAttrTypes),
		Rules:  types.ListNull(types.ObjectType{AttrTypes: ruleAttrTypes}),
		Status: types.StringNull(), H5AppID: types.StringNull(), Version: types.StringNull(), CreatedAt: types.StringNull(),
		Timeouts: nullReleaseTimeouts(),
	}
}
