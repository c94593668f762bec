package emulator

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// maxGreyWindow is how far ahead a time-window grayscale release may end.
const maxGreyWindow = 7 * 24 * time.Hour

// greyRule is one element of GreyConfigInfo (DESIGN.md section 6).
type greyRule struct {
	RuleElement string          `json:"ruleElement"`
	Operation   json.RawMessage `json:"operation"`
	Value       string          `json:"value"`
	Value1      json.RawMessage `json:"value1"`
	Value2      json.RawMessage `json:"value2"`
}

// parseGreyConfig checks GreyConfigInfo (a JSON array of rules) and returns
// the rules as RuleJsonList holds them.
func parseGreyConfig(s string) ([]ruleRecord, *bizError) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var rules []greyRule
	if err := json.Unmarshal([]byte(s), &rules); err != nil {
		return nil, bizErrorf(errInvalidParameter, "GreyConfigInfo must be a JSON array of {\"ruleElement\",\"operation\",\"value\"} objects: %v", err)
	}
	out := make([]ruleRecord, 0, len(rules))
	for i, r := range rules {
		switch r.RuleElement {
		case mpaas.RuleElementCity, mpaas.RuleElementMobileModel, mpaas.RuleElementNetType, mpaas.RuleElementOsVersion:
		default:
			return nil, bizErrorf(errInvalidParameter, "GreyConfigInfo rule %d: ruleElement %q must be one of city, mobileModel, netType, osVersion", i+1, r.RuleElement)
		}
		opText := strings.Trim(strings.TrimSpace(string(r.Operation)), `"`)
		op, err := strconv.Atoi(opText)
		if err != nil || op < mpaas.RuleOperationContains || op > mpaas.RuleOperationOutOfRange {
			return nil, bizErrorf(errInvalidParameter, "GreyConfigInfo rule %d: operation must be 1 (contains), 2 (excludes), 3 (within range) or 4 (outside range), got %s", i+1, string(r.Operation))
		}
		if (op == mpaas.RuleOperationInRange || op == mpaas.RuleOperationOutOfRange) && r.RuleElement != mpaas.RuleElementOsVersion {
			return nil, bizErrorf(errInvalidParameter, "GreyConfigInfo rule %d: range operations apply only to osVersion", i+1)
		}
		value := r.Value
		if value == "" && (len(r.Value1) > 0 || len(r.Value2) > 0) {
			value = strings.Trim(string(r.Value1), `"`) + "-" + strings.Trim(string(r.Value2), `"`)
		}
		if value == "" {
			return nil, bizErrorf(errInvalidParameter, "GreyConfigInfo rule %d: value must not be empty", i+1)
		}
		out = append(out, ruleRecord{RuleElement: r.RuleElement, Operation: strconv.Itoa(op), Value: value})
	}
	return out, nil
}

func (c *call) createTask() (any, error) {
	resp := &createMcubeNebulaTaskResponse{envelope: c.okEnvelope()}
	fail := func(e *bizError) (any, error) {
		resp.CreateMcubeNebulaTaskResult = &createMcubeNebulaTaskResult{nebulaResult: c.nebulaFail(e)}
		return resp, nil
	}
	ints := map[string]int64{}
	for _, name := range []string{"PackageId", "PublishType", "PublishMode", "GreyNum", "Percent", "TaskType"} {
		v, e := c.intParam(name, -1, 64)
		if e != nil {
			return fail(e)
		}
		ints[name] = v
	}
	switch {
	case ints["PackageId"] < 0:
		return fail(bizErrorf(errInvalidParameter, "PackageId is required: the NebulaResourceId of the package to release"))
	case ints["PublishType"] != int64(mpaas.PublishTypeGrayscale) && ints["PublishType"] != int64(mpaas.PublishTypeOfficial):
		return fail(bizErrorf(errInvalidParameter, "PublishType must be %d (grayscale) or %d (official)", mpaas.PublishTypeGrayscale, mpaas.PublishTypeOfficial))
	case ints["PublishMode"] < int64(mpaas.PublishModeOfficial) || ints["PublishMode"] > int64(mpaas.PublishModeTimeWindow):
		return fail(bizErrorf(errInvalidParameter, "PublishMode must be %d (official), %d (whitelist) or %d (time window)", mpaas.PublishModeOfficial, mpaas.PublishModeWhitelist, mpaas.PublishModeTimeWindow))
	}
	mode := int32(ints["PublishMode"])
	whitelist := c.p.Get("WhitelistIds")
	greyEnd := c.p.Get("GreyEndtimeData")
	if mode == mpaas.PublishModeWhitelist && strings.TrimSpace(whitelist) == "" {
		return fail(bizErrorf(errInvalidParameter, "WhitelistIds is required when PublishMode is %d (whitelist)", mpaas.PublishModeWhitelist))
	}
	if mode == mpaas.PublishModeTimeWindow {
		// [INFERRED] GreyEndtimeData carries no zone; the emulator reads it
		// in Options.TimeZone (DESIGN.md section 6.1).
		zone := c.s.opts.TimeZone
		end, err := time.ParseInLocation(mpaas.GreyEndtimeLayout, greyEnd, zone)
		if err != nil {
			return fail(bizErrorf(errInvalidParameter, "GreyEndtimeData %q is required when PublishMode is %d (time window), formatted yyyy-MM-dd HH:mm:ss (%s)", greyEnd, mpaas.PublishModeTimeWindow, zone))
		}
		if !end.After(c.now) || end.Sub(c.now) >= maxGreyWindow {
			return fail(bizErrorf(errInvalidParameter, "GreyEndtimeData %s must be later than now (%s) and less than 7 days ahead", greyEnd, c.gmt(c.now)))
		}
		if ints["GreyNum"] <= 0 || ints["GreyNum"] > 1<<31-1 {
			return fail(bizErrorf(errInvalidParameter, "GreyNum (the number of grayscale users) must be a positive number when PublishMode is %d (time window)", mpaas.PublishModeTimeWindow))
		}
	}
	rules, e := parseGreyConfig(c.p.Get("GreyConfigInfo"))
	if e != nil {
		return fail(e)
	}
	clamp := func(v int64) int32 {
		if v < 0 || v > 1<<31-1 {
			return 0
		}
		return int32(v)
	}
	orDefault := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}

	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	sc := st.st.scope(c.scope, false)
	var pkg *resourceRecord
	if sc != nil {
		pkg = sc.Resources[ints["PackageId"]]
	}
	if pkg == nil {
		return fail(bizErrorf(errResourceNotFound, "package %d does not exist in this workspace", ints["PackageId"]))
	}
	id := st.st.NextTaskID
	st.st.NextTaskID++
	now := c.gmt(c.now)
	creator := orDefault(c.p.Get("Creator"), "emulator")
	sc.Tasks[id] = &taskRecord{Detail: releaseRecord{
		ID: id, PackageID: pkg.Item.ID, AppCode: pkg.Item.AppCode,
		BizType:  orDefault(c.p.Get("BizType"), mpaas.BizTypeOfflinePackage),
		TaskName: orDefault(c.p.Get("TaskName"), pkg.Item.H5ID+"_"+pkg.Item.H5Version),
		TaskType: clamp(ints["TaskType"]), TaskStatus: mpaas.TaskStatusActive, Status: 1, TaskVersion: 1,
		ReleaseVersion: pkg.Item.H5Version,
		PublishType:    int32(ints["PublishType"]), PublishMode: mode,
		Platform: pkg.Item.Platform, ProductID: c.p.Get("ProductId"), ProductVersion: c.p.Get("ProductVersion"),
		Percent: clamp(ints["Percent"]), GreyNum: clamp(ints["GreyNum"]), GreyURL: c.p.Get("GreyUrl"),
		GreyConfigInfo: c.p.Get("GreyConfigInfo"), GreyEndtime: c.p.Get("GreyEndtime"),
		GreyEndtimeData: greyEnd, GreyEndtimeStr: c.p.Get("GreyEndtimeStr"), WhitelistIDs: whitelist,
		Memo: c.p.Get("Memo"), Creator: creator, Modifier: creator,
		GmtCreate: now, GmtModified: now, GmtModifiedStr: now,
		AppID: c.scope.AppID, WorkspaceID: c.scope.WorkspaceID,
		OssPath: pkg.DownloadPath, PublishPeriod: 1,
		Rules: rules,
	}}
	if err := st.commitLocked(change{scope: sc, tasks: []int64{id}}); err != nil {
		return nil, err
	}
	resp.CreateMcubeNebulaTaskResult = &createMcubeNebulaTaskResult{nebulaResult: c.ok(), NebulaTaskId: strconv.FormatInt(id, 10)}
	return resp, nil
}

// listTasks lists the release tasks of one package (Id = package id), oldest first.
func (c *call) listTasks() (any, error) {
	resp := &listMcubeNebulaTasksResponse{envelope: c.okEnvelope()}
	raw := c.p.Get("Id")
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	sc := st.st.scope(c.scope, false)
	if err != nil || sc == nil || sc.Resources[id] == nil {
		resp.ListMcubeNebulaTaskResult = &listMcubeNebulaTaskResult{
			nebulaResult:   c.nebulaFail(bizErrorf(errResourceNotFound, "package %q does not exist in this workspace", raw)),
			NebulaTaskInfo: []nebulaTaskInfo{},
		}
		return resp, nil
	}
	infos := []nebulaTaskInfo{}
	for _, t := range sc.Tasks {
		if t.Detail.PackageID == id {
			info := taskInfo(&t.Detail)
			c.s.fillProgress(&info, sc)
			infos = append(infos, info)
		}
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Id < infos[j].Id })
	resp.ListMcubeNebulaTaskResult = &listMcubeNebulaTaskResult{nebulaResult: c.ok(), NebulaTaskInfo: infos}
	return resp, nil
}

func (c *call) getTaskDetail() (any, error) {
	resp := &getMcubeNebulaTaskDetailResponse{envelope: c.okEnvelope()}
	raw := c.p.Get("TaskId")
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var task *taskRecord
	sc := st.st.scope(c.scope, false)
	if sc != nil && err == nil {
		task = sc.Tasks[id]
	}
	switch {
	case task == nil && c.s.opts.Quirks.NotFoundAsEmptyObject:
		resp.GetMcubeNebulaTaskDetailResult = &getMcubeNebulaTaskDetailResult{nebulaResult: c.ok(), NebulaTaskDetail: &nebulaTaskDetail{RuleJsonList: []ruleJSON{}}}
		return resp, nil
	case task == nil:
		resp.GetMcubeNebulaTaskDetailResult = &getMcubeNebulaTaskDetailResult{nebulaResult: c.nebulaFail(bizErrorf(errTaskNotFound, "release task %q does not exist in this workspace", raw))}
		return resp, nil
	}
	detail := c.taskDetail(sc, &task.Detail)
	resp.GetMcubeNebulaTaskDetailResult = &getMcubeNebulaTaskDetailResult{nebulaResult: c.ok(), NebulaTaskDetail: &detail}
	return resp, nil
}

func (c *call) changeTaskStatus() (any, error) {
	resp := &changeMcubeNebulaTaskStatusResponse{envelope: c.okEnvelope()}
	fail := func(e *bizError) (any, error) {
		r := c.nebulaFail(e)
		resp.ChangeMcubeNebulaTaskStatusResult = &r
		return resp, nil
	}
	rawTask, rawPkg := c.p.Get("TaskId"), c.p.Get("PackageId")
	status, e := c.intParam("TaskStatus", -1, 32)
	if e != nil {
		return fail(e)
	}
	switch {
	case status != int64(mpaas.TaskStatusActive) && status != int64(mpaas.TaskStatusEnded) && status != int64(mpaas.TaskStatusPaused):
		return fail(bizErrorf(errInvalidParameter, "TaskStatus must be %d (releasing), %d (ended) or %d (paused)", mpaas.TaskStatusActive, mpaas.TaskStatusEnded, mpaas.TaskStatusPaused))
	case strings.TrimSpace(c.p.Get("BizType")) == "":
		return fail(bizErrorf(errInvalidParameter, "BizType is required"))
	}
	taskID, err := strconv.ParseInt(strings.TrimSpace(rawTask), 10, 64)
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var task *taskRecord
	sc := st.st.scope(c.scope, false)
	if sc != nil && err == nil {
		task = sc.Tasks[taskID]
	}
	if task == nil {
		return fail(bizErrorf(errTaskNotFound, "release task %q does not exist in this workspace", rawTask))
	}
	if strings.TrimSpace(rawPkg) != strconv.FormatInt(task.Detail.PackageID, 10) {
		return fail(bizErrorf(errInvalidParameter, "PackageId %q is not the package of release task %d (%d)", rawPkg, taskID, task.Detail.PackageID))
	}
	if task.Detail.TaskStatus == mpaas.TaskStatusEnded {
		return fail(bizErrorf(errTaskEnded, "release task %d has ended; an ended task cannot change status", taskID))
	}
	task.Detail.TaskStatus = int32(status)
	now := c.gmt(c.now)
	task.Detail.GmtModified, task.Detail.GmtModifiedStr = now, now
	task.Detail.Modifier = "emulator"
	if err := st.commitLocked(change{scope: sc, tasks: []int64{taskID}}); err != nil {
		return nil, err
	}
	r := c.ok()
	resp.ChangeMcubeNebulaTaskStatusResult = &r
	return resp, nil
}

// taskInfo is the release task as ListMcubeNebulaTasks answers it, its
// rules echoed in the Cube form (cubeGreyConfig), without its progress
// (fillProgress).
func taskInfo(t *releaseRecord) nebulaTaskInfo {
	return nebulaTaskInfo{
		Id: t.ID, PackageId: t.PackageID, AppCode: t.AppCode, BizType: t.BizType, TaskName: t.TaskName,
		TaskType: t.TaskType, TaskStatus: t.TaskStatus, Status: t.Status, TaskVersion: t.TaskVersion,
		ReleaseVersion: t.ReleaseVersion, PublishType: t.PublishType, PublishMode: t.PublishMode,
		Platform: t.Platform, ProductId: t.ProductID, ProductVersion: t.ProductVersion,
		Percent: t.Percent, GreyNum: t.GreyNum, GreyUrl: t.GreyURL, GreyConfigInfo: cubeGreyConfig(t.Rules),
		GreyEndtime: t.GreyEndtime, GreyEndtimeData: t.GreyEndtimeData, GreyEndtimeStr: t.GreyEndtimeStr,
		WhitelistIds: t.WhitelistIDs, Memo: t.Memo, Creator: t.Creator, Modifier: t.Modifier,
		GmtCreate: t.GmtCreate, GmtModified: t.GmtModified, GmtModifiedStr: t.GmtModifiedStr,
	}
}

// taskDetail is the release task as GetMcubeNebulaTaskDetail answers it, with
// the DownloadUrl and FileSize of its package. The caller holds the store lock.
func (c *call) taskDetail(sc *scopeState, t *releaseRecord) nebulaTaskDetail {
	info := taskInfo(t)
	c.s.fillProgress(&info, sc)
	detail := nebulaTaskDetail{
		nebulaTaskInfo: info,
		AppId:          t.AppID, WorkspaceId: t.WorkspaceID,
		OssPath: t.OssPath, PublishPeriod: t.PublishPeriod,
		RuleJsonList: make([]ruleJSON, 0, len(t.Rules)),
	}
	if pkg := sc.Resources[t.PackageID]; pkg != nil {
		detail.DownloadUrl = c.downloadURL(pkg)
		detail.FileSize = pkg.Item.FileSize
	}
	for _, r := range t.Rules {
		detail.RuleJsonList = append(detail.RuleJsonList, ruleJSON{RuleElement: r.RuleElement, Operation: r.Operation, Value: r.Value})
	}
	return detail
}

// cubeRule and cubeGroup are the Cube form in which the service echoes a
// task's rules in GreyConfigInfo (DESIGN.md section 6.1): operator, left =
// the values (a {lower, upper} object for a range), right = the element.
type cubeRule struct {
	Operator string `json:"operator"`
	Left     any    `json:"left"`
	Right    string `json:"right"`
}

type cubeRange struct {
	Lower string `json:"lower"`
	Upper string `json:"upper"`
}

type cubeGroup struct {
	Operator string     `json:"operator"`
	SubRules []cubeRule `json:"subRules"`
}

// cubeOperations maps the operation codes of GreyConfigInfo to the rule
// operators of mpaas.CubeRuleOperators.
var cubeOperations = map[string]string{
	strconv.Itoa(mpaas.RuleOperationContains):   mpaas.RuleContains,
	strconv.Itoa(mpaas.RuleOperationExcludes):   mpaas.RuleExcludes,
	strconv.Itoa(mpaas.RuleOperationInRange):    mpaas.RuleInRange,
	strconv.Itoa(mpaas.RuleOperationOutOfRange): mpaas.RuleOutOfRange,
}

// cubeGreyConfig echoes checked rules in the Cube form, {"operator":"and",
// "subRules":[...]}; no rules echo "".
func cubeGreyConfig(rules []ruleRecord) string {
	if len(rules) == 0 {
		return ""
	}
	group := cubeGroup{Operator: "and", SubRules: make([]cubeRule, 0, len(rules))}
	for _, r := range rules {
		operator := cubeOperations[r.Operation]
		rule := cubeRule{Operator: mpaas.CubeRuleOperators[operator], Right: r.RuleElement, Left: strings.Split(r.Value, ",")}
		if operator == mpaas.RuleInRange || operator == mpaas.RuleOutOfRange {
			lower, upper, _ := strings.Cut(r.Value, "-")
			rule.Left = cubeRange{Lower: lower, Upper: upper}
		}
		group.SubRules = append(group.SubRules, rule)
	}
	encoded, _ := json.Marshal(group) // plain strings: cannot fail
	return string(encoded)
}
