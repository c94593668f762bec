package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
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

type releaseModel struct {
	ID           types.String `tfsdk:"id"`
	PackageID    types.String `tfsdk:"package_id"`
	Memo         types.String `tfsdk:"memo"`
	Type         types.String `tfsdk:"type"`
	WhitelistIDs types.List   `tfsdk:"whitelist_ids"`
	TimeWindow   types.Object `tfsdk:"time_window"`
	Rules        types.List   `tfsdk:"rules"`
	Status       types.String `tfsdk:"status"`
	H5AppID      types.String `tfsdk:"h5app_id"`
	Version      types.String `tfsdk:"version"`
	CreatedAt    types.String `tfsdk:"created_at"`
}

type timeWindowModel struct {
	Duration types.String `tfsdk:"duration"`
	EndTime  types.String `tfsdk:"end_time"`
	MaxUsers types.Int64  `tfsdk:"max_users"`
}

type ruleModel struct {
	Element  types.String `tfsdk:"element"`
	Operator types.String `tfsdk:"operator"`
	Values   types.List   `tfsdk:"values"`
}

var timeWindowAttrTypes = map[string]attr.Type{
	"duration":  types.StringType,
	"end_time":  types.StringType,
	"max_users": types.Int64Type,
}

var ruleAttrTypes = map[string]attr.Type{
	"element":  types.StringType,
	"operator": types.StringType,
	"values":   types.ListType{ElemType: types.StringType},
}

func (r *releaseResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package_release"
}

// listItemText is what each whitelist id and rule value must be: printable,
// short and without commas (the wire format joins them with commas).
func listItemText() []validator.String {
	return []validator.String{
		validators.PrintableText(maxRuleValueLength),
		stringvalidator.RegexMatches(regexp.MustCompile(`^[^,]*$`), "must not contain commas (each item is one value)"),
	}
}

func (r *releaseResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replaceString := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A release task that delivers one offline package version to clients (console: Offline package " +
			"management, Release): a `grayscale` release to a whitelist or for a time window, optionally narrowed by rules, or an " +
			"`official` release to every targeted client. A task cannot be edited: every argument except `status` plans a " +
			"replacement, which ends the old task and creates a new one. `status` pauses, resumes or ends the task in place; " +
			"`ended` is final. Destroy ends the task. The wire codes behind `type`, `status` and `rules` are inferred from " +
			"sibling mPaaS APIs, not documented for offline packages.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The release task's numeric ID (`NebulaTaskId`).",
				PlanModifiers:       keep,
			},
			"package_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The package to release: the `id` of an `mpaas_offline_package` (its numeric `NebulaResourceId`).",
				Validators:          []validator.String{stringvalidator.RegexMatches(digitsPattern, "must be a numeric package id such as mpaas_offline_package.x.id")},
				PlanModifiers:       replaceString,
			},
			"memo": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: fmt.Sprintf("Release description shown in the console, 1 to %d printable characters.", maxReleaseMemoLength),
				Validators:          []validator.String{validators.PrintableText(maxReleaseMemoLength)},
				PlanModifiers:       replaceString,
			},
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`grayscale` (to a whitelist or for a time window; exactly one of `whitelist_ids` and " +
					"`time_window`, plus optional `rules`) or `official` (to every client the package targets; none of " +
					"`whitelist_ids`, `time_window` and `rules`). An official release of a version lower than the H5App's " +
					"highest gets a plan warning.",
				Validators:    []validator.String{stringvalidator.OneOf(mpaas.ReleaseTypeGrayscale, mpaas.ReleaseTypeOfficial)},
				PlanModifiers: replaceString,
			},
			"whitelist_ids": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Grayscale to a whitelist: the whitelist IDs (console: Whitelist management) whose users " +
					"receive the package. At least one, without commas. A whitelist above 100,000 users is cut to its first 100,000.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(listItemText()...),
				},
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
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
							"stays the same at every later plan. Changing `duration` replaces the task. After an import " +
							"`duration` is null; configuring it records it in place when the task's window already lasts that " +
							"long (`end_time` within a minute of `created_at` + `duration`) and replaces the task otherwise.",
						// Replacement is decided in ModifyPlan, which also plans end_time.
					},
					"end_time": schema.StringAttribute{
						Optional: true,
						Computed: true,
						MarkdownDescription: "End of the window, RFC 3339 such as `2030-01-02T15:04:05Z`. Configured: when the " +
							"task is created it must be in the future and less than 7 days ahead (checked at plan time against " +
							"the current clock; an existing task is not checked again), and changing it replaces the task. " +
							"With `duration`: computed when the task is created, read back from mPaaS. Sent to mPaaS in UTC, " +
							"to the second.",
						PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()},
					},
					"max_users": schema.Int64Attribute{
						Required:            true,
						MarkdownDescription: "How many users at most receive the package during the window (`GreyNum`), at least 1.",
						Validators:          []validator.Int64{int64validator.Between(1, maxGreyUsers)},
						PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
					},
				},
				PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplaceIf(windowAddedOrRemoved,
					"Adding or removing time_window replaces the task.", "Adding or removing `time_window` replaces the task.")},
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
				Validators:    []validator.List{listvalidator.SizeAtLeast(1)},
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
			},
			"status": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(mpaas.ReleaseStatusActive),
				MarkdownDescription: "`active` (default, releasing), `paused` or `ended`. Changed in place. `ended` is final: " +
					"changing an ended task back is a plan error; release the package again with a new resource.",
				Validators: []validator.String{stringvalidator.OneOf(mpaas.ReleaseStatusActive, mpaas.ReleaseStatusPaused, mpaas.ReleaseStatusEnded)},
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
				MarkdownDescription: "When mPaaS created the task, RFC 3339 in UTC.",
				PlanModifiers:       keep,
			},
		},
	}
}

// windowAddedOrRemoved replaces the task when time_window appears or goes;
// changes inside the window are decided per attribute and in ModifyPlan.
func windowAddedOrRemoved(_ context.Context, req planmodifier.ObjectRequest, resp *objectplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = req.StateValue.IsNull() != req.PlanValue.IsNull()
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

// ValidateConfig checks the combination of arguments and each rule.
func (r *releaseResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config releaseModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkReleaseShape(&config, &resp.Diagnostics)
	if tw, ok := windowOf(ctx, config.TimeWindow, &resp.Diagnostics); ok {
		checkWindowConfig(tw, &resp.Diagnostics)
	}
	checkRules(ctx, config.Rules, &resp.Diagnostics)
}

// windowOf returns the time window when it is set and known.
func windowOf(ctx context.Context, window types.Object, diags *diag.Diagnostics) (timeWindowModel, bool) {
	var tw timeWindowModel
	if window.IsNull() || window.IsUnknown() {
		return tw, false
	}
	d := window.As(ctx, &tw, releaseObjectAs)
	diags.Append(d...)
	return tw, !d.HasError()
}

func (tw timeWindowModel) object() (types.Object, diag.Diagnostics) {
	return types.ObjectValue(timeWindowAttrTypes, map[string]attr.Value{
		"duration": tw.Duration, "end_time": tw.EndTime, "max_users": tw.MaxUsers,
	})
}

func isKnown(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// checkWindowConfig requires exactly one of duration and end_time, each well
// formed. Each error sits on the attribute to change.
func checkWindowConfig(tw timeWindowModel, diags *diag.Diagnostics) {
	at := path.Root("time_window")
	switch {
	case !tw.Duration.IsNull() && !tw.EndTime.IsNull():
		diags.AddAttributeError(at, "Both duration and end_time set",
			fmt.Sprintf("time_window takes exactly one of duration and end_time. Keep duration = %q (the window then lasts "+
				"from the task's creation) and remove end_time, or keep end_time (a fixed end such as %q, less than 7 days "+
				"ahead when the task is created) and remove duration.", exampleDuration, exampleEndTime))
	case tw.Duration.IsNull() && tw.EndTime.IsNull():
		diags.AddAttributeError(at, "time_window needs duration or end_time",
			fmt.Sprintf("Say how long the window lasts: add duration = %q to time_window (%s; the window starts when the "+
				"task is created), or end_time = %q (RFC 3339, less than 7 days ahead when the task is created).",
				exampleDuration, durationHint, exampleEndTime))
	}
	if isKnown(tw.Duration) {
		if _, err := parseWindowDuration(tw.Duration.ValueString()); err != nil {
			diags.AddAttributeError(nestedAttributePath("time_window", "duration"), "Invalid duration", err.Error()+".")
		}
	}
	if isKnown(tw.EndTime) {
		if _, err := time.Parse(time.RFC3339, tw.EndTime.ValueString()); err != nil {
			diags.AddAttributeError(nestedAttributePath("time_window", "end_time"), "Invalid end_time",
				fmt.Sprintf("time_window.end_time %q is not an RFC 3339 time; write it like %s or 2030-01-02T23:04:05+08:00, "+
					"or set duration = %q instead of end_time for a window that starts when the task is created.",
					tw.EndTime.ValueString(), exampleEndTime, exampleDuration))
		}
	}
}

const durationHint = "a duration such as 72h or 90m, above 0 and below 168h"

// parseWindowDuration reads time_window.duration; the error says what a
// valid value looks like.
func parseWindowDuration(text string) (time.Duration, error) {
	d, err := time.ParseDuration(text)
	switch {
	case err != nil:
		return 0, fmt.Errorf("time_window.duration %q is not a duration; write %s", text, durationHint)
	case d <= 0:
		return 0, fmt.Errorf("time_window.duration %q is not above 0; write %s", text, durationHint)
	case d >= maxGreyWindow:
		return 0, fmt.Errorf("time_window.duration %q is 7 days or more, and mPaaS accepts a time-window release of less "+
			"than 7 days; write %s", text, durationHint)
	}
	return d, nil
}

// checkReleaseShape applies the type rules: official takes no audience,
// grayscale takes exactly one of whitelist_ids and time_window.
func checkReleaseShape(m *releaseModel, diags *diag.Diagnostics) {
	if m.Type.IsUnknown() || m.Type.IsNull() {
		return
	}
	set := func(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }
	switch m.Type.ValueString() {
	case mpaas.ReleaseTypeOfficial:
		for _, a := range []struct {
			name  string
			value attr.Value
		}{{"whitelist_ids", m.WhitelistIDs}, {"time_window", m.TimeWindow}, {"rules", m.Rules}} {
			if set(a.value) {
				diags.AddAttributeError(path.Root(a.name), "Not allowed in an official release",
					fmt.Sprintf("An official release reaches every client the package targets, so it takes no %s. Remove %s, "+
						"or set type = \"grayscale\" to release to a restricted audience.", a.name, a.name))
			}
		}
	case mpaas.ReleaseTypeGrayscale:
		switch {
		case set(m.WhitelistIDs) && set(m.TimeWindow):
			diags.AddAttributeError(path.Root("time_window"), "Both whitelist_ids and time_window set",
				"A grayscale release goes either to a whitelist or to the clients of a time window, not both. Remove whitelist_ids or time_window.")
		case m.WhitelistIDs.IsNull() && m.TimeWindow.IsNull():
			diags.AddAttributeError(path.Root("type"), "Grayscale release without an audience",
				"A grayscale release needs exactly one of whitelist_ids (the whitelists whose users receive the package) and "+
					"time_window = { duration = \"72h\", max_users = 1000 }. Add one of them, or set type = \"official\" to release to every client.")
		}
	}
}

// checkRules validates each rule, with the error on the exact attribute.
func checkRules(ctx context.Context, rules types.List, diags *diag.Diagnostics) {
	if rules.IsNull() || rules.IsUnknown() {
		return
	}
	var items []ruleModel
	diags.Append(rules.ElementsAs(ctx, &items, false)...)
	if diags.HasError() {
		return
	}
	for i, item := range items {
		at := path.Root("rules").AtListIndex(i)
		if item.Element.IsUnknown() || item.Operator.IsUnknown() || item.Values.IsUnknown() || item.Values.IsNull() {
			continue
		}
		element, operator := item.Element.ValueString(), item.Operator.ValueString()
		var values []types.String
		diags.Append(item.Values.ElementsAs(ctx, &values, false)...)
		isRange := operator == mpaas.RuleInRange || operator == mpaas.RuleOutOfRange
		if isRange && element != mpaas.RuleOSVersion {
			diags.AddAttributeError(at.AtName("operator"), "Range operator on "+element,
				fmt.Sprintf("%s: %s compares versions and applies only to element = \"os_version\". For %s use "+
					"operator = \"contains\" or \"excludes\" with the values to match.", at.AtName("operator"), operator, element))
			continue
		}
		if isRange && len(values) != 2 {
			diags.AddAttributeError(at.AtName("values"), "A range needs two values",
				fmt.Sprintf("%s: %s needs exactly two values, the lowest and the highest OS version, such as "+
					"values = [\"10.0\", \"14.2\"]; got %d.", at.AtName("values"), operator, len(values)))
			continue
		}
		if element != mpaas.RuleOSVersion {
			continue
		}
		parsed := make([]offlinepkg.ClientVersion, len(values))
		ok := true
		for j, v := range values {
			if v.IsUnknown() || v.IsNull() {
				ok = false
				continue
			}
			cv, err := offlinepkg.ParseClientVersion(v.ValueString())
			if err != nil {
				diags.AddAttributeError(at.AtName("values").AtListIndex(j), "Invalid OS version",
					fmt.Sprintf("%s: %v.", at.AtName("values").AtListIndex(j), err))
				ok = false
				continue
			}
			parsed[j] = cv
		}
		if ok && isRange && parsed[0].Compare(parsed[1]) > 0 {
			diags.AddAttributeError(at.AtName("values"), "Range is reversed",
				fmt.Sprintf("%s: the lowest version %s is above the highest %s. Swap them: values = [%q, %q].",
					at.AtName("values"), values[0].ValueString(), values[1].ValueString(), values[1].ValueString(), values[0].ValueString()))
		}
	}
}

// ModifyPlan applies what needs the clock or the API: the end of a window
// set by duration, the time window of a task about to be created, the
// finality of "ended", and the package lookup (h5app_id, version, and the
// official-not-highest warning).
func (r *releaseResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan releaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *releaseModel
	if !req.State.Raw.IsNull() {
		state = &releaseModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	planWindowEnd(ctx, &plan, state, resp)
	creating := state == nil || len(resp.RequiresReplace) > 0
	if state != nil && state.Status.ValueString() == mpaas.ReleaseStatusEnded && !plan.Status.IsUnknown() &&
		plan.Status.ValueString() != mpaas.ReleaseStatusEnded && !creating {
		resp.Diagnostics.AddAttributeError(path.Root("status"), "An ended release cannot be resumed",
			fmt.Sprintf("Release task %s has ended, and mPaaS cannot make an ended task %s again. Set status = \"ended\" "+
				"to keep it as it is. To deliver the package again, add a new mpaas_offline_package_release (or taint this one "+
				"with terraform taint), which creates a new task.", state.ID.ValueString(), plan.Status.ValueString()))
		return
	}
	if creating {
		r.planNewTask(ctx, &plan, state != nil, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planNewTask checks and fills what a task about to be created gets.
func (r *releaseResource) planNewTask(ctx context.Context, plan *releaseModel, replacing bool, diags *diag.Diagnostics) {
	r.checkTimeWindow(ctx, plan, diags)
	if replacing {
		// The new task gets new computed values.
		plan.ID = types.StringUnknown()
		plan.CreatedAt = types.StringUnknown()
		plan.H5AppID = types.StringUnknown()
		plan.Version = types.StringUnknown()
	}
	if r.data != nil && !plan.PackageID.IsUnknown() && !plan.PackageID.IsNull() {
		r.lookUpPackage(ctx, plan, diags)
	}
}

// planWindowEnd plans end_time when duration sets it: the task's end while
// duration still describes the task's window, unknown for a new task. When
// duration describes another window, the task is replaced.
func planWindowEnd(ctx context.Context, plan, state *releaseModel, resp *resource.ModifyPlanResponse) {
	tw, ok := windowOf(ctx, plan.TimeWindow, &resp.Diagnostics)
	if !ok || tw.Duration.IsNull() {
		return
	}
	tw.EndTime = types.StringUnknown()
	if state != nil {
		if old, ok := windowOf(ctx, state.TimeWindow, &resp.Diagnostics); ok {
			if windowKept(old, state.CreatedAt, tw.Duration) {
				tw.EndTime = old.EndTime
			} else {
				resp.RequiresReplace.Append(path.Root("time_window").AtName("duration"))
			}
		}
	}
	window, d := tw.object()
	resp.Diagnostics.Append(d...)
	plan.TimeWindow = window
}

// windowKept tells whether duration still describes the task's window: it is
// the duration the task was created with or, when the task was imported or
// its end_time configured, the task's window lasts that long.
func windowKept(old timeWindowModel, createdAt, duration types.String) bool {
	if !isKnown(duration) {
		return false
	}
	want, err := time.ParseDuration(duration.ValueString())
	if err != nil {
		return false
	}
	if isKnown(old.Duration) {
		had, err := time.ParseDuration(old.Duration.ValueString())
		return err == nil && had == want
	}
	end, endErr := time.Parse(time.RFC3339, old.EndTime.ValueString())
	created, createdErr := time.Parse(time.RFC3339, createdAt.ValueString())
	if endErr != nil || createdErr != nil {
		return false
	}
	off := end.Sub(created.Add(want))
	return off >= -windowSlack && off <= windowSlack
}

// checkTimeWindow requires a configured end_time to be in the future and
// less than 7 days ahead (an end_time computed from duration is unknown here).
func (r *releaseResource) checkTimeWindow(ctx context.Context, plan *releaseModel, diags *diag.Diagnostics) {
	tw, ok := windowOf(ctx, plan.TimeWindow, diags)
	if !ok || !isKnown(tw.EndTime) {
		return
	}
	end, err := time.Parse(time.RFC3339, tw.EndTime.ValueString())
	if err != nil {
		return // reported by ValidateConfig
	}
	now := r.clock()
	at := nestedAttributePath("time_window", "end_time")
	switch {
	case !end.After(now):
		diags.AddAttributeError(at, "end_time is in the past",
			fmt.Sprintf("time_window.end_time %s is not in the future (now is %s). A time-window release must end later than now and "+
				"less than 7 days ahead; pick a time such as %s, or replace end_time with duration = %q, which counts from the "+
				"task's creation.", tw.EndTime.ValueString(), now.UTC().Format(time.RFC3339),
				now.Add(48*time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339), exampleDuration))
	case end.Sub(now) >= maxGreyWindow:
		diags.AddAttributeError(at, "end_time is 7 days or more ahead",
			fmt.Sprintf("time_window.end_time %s is %s ahead; mPaaS accepts a time-window release of less than 7 days. Pick a time "+
				"before %s, or replace end_time with duration = %q, which counts from the task's creation.",
				tw.EndTime.ValueString(), end.Sub(now).Round(time.Minute), now.Add(maxGreyWindow).UTC().Truncate(time.Second).Format(time.RFC3339),
				exampleDuration))
	}
}

// lookUpPackage fills h5app_id and version from the package, and warns about
// an official release of a version below the H5App's highest.
func (r *releaseResource) lookUpPackage(ctx context.Context, plan *releaseModel, diags *diag.Diagnostics) {
	pkg, found, err := r.getPackage(ctx, plan.PackageID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("package_id"), "Cannot look up package "+plan.PackageID.ValueString(), apiErrorDetail(err))
		return
	}
	if !found {
		diags.AddAttributeError(path.Root("package_id"), "Package "+plan.PackageID.ValueString()+" does not exist",
			"No offline package with ID "+plan.PackageID.ValueString()+" exists in this workspace. Use the id of an "+
				"mpaas_offline_package (package_id = mpaas_offline_package.<name>.id).")
		return
	}
	plan.H5AppID = types.StringValue(pkg.H5Id)
	plan.Version = types.StringValue(pkg.H5Version)
	if plan.Type.ValueString() != mpaas.ReleaseTypeOfficial {
		return
	}
	packages, err := r.data.client.ListAllNebulaResources(ctx, pkg.H5Id)
	if err != nil {
		diags.AddAttributeWarning(path.Root("package_id"), "Cannot list the versions of H5App "+pkg.H5Id, apiErrorDetail(err))
		return
	}
	highest, ok, err := offlinepkg.HighestVersion(packageVersions(packages))
	if err != nil || !ok {
		return
	}
	if cmp, err := offlinepkg.CompareVersionStrings(pkg.H5Version, highest.String()); err == nil && cmp < 0 {
		diags.AddAttributeWarning(path.Root("package_id"), "Official release of an older version",
			fmt.Sprintf("Package %s is version %s of H5App %s, which also holds the higher version %s. Clients that already "+
				"have %s keep it; clients that do not get %s. If this is not a rollback on purpose, release the highest version.",
				plan.PackageID.ValueString(), pkg.H5Version, pkg.H5Id, highest, highest, pkg.H5Version))
	}
}

// getPackage returns the package, or found = false when it does not exist.
func (r *releaseResource) getPackage(ctx context.Context, id string) (*mpaas.NebulaResourceInfo, bool, error) {
	pkg, err := r.data.client.GetNebulaResource(ctx, id)
	if err != nil {
		if mpaas.ErrorCode(err) == mpaas.CodeResourceNotFound {
			return nil, false, nil
		}
		return nil, false, err
	}
	return pkg, pkg != nil, nil
}

func (r *releaseResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan releaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Values unknown at plan are known now.
	checkReleaseShape(&plan, &resp.Diagnostics)
	checkRules(ctx, plan.Rules, &resp.Diagnostics)
	r.checkTimeWindow(ctx, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	pkg, found, err := r.getPackage(ctx, plan.PackageID.ValueString())
	if err == nil && !found {
		err = fmt.Errorf("no offline package with ID %s exists in this workspace", plan.PackageID.ValueString())
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("package_id"), "Cannot look up package "+plan.PackageID.ValueString(), apiErrorDetail(err))
		return
	}
	input, diags := taskInput(ctx, &plan, pkg.Id, r.clock())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	before, _ := r.data.client.ListNebulaTasks(ctx, pkg.Id)
	taskID, createErr := r.data.client.CreateNebulaTask(ctx, input)
	if createErr != nil && mpaas.IsAmbiguous(createErr) {
		taskID = r.findCreatedTask(ctx, pkg.Id, before, input)
	}
	if taskID == "" {
		resp.Diagnostics.AddError("Cannot release package "+plan.PackageID.ValueString(), apiErrorDetail(createErr))
		return
	}
	plan.ID = types.StringValue(taskID)
	recordSentEnd(ctx, &plan, input, &resp.Diagnostics)
	plan.H5AppID = types.StringValue(pkg.H5Id)
	plan.Version = types.StringValue(pkg.H5Version)
	// Save the task at once: if what follows fails, the task is still tracked.
	plan.CreatedAt = types.StringUnknown()
	if want := plan.Status.ValueString(); want != mpaas.ReleaseStatusActive {
		if err := r.changeStatus(ctx, &plan, want); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("status"), "Release task "+taskID+" was created but its status could not be set to "+want, apiErrorDetail(err))
		}
	}
	detail, err := r.data.client.GetNebulaTaskDetail(ctx, mustTaskID(taskID))
	if err != nil || detail == nil {
		if err == nil {
			err = fmt.Errorf("release task %s is missing right after its creation", taskID)
		}
		resp.Diagnostics.AddError("Cannot read release task "+taskID, apiErrorDetail(err))
		plan.CreatedAt = types.StringNull()
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	resp.Diagnostics.Append(applyTask(ctx, &plan, detail)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// findCreatedTask looks, after an ambiguous failure, for a task that was not
// there before and has the memo and type just sent.
func (r *releaseResource) findCreatedTask(ctx context.Context, packageID int64, before []mpaas.NebulaTaskInfo, in mpaas.CreateTaskInput) string {
	after, err := r.data.client.ListNebulaTasks(ctx, packageID)
	if err != nil {
		return ""
	}
	seen := map[int64]bool{}
	for _, t := range before {
		seen[t.Id] = true
	}
	for _, t := range after {
		if !seen[t.Id] && t.Memo == in.Memo && t.PublishType == in.PublishType && t.PublishMode == in.PublishMode {
			return strconv.FormatInt(t.Id, 10)
		}
	}
	return ""
}

func mustTaskID(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}

// taskInput builds CreateMcubeNebulaTask from the plan; a window set by
// duration ends duration after now.
func taskInput(ctx context.Context, m *releaseModel, packageID int64, now time.Time) (mpaas.CreateTaskInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := mpaas.CreateTaskInput{PackageID: packageID, Memo: m.Memo.ValueString(), PublishMode: mpaas.PublishModeOfficial}
	var err error
	if in.PublishType, err = mpaas.ReleaseTypeCode(m.Type.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("type"), "Invalid type", err.Error())
		return in, diags
	}
	if !m.WhitelistIDs.IsNull() {
		var ids []string
		diags.Append(m.WhitelistIDs.ElementsAs(ctx, &ids, false)...)
		in.PublishMode = mpaas.PublishModeWhitelist
		in.WhitelistIDs = strings.Join(ids, ",")
	}
	if tw, ok := windowOf(ctx, m.TimeWindow, &diags); ok {
		end, ok := windowEnd(tw, now, &diags)
		if !ok {
			return in, diags
		}
		in.PublishMode = mpaas.PublishModeTimeWindow
		in.GreyEndtimeData = end.UTC().Format(mpaas.GreyEndtimeLayout)
		in.GreyNum = int32(tw.MaxUsers.ValueInt64())
	}
	rules, d := rulesFromList(ctx, m.Rules)
	diags.Append(d...)
	if in.GreyConfigInfo, err = mpaas.EncodeGreyConfig(rules); err != nil {
		diags.AddAttributeError(path.Root("rules"), "Invalid rules", err.Error())
	}
	return in, diags
}

// windowEnd is the end to send: end_time as configured, or now + duration
// rounded up to the second (the wire format has whole seconds), so the window
// lasts at least duration.
func windowEnd(tw timeWindowModel, now time.Time, diags *diag.Diagnostics) (time.Time, bool) {
	if tw.Duration.IsNull() {
		end, err := time.Parse(time.RFC3339, tw.EndTime.ValueString())
		if err != nil {
			diags.AddAttributeError(nestedAttributePath("time_window", "end_time"), "Invalid end_time", err.Error())
		}
		return end, err == nil
	}
	d, err := parseWindowDuration(tw.Duration.ValueString())
	if err != nil {
		diags.AddAttributeError(nestedAttributePath("time_window", "duration"), "Invalid duration", err.Error()+".")
		return time.Time{}, false
	}
	return now.Add(d + time.Second - 1).Truncate(time.Second), true
}

// recordSentEnd puts the end just sent into an end_time computed from
// duration, so the state never holds an unknown end, even when reading the
// task back fails.
func recordSentEnd(ctx context.Context, m *releaseModel, in mpaas.CreateTaskInput, diags *diag.Diagnostics) {
	tw, ok := windowOf(ctx, m.TimeWindow, diags)
	if !ok || !tw.EndTime.IsUnknown() {
		return
	}
	end, err := time.ParseInLocation(mpaas.GreyEndtimeLayout, in.GreyEndtimeData, time.UTC)
	if err != nil {
		return
	}
	tw.EndTime = types.StringValue(end.Format(time.RFC3339))
	window, d := tw.object()
	diags.Append(d...)
	m.TimeWindow = window
}

func rulesFromList(ctx context.Context, list types.List) ([]mpaas.ReleaseRule, diag.Diagnostics) {
	if list.IsNull() || list.IsUnknown() {
		return nil, nil
	}
	var items []ruleModel
	diags := list.ElementsAs(ctx, &items, false)
	out := make([]mpaas.ReleaseRule, 0, len(items))
	for _, item := range items {
		var values []string
		diags.Append(item.Values.ElementsAs(ctx, &values, false)...)
		out = append(out, mpaas.ReleaseRule{Element: item.Element.ValueString(), Operator: item.Operator.ValueString(), Values: values})
	}
	return out, diags
}

// applyTask copies a task detail into the model. end_time keeps its
// configured spelling when it names the same second; duration is kept.
func applyTask(ctx context.Context, m *releaseModel, d *mpaas.NebulaTaskDetail) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(strconv.FormatInt(d.Id, 10))
	m.PackageID = types.StringValue(strconv.FormatInt(d.PackageId, 10))
	m.Memo = types.StringValue(d.Memo)
	if name, err := mpaas.ReleaseTypeName(d.PublishType); err == nil {
		m.Type = types.StringValue(name)
	} else {
		diags.AddError("Unexpected release task", fmt.Sprintf("Release task %d: %v.", d.Id, err))
	}
	if name, err := mpaas.ReleaseStatusName(d.TaskStatus); err == nil {
		m.Status = types.StringValue(name)
	} else {
		diags.AddError("Unexpected release task", fmt.Sprintf("Release task %d: %v.", d.Id, err))
	}
	if d.ReleaseVersion != "" {
		m.Version = types.StringValue(d.ReleaseVersion)
	}
	m.CreatedAt = types.StringValue(createdAt(d.GmtCreate))

	m.WhitelistIDs = types.ListNull(types.StringType)
	if d.PublishMode == mpaas.PublishModeWhitelist {
		ids := mpaas.SplitWhitelist(d.WhitelistIds)
		values := make([]attr.Value, len(ids))
		for i, id := range ids {
			values[i] = types.StringValue(id)
		}
		list, dd := types.ListValue(types.StringType, values)
		diags.Append(dd...)
		m.WhitelistIDs = list
	}

	previous, hadWindow := windowOf(ctx, m.TimeWindow, &diags)
	m.TimeWindow = types.ObjectNull(timeWindowAttrTypes)
	if d.PublishMode == mpaas.PublishModeTimeWindow {
		tw := timeWindowModel{Duration: types.StringNull(), EndTime: types.StringValue(d.GreyEndtimeData), MaxUsers: types.Int64Value(int64(d.GreyNum))}
		if hadWindow {
			// duration is not stored by mPaaS: it stays as planned (null after an import).
			tw.Duration = previous.Duration
		}
		if end, err := time.ParseInLocation(mpaas.GreyEndtimeLayout, d.GreyEndtimeData, time.UTC); err == nil {
			tw.EndTime = types.StringValue(end.Format(time.RFC3339))
			if old, err := time.Parse(time.RFC3339, previous.EndTime.ValueString()); hadWindow && err == nil && old.Truncate(time.Second).Equal(end) {
				tw.EndTime = previous.EndTime
			}
		}
		obj, dd := tw.object()
		diags.Append(dd...)
		m.TimeWindow = obj
	}

	m.Rules = types.ListNull(types.ObjectType{AttrTypes: ruleAttrTypes})
	rules, err := mpaas.TaskRules(d)
	if err != nil {
		diags.AddError("Unexpected release task rules", fmt.Sprintf("Release task %d: %v.", d.Id, err))
		return diags
	}
	if len(rules) > 0 {
		items := make([]attr.Value, len(rules))
		for i, rule := range rules {
			values := make([]attr.Value, len(rule.Values))
			for j, v := range rule.Values {
				values[j] = types.StringValue(v)
			}
			valueList, dd := types.ListValue(types.StringType, values)
			diags.Append(dd...)
			obj, dd := types.ObjectValue(ruleAttrTypes, map[string]attr.Value{
				"element":  types.StringValue(rule.Element),
				"operator": types.StringValue(rule.Operator),
				"values":   valueList,
			})
			diags.Append(dd...)
			items[i] = obj
		}
		list, dd := types.ListValue(types.ObjectType{AttrTypes: ruleAttrTypes}, items)
		diags.Append(dd...)
		m.Rules = list
	}
	return diags
}

// readTask returns the task, or nil when it no longer exists.
func (r *releaseResource) readTask(ctx context.Context, id string) (*mpaas.NebulaTaskDetail, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("release task id %q is not a number", id)
	}
	detail, err := r.data.client.GetNebulaTaskDetail(ctx, n)
	if err != nil {
		if mpaas.ErrorCode(err) == mpaas.CodeTaskNotFound {
			return nil, nil
		}
		return nil, err
	}
	return detail, nil
}

func (r *releaseResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state releaseModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	detail, err := r.readTask(ctx, state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read release task "+state.ID.ValueString(), apiErrorDetail(err))
		return
	}
	if detail == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(applyTask(ctx, &state, detail)...)
	if state.H5AppID.IsNull() || state.H5AppID.IsUnknown() || state.Version.IsNull() || state.Version.IsUnknown() {
		// After an import: the task does not name its H5App.
		pkg, found, err := r.getPackage(ctx, state.PackageID.ValueString())
		switch {
		case err != nil:
			resp.Diagnostics.AddError("Cannot read package "+state.PackageID.ValueString()+" of release task "+state.ID.ValueString(), apiErrorDetail(err))
			return
		case found:
			state.H5AppID = types.StringValue(pkg.H5Id)
			state.Version = types.StringValue(pkg.H5Version)
		default:
			state.H5AppID = types.StringNull()
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update changes the status, the only argument sent to mPaaS that does not
// replace, and records a time window's duration or end_time as configured
// when they still describe the task (see ModifyPlan).
func (r *releaseResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state releaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := plan.Status.ValueString()
	if want != state.Status.ValueString() {
		if err := r.changeStatus(ctx, &state, want); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("status"), "Cannot change release task "+state.ID.ValueString()+" to "+want, apiErrorDetail(err))
			return
		}
	}
	detail, err := r.readTask(ctx, state.ID.ValueString())
	if err == nil && detail == nil {
		err = fmt.Errorf("release task %s no longer exists", state.ID.ValueString())
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read release task "+state.ID.ValueString(), apiErrorDetail(err))
		return
	}
	state.TimeWindow = plan.TimeWindow
	resp.Diagnostics.Append(applyTask(ctx, &state, detail)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *releaseResource) changeStatus(ctx context.Context, m *releaseModel, status string) error {
	code, err := mpaas.ReleaseStatusCode(status)
	if err != nil {
		return err
	}
	return r.data.client.ChangeNebulaTaskStatus(ctx, m.ID.ValueString(), m.PackageID.ValueString(), code)
}

// Delete ends the task unless it has ended already or is gone.
func (r *releaseResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state releaseModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	detail, err := r.readTask(ctx, state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read release task "+state.ID.ValueString(), apiErrorDetail(err))
		return
	}
	if detail == nil || detail.TaskStatus == mpaas.TaskStatusEnded {
		return
	}
	if err := r.changeStatus(ctx, &state, mpaas.ReleaseStatusEnded); err != nil {
		resp.Diagnostics.AddError("Cannot end release task "+state.ID.ValueString(), apiErrorDetail(err))
	}
}

func (r *releaseResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !digitsPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import a release by its numeric task ID (NebulaTaskId), such as 4294967297; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}
