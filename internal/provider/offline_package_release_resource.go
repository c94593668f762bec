package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/planmodifiers"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ resource.Resource                   = (*releaseResource)(nil)
	_ resource.ResourceWithConfigure      = (*releaseResource)(nil)
	_ resource.ResourceWithImportState    = (*releaseResource)(nil)
	_ resource.ResourceWithValidateConfig = (*releaseResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*releaseResource)(nil)
)

const (
	maxReleaseMemoLength = 200
	maxGreyWindow        = 7 * 24 * time.Hour
	maxGreyUsers         = 1<<31 - 1
	maxRuleValueLength   = 128
	// windowSlack is how far a task's end_time may be from created_at +
	// duration for a configured duration to describe it (after an import):
	// the provider computes the end before mPaaS stamps GmtCreate.
	windowSlack = time.Minute
)

// exampleDuration and exampleEndTime are the valid values the messages show.
const (
	exampleDuration = "72h"
	exampleEndTime  = "2030-01-02T15:04:05Z"
)

var digitsPattern = regexp.MustCompile(`^[0-9]+$`)

var releaseObjectAs = basetypes.ObjectAsOptions{}

// NewOfflinePackageReleaseResource is the constructor of mpaas_offline_package_release.
func NewOfflinePackageReleaseResource() resource.Resource { return &releaseResource{} }

type releaseResource struct {
	data *providerData
	now  func() time.Time
}

func (r *releaseResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package_release"
	// A re-release (Update) creates a new task: the identity is the task's.
	resp.ResourceBehavior.MutableIdentity = true
}

// listItemText is what each whitelist id and rule value must be: printable,
// short and without commas (the wire format joins them with commas).
func listItemText() []validator.String {
	return []validator.String{
		validators.PrintableText(maxRuleValueLength),
		stringvalidator.RegexMatches(regexp.MustCompile(`^[^,]*$`), "must not contain commas (each item is one value)"),
	}
}

func (r *releaseResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A release task that delivers one offline package version to clients (console: Offline package " +
			"management, Release): a `grayscale` release to a whitelist or for a time window, optionally narrowed by rules, or an " +
			"`official` release to every targeted client. A task cannot be edited, so a change of any argument but `status` " +
			"(another package version, `grayscale` to `official`, another audience or memo) re-releases in place: the apply " +
			"creates the new task first and ends the old one after, and `id` becomes the new task's. Clients always have a " +
			"release: when the new package or task cannot be created, the old task keeps delivering. `status` pauses, resumes or " +
			"ends the task in place; `ended` is final. Destroy ends the task. The wire codes behind `type`, `status` and `rules` " +
			"are inferred from sibling mPaaS APIs, not documented for offline packages.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The release task's numeric ID (`NebulaTaskId`). A re-release (see above) changes it.",
				PlanModifiers:       keep,
			},
			"package_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The package to release: the `id` of an `mpaas_offline_package` (its numeric `NebulaResourceId`).",
				Validators:          []validator.String{stringvalidator.RegexMatches(digitsPattern, "must be a numeric package id such as mpaas_offline_package.x.id")},
			},
			"memo": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: fmt.Sprintf("Release description shown in the console, 1 to %d printable characters.", maxReleaseMemoLength),
				Validators:          []validator.String{validators.PrintableText(maxReleaseMemoLength)},
			},
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`grayscale` (to a whitelist or for a time window; exactly one of `whitelist_ids` and " +
					"`time_window`, plus optional `rules`) or `official` (to every client the package targets; none of " +
					"`whitelist_ids`, `time_window` and `rules`). An official release of a version lower than the H5App's " +
					"highest gets a plan warning.",
				Validators: []validator.String{stringvalidator.OneOf(enumNames(mpaas.ReleaseTypes)...)},
			},
			"whitelist_ids": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Grayscale to whitelists: their numeric IDs, such as `[mpaas_whitelist.testers.id]` " +
					"(or the ID of a whitelist made in the console, Whitelist management); their members receive the package. " +
					"At least one, without commas. A whitelist above 100,000 users is cut to its first 100,000.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(listItemText()...),
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(regexp.MustCompile(`^[0-9]+$`),
						"must be a whitelist's numeric ID, such as mpaas_whitelist.testers.id or the ID the console's Whitelist management shows")),
				},
			},
			"time_window": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Grayscale for a time window: clients that check for updates before `end_time` receive " +
					"the package, up to `max_users` of them. Set exactly one of `duration` (usually) and `end_time`.",
				Attributes: map[string]schema.Attribute{
					"duration": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "How long the window lasts from the task's creation: a duration such as `72h` or " +
							"`90m`, above 0 and below `168h` (7 days). The provider sends the time of the release plus " +
							"`duration` (rounded up to the second) as the end; `end_time` then holds the end mPaaS stores and " +
							"stays the same at every later plan. Changing `duration` re-releases. After an import " +
							"`duration` is null; configuring it records it in place when the task's window already lasts that " +
							"long (`end_time` within a minute of `created_at` + `duration`) and re-releases otherwise.",
						// A re-release is decided in ModifyPlan, which also plans end_time.
					},
					"end_time": schema.StringAttribute{
						Optional: true,
						Computed: true,
						MarkdownDescription: "End of the window, RFC 3339 such as `2030-01-02T15:04:05Z`. Configured: when the " +
							"task is created it must be in the future and less than 7 days ahead (checked at plan time against " +
							"the current clock; an existing task is not checked again), and changing it re-releases. " +
							"With `duration`: computed when the task is created, read back from mPaaS. Sent to mPaaS to the " +
							"second, in the provider's `service_time_zone`.",
					},
					"max_users": schema.Int64Attribute{
						Required:            true,
						MarkdownDescription: "How many users at most receive the package during the window (`GreyNum`), at least 1.",
						Validators:          []validator.Int64{int64validator.Between(1, maxGreyUsers)},
					},
				},
			},
			"rules": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "Grayscale only: advanced rules, all of which a client must match. `element` is `city`, " +
					"`device_model`, `network` or `os_version`; `operator` is `contains` or `excludes` (one or more " +
					"`values`) or, for `os_version` only, `in_range` or `out_of_range` (exactly two `values`, the lowest " +
					"and highest OS version, such as `[\"10.0\", \"14.2\"]`).",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"element": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "What the rule looks at: `city`, `device_model`, `network` or `os_version`.",
							Validators:          []validator.String{stringvalidator.OneOf(mpaas.RuleElementNames...)},
						},
						"operator": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "`contains`, `excludes`, `in_range` or `out_of_range` (the last two for `os_version` only).",
							Validators:          []validator.String{stringvalidator.OneOf(mpaas.RuleOperatorNames...)},
						},
						"values": schema.ListAttribute{
							ElementType:         types.StringType,
							Required:            true,
							MarkdownDescription: "The values to match, without commas; for a range, exactly `[lo, hi]` with `lo <= hi`.",
							Validators: []validator.List{
								listvalidator.SizeAtLeast(1),
								listvalidator.ValueStringsAre(listItemText()...),
							},
						},
					},
				},
				Validators: []validator.List{listvalidator.SizeAtLeast(1)},
			},
			"status": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(string(mpaas.ReleaseStatusActive)),
				MarkdownDescription: "`active` (default, releasing), `paused` or `ended`. Changed in place. `ended` is final: " +
					"changing an ended task back is a plan error; release the package again with a new resource.",
				Validators: []validator.String{stringvalidator.OneOf(enumNames(mpaas.ReleaseStatuses)...)},
			},
			"h5app_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The H5App of the released package.",
				PlanModifiers:       keep,
			},
			"version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The version of the released package.",
				PlanModifiers:       keep,
			},
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When mPaaS created the task, RFC 3339 in UTC (read in the provider's `service_time_zone`).",
				PlanModifiers:       keep,
			},
			"timeouts": timeoutsSchema(ctx, "10m", "10m", "creating the task (also when a change re-releases)"),
		},
	}
}

func (r *releaseResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *releaseResource) clock() time.Time {
	if r.now != nil {
		return r.now()
	}
	return time.Now()
}

func (r *releaseResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan releaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultReleaseCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	if r.createTask(ctx, &plan, &resp.Diagnostics) {
		resp.Diagnostics.Append(setReleaseIdentity(ctx, resp.Identity, plan.ID)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// createTask creates the task the plan describes and fills plan with it;
// created is true once the task exists (even if what follows failed: the
// task must then be saved, so that it is tracked).
func (r *releaseResource) createTask(ctx context.Context, plan *releaseModel, diags *diag.Diagnostics) (ok bool) {
	// Values unknown at plan are known now.
	checkReleaseShape(plan, diags)
	checkRules(ctx, plan.Rules, diags)
	r.checkTimeWindow(ctx, plan, diags)
	if diags.HasError() {
		return false
	}
	pkg, err := r.getPackage(ctx, plan.PackageID.ValueString())
	if err == nil && pkg == nil {
		err = fmt.Errorf("no offline package with ID %s exists in this workspace", plan.PackageID.ValueString())
	}
	if err != nil {
		diags.AddAttributeError(path.Root("package_id"), "Cannot look up package "+plan.PackageID.ValueString(), apiErrorDetail(err))
		return false
	}
	input, inputDiags := releaseInput(ctx, plan, pkg.ID, r.clock())
	diags.Append(inputDiags...)
	if diags.HasError() {
		return false
	}
	release, err := r.data.client.CreateRelease(ctx, input)
	if err != nil {
		diags.AddError("Cannot release package "+plan.PackageID.ValueString(), apiErrorDetail(err))
		return false
	}
	taskID := formatID(release.ID)
	plan.ID = types.StringValue(taskID)
	recordSentEnd(ctx, plan, input, diags)
	plan.H5AppID = types.StringValue(pkg.H5AppID)
	plan.Version = types.StringValue(pkg.Version)
	plan.CreatedAt = types.StringNull()
	created := &release // CreateRelease read it back
	if want := mpaas.ReleaseStatus(plan.Status.ValueString()); want != mpaas.ReleaseStatusActive {
		if err := r.data.client.ChangeReleaseStatus(ctx, release.ID, pkg.ID, want); err != nil {
			diags.AddAttributeError(path.Root("status"), "Release task "+taskID+" was created but its status could not be set to "+string(want), apiErrorDetail(err))
		}
		if created, err = r.data.client.GetRelease(ctx, release.ID); err != nil || created == nil {
			if err == nil {
				err = fmt.Errorf("release task %s is missing right after its creation", taskID)
			}
			diags.AddError("Cannot read release task "+taskID, apiErrorDetail(err))
			return true
		}
	}
	diags.Append(applyRelease(ctx, plan, created)...)
	return true
}

// readTask returns the task in the state, or nil when it no longer exists.
// With the package known (always, but right after an import), the package's
// task list confirms an absence the task detail does not state clearly.
func (r *releaseResource) readTask(ctx context.Context, m *releaseModel) (*mpaas.Release, error) {
	id, err := parseID("release task id", m.ID.ValueString())
	if err != nil {
		return nil, err
	}
	packageID, err := parseID("package_id", m.PackageID.ValueString())
	if err != nil {
		return r.data.client.GetRelease(ctx, id)
	}
	return r.data.client.FindRelease(ctx, packageID, id)
}

func (r *releaseResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state releaseModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Recorded before the look-up: the framework wants an identity even when the task is gone.
	resp.Diagnostics.Append(setReleaseIdentity(ctx, resp.Identity, state.ID)...)
	release, err := r.readTask(ctx, &state)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read release task "+state.ID.ValueString(), apiErrorDetail(err))
		return
	}
	if release == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(applyRelease(ctx, &state, release)...)
	if state.H5AppID.IsNull() || state.H5AppID.IsUnknown() || state.Version.IsNull() || state.Version.IsUnknown() {
		// After an import: the task does not name its H5App.
		pkg, err := r.getPackage(ctx, state.PackageID.ValueString())
		switch {
		case err != nil:
			resp.Diagnostics.AddError("Cannot read package "+state.PackageID.ValueString()+" of release task "+state.ID.ValueString(), apiErrorDetail(err))
			return
		case pkg != nil:
			state.H5AppID = types.StringValue(pkg.H5AppID)
			state.Version = types.StringValue(pkg.Version)
		default:
			state.H5AppID = types.StringNull()
		}
	}
	resp.Diagnostics.Append(setReleaseIdentity(ctx, resp.Identity, state.ID)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update re-releases when the plan describes another task (another
// package, type, audience or memo): it creates the new task first and ends
// the old one after, so clients always have a release, even when the apply
// stops half-way. Otherwise it changes the status, and records a time
// window's duration or end_time as configured when they still describe the
// task (see ModifyPlan).
func (r *releaseResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state releaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(taskChanges(&plan, &state)) > 0 {
		timeout, diags := plan.Timeouts.Create(ctx, defaultReleaseCreateTimeout)
		resp.Diagnostics.Append(diags...)
		ctx, cancel := withTimeout(ctx, timeout)
		defer cancel()
		r.reRelease(ctx, &plan, &state, resp)
		return
	}
	want := plan.Status.ValueString()
	if planmodifiers.HoldsRawCode(state.Status, mpaas.ReleaseStatuses) {
		// A code no read could name: record the configured status, change nothing.
		state.Status = plan.Status
	}
	state.Type = plan.Type // differs only where the state held a raw code
	if want != state.Status.ValueString() {
		if err := r.changeStatus(ctx, &state, mpaas.ReleaseStatus(want)); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("status"), "Cannot change release task "+state.ID.ValueString()+" to "+want, apiErrorDetail(err))
			return
		}
	}
	release, err := r.readTask(ctx, &state)
	if err == nil && release == nil {
		err = fmt.Errorf("release task %s no longer exists", state.ID.ValueString())
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read release task "+state.ID.ValueString(), apiErrorDetail(err))
		return
	}
	state.TimeWindow = plan.TimeWindow
	resp.Diagnostics.Append(applyRelease(ctx, &state, release)...)
	resp.Diagnostics.Append(setReleaseIdentity(ctx, resp.Identity, state.ID)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// reRelease replaces the task in place: the new task first, then the old
// one ends. A failure before the new task exists leaves the old one (and
// the state) as they were.
func (r *releaseResource) reRelease(ctx context.Context, plan, state *releaseModel, resp *resource.UpdateResponse) {
	if !r.createTask(ctx, plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(setReleaseIdentity(ctx, resp.Identity, plan.ID)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	if err := r.endTask(ctx, state); err != nil {
		resp.Diagnostics.AddError("Release task "+plan.ID.ValueString()+" replaced task "+state.ID.ValueString()+", which could not be ended",
			fmt.Sprintf("The new task %s delivers version %s and is recorded in the state. The old task %s still runs: end it in the "+
				"console (Offline package management, Release), or import it into an mpaas_offline_package_release with status = "+
				"\"ended\".\n\n%s", plan.ID.ValueString(), plan.Version.ValueString(), state.ID.ValueString(), apiErrorDetail(err)))
	}
}

func (r *releaseResource) changeStatus(ctx context.Context, m *releaseModel, status mpaas.ReleaseStatus) error {
	id, err := parseID("release task id", m.ID.ValueString())
	if err != nil {
		return err
	}
	packageID, err := parseID("package_id", m.PackageID.ValueString())
	if err != nil {
		return err
	}
	return r.data.client.ChangeReleaseStatus(ctx, id, packageID, status)
}

// Delete ends the task unless it has ended already or is gone.
func (r *releaseResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state releaseModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultReleaseDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	if err := r.endTask(ctx, &state); err != nil {
		resp.Diagnostics.AddError("Cannot end release task "+state.ID.ValueString(), apiErrorDetail(err))
	}
}

// endTask ends the task unless it has ended already or is gone.
func (r *releaseResource) endTask(ctx context.Context, m *releaseModel) error {
	release, err := r.readTask(ctx, m)
	if err != nil || release == nil || release.Status == mpaas.ReleaseStatusEnded {
		return err
	}
	return r.changeStatus(ctx, m, mpaas.ReleaseStatusEnded)
}

// ImportState imports a task by its ID or by identity.
func (r *releaseResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importRelease(ctx, req, resp)
}

var _ resource.ResourceWithIdentity = (*releaseResource)(nil)

// releaseIdentityModel is the identity of a release task: its task ID, what
// an import names. The task ID alone finds the task (GetRelease).
type releaseIdentityModel struct {
	TaskID types.String `tfsdk:"task_id"`
}

func (r *releaseResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"task_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The release task's numeric ID (NebulaTaskId), such as 4294967297: the resource's id.",
			},
		},
	}
}

// setReleaseIdentity records the identity of the task whose ID is taskID.
func setReleaseIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, taskID types.String) diag.Diagnostics {
	return setIdentity(ctx, identity, releaseIdentityModel{TaskID: taskID})
}

// importRelease starts the state of an import by task ID, given as the
// import ID or as identity = { task_id = "..." }; Read fills in the rest.
func importRelease(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	taskID := req.ID
	if taskID == "" && req.Identity != nil {
		var identity releaseIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		taskID = identity.TaskID.ValueString()
	}
	if !digitsPattern.MatchString(taskID) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import a release by its numeric task ID (NebulaTaskId), "+
			"such as 4294967297, or by identity = { task_id = \"4294967297\" }; got %q.", taskID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), taskID)...)
	resp.Diagnostics.Append(setReleaseIdentity(ctx, resp.Identity, types.StringValue(taskID))...)
}
