package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

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

func (tw timeWindowModel) object() (types.Object, diag.Diagnostics) {
	return types.ObjectValue(timeWindowAttrTypes, map[string]attr.Value{
		"duration": tw.Duration, "end_time": tw.EndTime, "max_users": tw.MaxUsers,
	})
}

func isKnown(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

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
