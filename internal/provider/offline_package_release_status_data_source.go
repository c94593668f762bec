package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

var (
	_ datasource.DataSourceWithConfigure      = (*releaseStatusDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*releaseStatusDataSource)(nil)
)

// NewReleaseStatusDataSource is the constructor of data "mpaas_offline_package_release_status".
func NewReleaseStatusDataSource() datasource.DataSource { return &releaseStatusDataSource{} }

type releaseStatusDataSource struct {
	dataSourceData
}

type releaseStatusModel struct {
	ReleaseID        types.String `tfsdk:"release_id"`
	PackageID        types.String `tfsdk:"package_id"`
	Type             types.String `tfsdk:"type"`
	Version          types.String `tfsdk:"version"`
	Status           types.String `tfsdk:"status"`
	UpgradeProgress  types.String `tfsdk:"upgrade_progress"`
	UpgradeNoticeNum types.Int64  `tfsdk:"upgrade_notice_num"`
	Percent          types.Int64  `tfsdk:"percent"`
	GreyNum          types.Int64  `tfsdk:"grey_num"`
	SyncResult       types.String `tfsdk:"sync_result"`
	ModifiedAt       types.String `tfsdk:"modified_at"`
}

func (d *releaseStatusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package_release_status"
}

// unconfirmed ends the description of every progress attribute.
const unconfirmed = " Its meaning for offline packages is not documented: this reading of its name is unconfirmed. " +
	"Compare it with the console's release page before relying on it."

func (d *releaseStatusDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedString := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	computedInt := func(description string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the status and the rollout progress of one release task, for example to hold the " +
			"promotion of a grayscale release to official until enough clients received it (guide *Compose a release " +
			"stack*). Give `release_id` (read by the task's ID, `GetMcubeNebulaTaskDetail`) or `package_id` (the package's " +
			"most recent task, of `type` when set: the task created last, by `ListMcubeNebulaTasks`). The progress " +
			"attributes are passed on as the API answers them; their meaning is not documented.",
		Attributes: map[string]schema.Attribute{
			"release_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The release task (`mpaas_offline_package_release.id`). With `package_id` instead, the " +
					"task found; null when the package has no such task.",
			},
			"package_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Read the most recent release task of this package (`mpaas_offline_package.id`) " +
					"instead of a given `release_id`. A package without such a task is not an error: `release_id` and " +
					"what it would read are then null.",
			},
			"type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "`grayscale` or `official`. With `package_id`, only tasks of this type are " +
					"considered; otherwise the type of the task read.",
				Validators: []validator.String{stringvalidator.OneOf(enumNames(mpaas.ReleaseTypes)...)},
			},
			"version":  computedString("The version of the released package."),
			"status":   computedString("`active`, `paused` or `ended`."),
			"grey_num": computedInt("`GreyNum` as answered: for a time-window grayscale, the number of users it was created for." + unconfirmed),
			"upgrade_progress": computedString("`UpgradeProgress` as answered, text (the emulator answers " +
				"`<notified>/<audience>`)." + unconfirmed),
			"upgrade_notice_num": computedInt("`UpgradeNoticeNum` as answered: by its name, how many clients were " +
				"notified of the new version." + unconfirmed),
			"percent": computedInt("`Percent` as answered: by its name, the share (0-100) of the release's audience " +
				"reached." + unconfirmed),
			"sync_result": computedString("`SyncResult` as answered: by its name, the outcome of distributing the task." + unconfirmed),
			"modified_at": computedString("When the task last changed (`GmtModified`), RFC 3339 in UTC, or the " +
				"service's text when it has another format."),
		},
	}
}

func (d *releaseStatusDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	if config, ok := getConfig[releaseStatusModel](ctx, req.Config, &resp.Diagnostics); ok {
		checkReleaseStatusArguments(&config, &resp.Diagnostics)
	}
}

// checkReleaseStatusArguments requires exactly one of release_id and
// package_id, and type only beside package_id. Unknown values pass.
func checkReleaseStatusArguments(m *releaseStatusModel, diags *diag.Diagnostics) {
	if m.ReleaseID.IsUnknown() || m.PackageID.IsUnknown() {
		return
	}
	switch {
	case m.ReleaseID.IsNull() && m.PackageID.IsNull():
		diags.AddAttributeError(path.Root("release_id"), "Which release task?",
			"Set release_id to read one release task, or package_id to read the most recent task of a package.")
	case !m.ReleaseID.IsNull() && !m.PackageID.IsNull():
		diags.AddAttributeError(path.Root("package_id"), "Both release_id and package_id are set",
			"Set only one: release_id reads that task, package_id the most recent task of the package.")
	case !m.ReleaseID.IsNull() && !m.Type.IsNull():
		diags.AddAttributeError(path.Root("type"), "type only selects among a package's tasks",
			"type applies with package_id; with release_id the task's own type is read. Remove type, or use package_id.")
	}
}

func (d *releaseStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, _ := getConfig[releaseStatusModel](ctx, req.Config, &resp.Diagnostics)
	checkReleaseStatusArguments(&config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !requireClient(d.data, &resp.Diagnostics) {
		return
	}
	var release *mpaas.Release
	var err error
	if !config.ReleaseID.IsNull() {
		release, err = d.byID(ctx, config.ReleaseID.ValueString())
	} else {
		release, err = d.latestOf(ctx, config.PackageID.ValueString(), mpaas.ReleaseType(config.Type.ValueString()))
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the release status", apiErrorDetail(err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, releaseStatusOf(&config, release))...)
}

// byID reads a task by its ID; a task that does not exist is an error.
func (d *releaseStatusDataSource) byID(ctx context.Context, text string) (*mpaas.Release, error) {
	id, err := parseID("release_id", text)
	if err != nil {
		return nil, err
	}
	release, err := d.data.client.GetRelease(ctx, id)
	if err == nil && release == nil {
		err = fmt.Errorf("no release task with ID %d exists in this workspace", id)
	}
	return release, err
}

// latestOf returns the most recent task of the package (of type, when not
// ""), or nil when it has none.
func (d *releaseStatusDataSource) latestOf(ctx context.Context, text string, kind mpaas.ReleaseType) (*mpaas.Release, error) {
	packageID, err := parseID("package_id", text)
	if err != nil {
		return nil, err
	}
	releases, err := d.data.client.ListReleases(ctx, packageID)
	if err != nil {
		return nil, err
	}
	var latest *mpaas.Release
	for i := range releases {
		r := &releases[i]
		if (kind == "" || r.Type == kind) && (latest == nil || createdAfter(r, latest)) {
			latest = r
		}
	}
	return latest, nil
}

// createdAfter orders tasks by creation time, then by ID: tasks created in
// the same second keep the order of their IDs, which the service assigns
// increasing (as far as its answers show; nothing documents it).
func createdAfter(a, b *mpaas.Release) bool {
	at, aErr := parseTime(a.CreatedAt)
	bt, bErr := parseTime(b.CreatedAt)
	if aErr == nil && bErr == nil && !at.Equal(bt) {
		return at.After(bt)
	}
	return a.ID > b.ID
}

// releaseStatusOf is the data source's state: the configuration with what
// the task reports, or nulls when no task was found.
func releaseStatusOf(config *releaseStatusModel, r *mpaas.Release) *releaseStatusModel {
	out := &releaseStatusModel{
		ReleaseID: config.ReleaseID, PackageID: config.PackageID, Type: config.Type,
		Version: types.StringNull(), Status: types.StringNull(), UpgradeProgress: types.StringNull(),
		UpgradeNoticeNum: types.Int64Null(), Percent: types.Int64Null(), GreyNum: types.Int64Null(),
		SyncResult: types.StringNull(), ModifiedAt: types.StringNull(),
	}
	if r == nil {
		return out
	}
	p := r.Progress
	out.ReleaseID = types.StringValue(formatID(r.ID))
	out.PackageID = types.StringValue(formatID(r.PackageID))
	out.Type = nullIfEmpty(string(r.Type))
	out.Version = nullIfEmpty(r.Version)
	out.Status = nullIfEmpty(string(r.Status))
	out.UpgradeProgress = types.StringValue(p.UpgradeProgress)
	out.UpgradeNoticeNum = types.Int64Value(p.UpgradeNoticeNum)
	out.Percent = types.Int64Value(int64(p.Percent))
	out.GreyNum = types.Int64Value(int64(p.GreyNum))
	out.SyncResult = types.StringValue(p.SyncResult)
	out.ModifiedAt = nullIfEmpty(p.ModifiedAt)
	return out
}
