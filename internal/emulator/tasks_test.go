package emulator

import (
	"strconv"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func (e *env) createTask(kv ...string) createMcubeNebulaTaskResponse {
	e.t.Helper()
	var resp createMcubeNebulaTaskResponse
	e.call(mpaas.ActionCreateNebulaTask, e.params(kv...), &resp)
	return resp
}

func TestTaskRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	pkg := e.mustCreatePackage("12345678", "1.0.0.1")
	rules := `[{"ruleElement":"city","operation":1,"value":"Hangzhou,Beijing"},{"ruleElement":"osVersion","operation":"3","value1":"10","value2":"12"}]`
	resp := e.createTask("PackageId", pkg, "PublishType", "2", "PublishMode", "1", "WhitelistIds", "7,8", "Memo", "first", "GreyConfigInfo", rules)
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaTaskResult.nebulaResult)
	taskID := resp.CreateMcubeNebulaTaskResult.NebulaTaskId
	if _, err := strconv.ParseInt(taskID, 10, 64); err != nil {
		t.Fatalf("NebulaTaskId %q", taskID)
	}

	var list listMcubeNebulaTasksResponse
	e.call(mpaas.ActionListNebulaTasks, e.params("Id", pkg), &list)
	lr := list.ListMcubeNebulaTaskResult
	expectOK(t, list.envelope, lr.nebulaResult)
	if len(lr.NebulaTaskInfo) != 1 || strconv.FormatInt(lr.NebulaTaskInfo[0].Id, 10) != taskID || lr.NebulaTaskInfo[0].TaskStatus != mpaas.TaskStatusActive ||
		lr.NebulaTaskInfo[0].Memo != "first" || lr.NebulaTaskInfo[0].ReleaseVersion != "1.0.0.1" || lr.NebulaTaskInfo[0].WhitelistIds != "7,8" {
		t.Fatalf("list = %+v", lr.NebulaTaskInfo)
	}

	var detail getMcubeNebulaTaskDetailResponse
	e.call(mpaas.ActionGetNebulaTaskDetail, e.params("TaskId", taskID), &detail)
	d := detail.GetMcubeNebulaTaskDetailResult.NebulaTaskDetail
	expectOK(t, detail.envelope, detail.GetMcubeNebulaTaskDetailResult.nebulaResult)
	// The rules come back in the documented Cube form, not as sent.
	const cube = `{"operator":"and","subRules":[{"operator":"contains","left":["Hangzhou","Beijing"],"right":"city"},` +
		`{"operator":"vLimitIn","left":{"lower":"10","upper":"12"},"right":"osVersion"}]}`
	if d.AppId != "ONEX570DA89211721" || d.WorkspaceId != "default" || d.DownloadUrl == "" || d.FileSize == "" || d.GreyConfigInfo != cube ||
		lr.NebulaTaskInfo[0].GreyConfigInfo != cube {
		t.Fatalf("detail = %+v\nwant GreyConfigInfo %s in the detail and the list", d, cube)
	}
	if decoded, err := mpaas.DecodeGreyConfig(d.GreyConfigInfo); err != nil || len(decoded) != 2 || decoded[1].Operator != mpaas.RuleInRange {
		t.Fatalf("the echoed rules read back as %+v, %v", decoded, err)
	}
	want := []ruleJSON{{RuleElement: "city", Operation: "1", Value: "Hangzhou,Beijing"}, {RuleElement: "osVersion", Operation: "3", Value: "10-12"}}
	if len(d.RuleJsonList) != 2 || d.RuleJsonList[0] != want[0] || d.RuleJsonList[1] != want[1] {
		t.Fatalf("RuleJsonList = %+v", d.RuleJsonList)
	}

	change := func(status, pkgID string) changeMcubeNebulaTaskStatusResponse {
		var c changeMcubeNebulaTaskStatusResponse
		e.call(mpaas.ActionChangeNebulaTaskStatus, e.params("TaskId", taskID, "PackageId", pkgID, "TaskStatus", status, "BizType", "nebula"), &c)
		return c
	}
	c := change("3", pkg)
	expectOK(t, c.envelope, *c.ChangeMcubeNebulaTaskStatusResult)
	c = change("4", pkg)
	expectBiz(t, c.envelope, *c.ChangeMcubeNebulaTaskStatusResult, "INVALID_PARAMETER")
	c = change("1", "1")
	expectBiz(t, c.envelope, *c.ChangeMcubeNebulaTaskStatusResult, "INVALID_PARAMETER")
	c = change("2", pkg)
	expectOK(t, c.envelope, *c.ChangeMcubeNebulaTaskStatusResult)
	c = change("1", pkg)
	expectBiz(t, c.envelope, *c.ChangeMcubeNebulaTaskStatusResult, "TASK_ENDED")
	e.call(mpaas.ActionGetNebulaTaskDetail, e.params("TaskId", taskID), &detail)
	if s := detail.GetMcubeNebulaTaskDetailResult.NebulaTaskDetail.TaskStatus; s != mpaas.TaskStatusEnded {
		t.Fatalf("TaskStatus = %d", s)
	}
	var cnf changeMcubeNebulaTaskStatusResponse
	e.call(mpaas.ActionChangeNebulaTaskStatus, e.params("TaskId", "5", "PackageId", pkg, "TaskStatus", "1", "BizType", "nebula"), &cnf)
	expectBiz(t, cnf.envelope, *cnf.ChangeMcubeNebulaTaskStatusResult, "TASK_NOT_FOUND")
	e.call(mpaas.ActionChangeNebulaTaskStatus, e.params("TaskId", taskID, "PackageId", pkg, "TaskStatus", "1"), &cnf)
	expectBiz(t, cnf.envelope, *cnf.ChangeMcubeNebulaTaskStatusResult, "INVALID_PARAMETER")

	e.call(mpaas.ActionGetNebulaTaskDetail, e.params("TaskId", "12"), &detail)
	expectBiz(t, detail.envelope, detail.GetMcubeNebulaTaskDetailResult.nebulaResult, "TASK_NOT_FOUND")
	e.call(mpaas.ActionListNebulaTasks, e.params("Id", "12"), &list)
	expectBiz(t, list.envelope, list.ListMcubeNebulaTaskResult.nebulaResult, "RESOURCE_NOT_FOUND")
}

func TestTaskRules(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	pkg := e.mustCreatePackage("12345678", "1.0.0.1")
	inAnHour := e.serviceTime(e.now.Add(time.Hour))
	cases := []struct {
		name string
		kv   []string
		code string
	}{
		{"unknown package", []string{"PackageId", "42", "PublishType", "3", "PublishMode", "0"}, "RESOURCE_NOT_FOUND"},
		{"no package", []string{"PublishType", "3", "PublishMode", "0"}, "INVALID_PARAMETER"},
		{"bad publish type", []string{"PackageId", pkg, "PublishType", "1", "PublishMode", "0"}, "INVALID_PARAMETER"},
		{"bad publish mode", []string{"PackageId", pkg, "PublishType", "2", "PublishMode", "3"}, "INVALID_PARAMETER"},
		{"whitelist without ids", []string{"PackageId", pkg, "PublishType", "2", "PublishMode", "1"}, "INVALID_PARAMETER"},
		{"window without end", []string{"PackageId", pkg, "PublishType", "2", "PublishMode", "2", "GreyNum", "10"}, "INVALID_PARAMETER"},
		{"window in the past", []string{"PackageId", pkg, "PublishType", "2", "PublishMode", "2", "GreyNum", "10", "GreyEndtimeData", e.serviceTime(e.now.Add(-time.Hour))}, "INVALID_PARAMETER"},
		{"window too long", []string{"PackageId", pkg, "PublishType", "2", "PublishMode", "2", "GreyNum", "10", "GreyEndtimeData", e.serviceTime(e.now.Add(8 * 24 * time.Hour))}, "INVALID_PARAMETER"},
		{"window without users", []string{"PackageId", pkg, "PublishType", "2", "PublishMode", "2", "GreyEndtimeData", inAnHour}, "INVALID_PARAMETER"},
		{"rules not json", []string{"PackageId", pkg, "PublishType", "3", "PublishMode", "0", "GreyConfigInfo", "{"}, "INVALID_PARAMETER"},
		{"rule element unknown", []string{"PackageId", pkg, "PublishType", "3", "PublishMode", "0", "GreyConfigInfo", `[{"ruleElement":"planet","operation":1,"value":"x"}]`}, "INVALID_PARAMETER"},
		{"range on city", []string{"PackageId", pkg, "PublishType", "3", "PublishMode", "0", "GreyConfigInfo", `[{"ruleElement":"city","operation":3,"value":"x"}]`}, "INVALID_PARAMETER"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.createTask(tc.kv...)
			expectBiz(t, resp.envelope, resp.CreateMcubeNebulaTaskResult.nebulaResult, tc.code)
		})
	}
	resp := e.createTask("PackageId", pkg, "PublishType", "2", "PublishMode", "2", "GreyNum", "10", "GreyEndtimeData", inAnHour)
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaTaskResult.nebulaResult)
	resp = e.createTask("PackageId", pkg, "PublishType", "3", "PublishMode", "0", "Memo", "go")
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaTaskResult.nebulaResult)
}

func TestDeleteAppCascades(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	e.mustCreateApp("12345679", "Other")
	pkg := e.mustCreatePackage("12345678", "1.0.0.1")
	keep := e.mustCreatePackage("12345679", "1.0.0.1")
	task := e.createTask("PackageId", pkg, "PublishType", "3", "PublishMode", "0").CreateMcubeNebulaTaskResult.NebulaTaskId
	var get getMcubeNebulaResourceResponse
	e.call(mpaas.ActionGetNebulaResource, e.params("Id", pkg), &get)
	download := get.GetNebulaResourceResult.NebulaResourceInfo.DownloadUrl

	var del deleteMcubeNebulaAppResponse
	e.call(mpaas.ActionDeleteNebulaApp, e.params("H5Id", "12345678"), &del)
	expectOK(t, del.envelope, *del.DeleteMcubeNebulaAppResult)

	e.call(mpaas.ActionGetNebulaResource, e.params("Id", pkg), &get)
	expectBiz(t, get.envelope, get.GetNebulaResourceResult.nebulaResult, "RESOURCE_NOT_FOUND")
	var detail getMcubeNebulaTaskDetailResponse
	e.call(mpaas.ActionGetNebulaTaskDetail, e.params("TaskId", task), &detail)
	expectBiz(t, detail.envelope, detail.GetMcubeNebulaTaskDetailResult.nebulaResult, "TASK_NOT_FOUND")
	req := must(httpGet(download))
	if req != 404 {
		t.Fatalf("download of a deleted package: HTTP %d", req)
	}
	e.call(mpaas.ActionGetNebulaResource, e.params("Id", keep), &get)
	expectOK(t, get.envelope, get.GetNebulaResourceResult.nebulaResult)
	// The app can be created again, and takes any resource type afresh.
	e.mustCreateApp("12345678", "Demo again")
	var list listMcubeNebulaResourcesResponse
	e.call(mpaas.ActionListNebulaResources, e.params("H5Id", "12345678"), &list)
	if n := list.ListMcubeNebulaResourceResult.TotalCount; n != 0 {
		t.Fatalf("a recreated app has %d packages", n)
	}
}
