package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

type releaseModel struct {
	ID           types.String   `tfsdk:"id"`
	PackageID    types.String   `tfsdk:"package_id"`
	Memo         types.String   `tfsdk:"memo"`
	Type         types.String   `tfsdk:"type"`
	WhitelistIDs types.List     `tfsdk:"whitelist_ids"`
	TimeWindow   types.Object   `tfsdk:"time_window"`
	Rules        types.List     `tfsdk:"rules"`
	Status       types.String   `tfsdk:"status"`
	H5AppID      types.String   `tfsdk:"h5app_id"`
	Version      types.String   `tfsdk:"version"`
	CreatedAt    types.String   `tfsdk:"created_at"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
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

func (tw timeWindowModel) object(ctx context.Context) (types.Object, diag.Diagnostics) {
	return types.ObjectValueFrom(ctx, timeWindowAttrTypes, tw)
}

// releaseInput builds the release to create from the plan; a window set by
// duration ends duration after now.
func releaseInput(ctx context.Context, m *releaseModel, packageID int64, now time.Time) (mpaas.CreateReleaseInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := mpaas.CreateReleaseInput{PackageID: packageID, Memo: m.Memo.ValueString(), Type: mpaas.ReleaseType(m.Type.ValueString())}
	if !m.WhitelistIDs.IsNull() {
		in.WhitelistIDs = []string{}
		diags.Append(m.WhitelistIDs.ElementsAs(ctx, &in.WhitelistIDs, false)...)
	}
	if tw, ok := windowOf(ctx, m.TimeWindow, &diags); ok {
		end, ok := windowEnd(tw, now, &diags)
		if !ok {
			return in, diags
		}
		in.Window = &mpaas.TimeWindow{End: end.UTC().Truncate(time.Second), MaxUsers: int32(tw.MaxUsers.ValueInt64())}
	}
	rules, d := rulesFromList(ctx, m.Rules)
	diags.Append(d...)
	in.Rules = rules
	return in, diags
}

// windowEnd is the end to send: end_time as configured, or now + duration
// rounded up to the second (the wire format has whole seconds), so the window
// lasts at least duration.
func windowEnd(tw timeWindowModel, now time.Time, diags *diag.Diagnostics) (time.Time, bool) {
	if tw.Duration.IsNull() {
		end, err := parseTime(tw.EndTime.ValueString())
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
func recordSentEnd(ctx context.Context, m *releaseModel, in mpaas.CreateReleaseInput, diags *diag.Diagnostics) {
	tw, ok := windowOf(ctx, m.TimeWindow, diags)
	if !ok || !tw.EndTime.IsUnknown() || in.Window == nil {
		return
	}
	tw.EndTime = types.StringValue(formatTime(in.Window.End))
	window, d := tw.object(ctx)
	diags.Append(d...)
	m.TimeWindow = window
}

func rulesFromList(ctx context.Context, list types.List) ([]mpaas.ReleaseRule, diag.Diagnostics) {
	if !isKnown(list) {
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

// applyRelease copies a release task into the model. end_time keeps its
// configured spelling when it names the same second; duration is kept. What
// the task reports in a form the provider cannot read keeps the model's
// earlier value, with a warning (keepUndecodedRelease).
func applyRelease(ctx context.Context, m *releaseModel, r *mpaas.Release) diag.Diagnostics {
	var diags diag.Diagnostics
	earlier := *m
	m.ID = types.StringValue(formatID(r.ID))
	m.PackageID = types.StringValue(formatID(r.PackageID))
	m.Memo = types.StringValue(r.Memo)
	m.Type = types.StringValue(string(r.Type))
	m.Status = types.StringValue(string(r.Status))
	if r.Version != "" {
		m.Version = types.StringValue(r.Version)
	}
	m.CreatedAt = types.StringValue(r.CreatedAt)

	m.WhitelistIDs = types.ListNull(types.StringType)
	if r.WhitelistIDs != nil {
		list, d := types.ListValueFrom(ctx, types.StringType, r.WhitelistIDs)
		diags.Append(d...)
		m.WhitelistIDs = list
	}
	m.TimeWindow = windowValue(ctx, m.TimeWindow, r.Window, &diags)

	m.Rules = types.ListNull(types.ObjectType{AttrTypes: ruleAttrTypes})
	if len(r.Rules) > 0 {
		items := make([]ruleModel, len(r.Rules))
		for i, rule := range r.Rules {
			values, d := types.ListValueFrom(ctx, types.StringType, rule.Values)
			diags.Append(d...)
			items[i] = ruleModel{Element: types.StringValue(rule.Element), Operator: types.StringValue(rule.Operator), Values: values}
		}
		list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: ruleAttrTypes}, items)
		diags.Append(d...)
		m.Rules = list
	}
	keepUndecodedRelease(m, &earlier, r, &diags)
	return diags
}

// windowValue is the time_window of a task's window: the end it reports (in
// the previous spelling when that names the same second) and the previous
// duration, which mPaaS does not store (null after an import).
func windowValue(ctx context.Context, previousValue types.Object, window *mpaas.TimeWindow, diags *diag.Diagnostics) types.Object {
	if window == nil {
		return types.ObjectNull(timeWindowAttrTypes)
	}
	previous, hadWindow := windowOf(ctx, previousValue, diags)
	end := window.End.UTC()
	tw := timeWindowModel{Duration: types.StringNull(), EndTime: types.StringValue(formatTime(end)), MaxUsers: types.Int64Value(int64(window.MaxUsers))}
	if hadWindow {
		tw.Duration = previous.Duration
		if old, err := parseTime(previous.EndTime.ValueString()); err == nil && old.Truncate(time.Second).Equal(end) {
			tw.EndTime = previous.EndTime
		}
	}
	object, d := tw.object(ctx)
	diags.Append(d...)
	return object
}

// parseTime and formatTime are the one reading and writing of the RFC 3339
// times of a release (end_time, created_at); times are kept in UTC.
func parseTime(text string) (time.Time, error) {
	return time.Parse(time.RFC3339, text)
}

func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// keepUndecodedRelease is keepUndecodedPackage for a release task.
func keepUndecodedRelease(m, earlier *releaseModel, r *mpaas.Release, diags *diag.Diagnostics) {
	object := fmt.Sprintf("release task %d", r.ID)
	imported := earlier.Type.IsNull() // required: null only before the first read of an import
	for _, field := range mpaas.UndecodedFields(r.DecodeError) {
		var kept keptValue
		switch field.Field {
		case mpaas.FieldPublishType:
			m.Type, kept = keepString("type", earlier.Type, field.Code)
		case mpaas.FieldTaskStatus:
			m.Status, kept = keepString("status", earlier.Status, field.Code)
		case mpaas.FieldPublishMode:
			m.WhitelistIDs, m.TimeWindow = earlier.WhitelistIDs, earlier.TimeWindow
			warnUndecoded(diags, object, field, imported, keptValue{"whitelist_ids", m.WhitelistIDs}, keptValue{"time_window", m.TimeWindow})
			continue
		case mpaas.FieldGreyEndtimeData, mpaas.FieldGreyNum:
			m.TimeWindow = earlier.TimeWindow
			kept = keptValue{"time_window", m.TimeWindow}
		case mpaas.FieldGreyConfigInfo:
			m.Rules = earlier.Rules
			kept = keptValue{"rules", m.Rules}
		}
		warnUndecoded(diags, object, field, imported, kept)
	}
}
