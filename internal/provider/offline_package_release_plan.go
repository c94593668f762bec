package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/planmodifiers"
)

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
	if !isKnown(window) {
		return tw, false
	}
	d := window.As(ctx, &tw, releaseObjectAs)
	diags.Append(d...)
	return tw, !d.HasError()
}

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
		if _, err := parseTime(tw.EndTime.ValueString()); err != nil {
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
	if !isKnown(m.Type) {
		return
	}
	switch m.Type.ValueString() {
	case string(mpaas.ReleaseTypeOfficial):
		for _, a := range []struct {
			name  string
			value attr.Value
		}{{"whitelist_ids", m.WhitelistIDs}, {"time_window", m.TimeWindow}, {"rules", m.Rules}} {
			if isKnown(a.value) {
				diags.AddAttributeError(path.Root(a.name), "Not allowed in an official release",
					fmt.Sprintf("An official release reaches every client the package targets, so it takes no %s. Remove %s, "+
						"or set type = \"grayscale\" to release to a restricted audience.", a.name, a.name))
			}
		}
	case string(mpaas.ReleaseTypeGrayscale):
		switch {
		case isKnown(m.WhitelistIDs) && isKnown(m.TimeWindow):
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
	if !isKnown(rules) {
		return
	}
	var items []ruleModel
	diags.Append(rules.ElementsAs(ctx, &items, false)...)
	if diags.HasError() {
		return
	}
	for i, item := range items {
		at := path.Root("rules").AtListIndex(i)
		if item.Element.IsUnknown() || item.Operator.IsUnknown() || !isKnown(item.Values) {
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
			if !isKnown(v) {
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
	reRelease := state != nil && len(taskChanges(&plan, state)) > 0
	ended := string(mpaas.ReleaseStatusEnded)
	if state != nil && state.Status.ValueString() == ended && !plan.Status.IsUnknown() && plan.Status.ValueString() != ended && !reRelease {
		resp.Diagnostics.AddAttributeError(path.Root("status"), "An ended release cannot be resumed",
			fmt.Sprintf("Release task %s has ended, and mPaaS cannot make an ended task %s again. Set status = \"ended\" "+
				"to keep it as it is. To deliver the package again, add a new mpaas_offline_package_release (or change any "+
				"other argument, such as memo, which re-releases it as a new task).", state.ID.ValueString(), plan.Status.ValueString()))
		return
	}
	if state == nil || reRelease {
		r.planNewTask(ctx, &plan, reRelease, &resp.Diagnostics)
	}
	if reRelease {
		warnReRelease(&plan, state, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// taskChanges names the planned changes that make another task: every
// argument but status. A type the state holds as a raw code (see
// planmodifiers.HoldsRawCode) is recorded in place instead; a window's
// end_time that duration no longer describes is unknown (planWindowEnd) and
// counts.
func taskChanges(plan, state *releaseModel) []string {
	var changed []string
	add := func(name string, differs bool) {
		if differs {
			changed = append(changed, name)
		}
	}
	add("package_id", !plan.PackageID.Equal(state.PackageID))
	add("memo", !plan.Memo.Equal(state.Memo))
	add("type", !plan.Type.Equal(state.Type) && !planmodifiers.HoldsRawCode(state.Type, mpaas.ReleaseTypes))
	add("whitelist_ids", !plan.WhitelistIDs.Equal(state.WhitelistIDs))
	add("rules", !plan.Rules.Equal(state.Rules))
	add("time_window", windowChanged(plan.TimeWindow, state.TimeWindow))
	return changed
}

// windowChanged compares what the task's window is: added or removed, its
// end and its user cap. A duration that still describes the window is
// recorded in place.
func windowChanged(planned, prior types.Object) bool {
	if planned.IsNull() || prior.IsNull() {
		return planned.IsNull() != prior.IsNull()
	}
	if planned.IsUnknown() || prior.IsUnknown() {
		return true
	}
	p, s := planned.Attributes(), prior.Attributes()
	return !p["end_time"].Equal(s["end_time"]) || !p["max_users"].Equal(s["max_users"])
}

// warnReRelease says once what a re-release does, in the order it does it.
func warnReRelease(plan, state *releaseModel, diags *diag.Diagnostics) {
	diags.AddAttributeWarning(path.Root("id"), "Release task "+state.ID.ValueString()+" is re-released",
		fmt.Sprintf("A release task cannot be edited, so the change to %s creates a new task, and task %s ends only once the "+
			"new one exists: clients keep receiving version %s until then, also when this apply fails before.",
			strings.Join(taskChanges(plan, state), ", "), state.ID.ValueString(), state.Version.ValueString()))
}

// planNewTask checks and fills what a task about to be created gets.
func (r *releaseResource) planNewTask(ctx context.Context, plan *releaseModel, replacing bool, diags *diag.Diagnostics) {
	r.checkTimeWindow(ctx, plan, diags)
	if replacing {
		// The new task gets new computed values, and a window set by
		// duration starts again with it.
		plan.ID = types.StringUnknown()
		plan.CreatedAt = types.StringUnknown()
		plan.H5AppID = types.StringUnknown()
		plan.Version = types.StringUnknown()
		if tw, ok := windowOf(ctx, plan.TimeWindow, diags); ok && !tw.Duration.IsNull() {
			tw.EndTime = types.StringUnknown()
			window, d := tw.object(ctx)
			diags.Append(d...)
			plan.TimeWindow = window
		}
	}
	if isKnown(plan.PackageID) && requireClient(r.data, diags) {
		r.lookUpPackage(ctx, plan, diags)
	}
}

// planWindowEnd plans end_time when duration sets it: the task's end while
// duration still describes the task's window, unknown for a new task. When
// duration describes another window, end_time is unknown, which re-releases
// (taskChanges).
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
			}
		}
	}
	window, d := tw.object(ctx)
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
	end, endErr := parseTime(old.EndTime.ValueString())
	created, createdErr := parseTime(createdAt.ValueString())
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
	end, err := parseTime(tw.EndTime.ValueString())
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
				"task's creation.", tw.EndTime.ValueString(), formatTime(now),
				formatTime(now.Add(48*time.Hour).Truncate(time.Second)), exampleDuration))
	case end.Sub(now) >= maxGreyWindow:
		diags.AddAttributeError(at, "end_time is 7 days or more ahead",
			fmt.Sprintf("time_window.end_time %s is %s ahead; mPaaS accepts a time-window release of less than 7 days. Pick a time "+
				"before %s, or replace end_time with duration = %q, which counts from the task's creation.",
				tw.EndTime.ValueString(), end.Sub(now).Round(time.Minute), formatTime(now.Add(maxGreyWindow).Truncate(time.Second)),
				exampleDuration))
	}
}

// lookUpPackage fills h5app_id and version from the package, and warns about
// an official release of a version below the H5App's highest.
func (r *releaseResource) lookUpPackage(ctx context.Context, plan *releaseModel, diags *diag.Diagnostics) {
	pkg, err := r.getPackage(ctx, plan.PackageID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("package_id"), "Cannot look up package "+plan.PackageID.ValueString(), apiErrorDetail(err))
		return
	}
	if pkg == nil {
		diags.AddAttributeError(path.Root("package_id"), "Package "+plan.PackageID.ValueString()+" does not exist",
			"No offline package with ID "+plan.PackageID.ValueString()+" exists in this workspace. Use the id of an "+
				"mpaas_offline_package (package_id = mpaas_offline_package.<name>.id).")
		return
	}
	plan.H5AppID = types.StringValue(pkg.H5AppID)
	plan.Version = types.StringValue(pkg.Version)
	if plan.Type.ValueString() != string(mpaas.ReleaseTypeOfficial) {
		return
	}
	packages, err := r.data.client.ListPackages(ctx, pkg.H5AppID)
	if err != nil {
		diags.AddAttributeWarning(path.Root("package_id"), "Cannot list the versions of H5App "+pkg.H5AppID, apiErrorDetail(err))
		return
	}
	highest, ok, err := offlinepkg.HighestVersion(mpaas.PackageVersions(packages))
	if err != nil || !ok {
		return
	}
	if cmp, err := offlinepkg.CompareVersionStrings(pkg.Version, highest.String()); err == nil && cmp < 0 {
		diags.AddAttributeWarning(path.Root("package_id"), "Official release of an older version",
			fmt.Sprintf("Package %s is version %s of H5App %s, which also holds the higher version %s. Clients that already "+
				"have %s keep it; clients that do not get %s. If this is not a rollback on purpose, release the highest version.",
				plan.PackageID.ValueString(), pkg.Version, pkg.H5AppID, highest, highest, pkg.Version))
	}
}

// getPackage returns the package, or nil when it does not exist.
func (r *releaseResource) getPackage(ctx context.Context, packageID string) (*mpaas.Package, error) {
	id, err := parseID("package_id", packageID)
	if err != nil {
		return nil, err
	}
	return r.data.client.GetPackage(ctx, id)
}
