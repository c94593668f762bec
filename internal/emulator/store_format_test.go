package emulator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// testdata/state-format1.json was written by the emulator while its store
// held the client's wire structs (packages and tasks with every wire key).
// The emulator's own store records must read it and write it back with the
// same keys and values, less the keys that were never anything but empty.

func openFormat1(t *testing.T) *env {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "state-format1.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, stateFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return newEnvAt(t, dir, nil)
}

func TestStateFormat1Read(t *testing.T) {
	e := openFormat1(t)
	const pkg, task = "4294967297", "4294967297"
	var get getMcubeNebulaResourceResponse
	e.call(mpaas.ActionGetNebulaResource, e.params("Id", pkg), &get)
	expectOK(t, get.envelope, get.GetNebulaResourceResult.nebulaResult)
	info := *get.GetNebulaResourceResult.NebulaResourceInfo
	wantInfo := nebulaResourceInfo{
		Id: 4294967297, MetaId: 1, AppCode: "ONEX570DA89211721-default", H5Id: "12345678", H5Name: "demo", H5Version: "1.0.0.1",
		ResourceType: "0", Platform: "all", ClientVersionMin: "Android:10.1.0,iOS:10.2.0", InstallType: 1, AutoInstall: 1,
		MainUrl: "/www/index.html", ExtendInfo: `{"asyncReqRate":"1800"}`, FileSize: "331", Status: 1,
		Creator: "emulator", Modifier: "emulator", GmtCreate: "2024-01-01 00:00:00", GmtModified: "2024-01-01 00:00:00",
		DownloadUrl:     e.ts.URL + "/download/ONEX570DA89211721-default/12345678/1.0.0.1_all/nebula/12345678_1.0.0.1.amr",
		FallbackBaseUrl: e.ts.URL + "/download/ONEX570DA89211721-default/12345678/1.0.0.1_all/nebula/fallback/",
	}
	if info != wantInfo {
		t.Fatalf("package read from format 1:\n got %+v\nwant %+v", info, wantInfo)
	}
	var list listMcubeNebulaResourcesResponse
	e.call(mpaas.ActionListNebulaResources, e.params("H5Id", "12345678"), &list)
	if items := list.ListMcubeNebulaResourceResult.NebulaResourceInfo; len(items) != 1 || items[0].Md5 != "b1f1861c484ae376849a286dc21bfb7b" || items[0].ReleaseVersion != "1.0.0.1" {
		t.Fatalf("list read from format 1: %+v", items)
	}

	var detail getMcubeNebulaTaskDetailResponse
	e.call(mpaas.ActionGetNebulaTaskDetail, e.params("TaskId", task), &detail)
	d := detail.GetMcubeNebulaTaskDetailResult.NebulaTaskDetail
	wantRules := []ruleJSON{{RuleElement: "city", Operation: "1", Value: "Hangzhou,Beijing"}, {RuleElement: "osVersion", Operation: "3", Value: "10-12"}}
	if d == nil || d.PackageId != 4294967297 || d.PublishType != 2 || d.PublishMode != 1 || d.WhitelistIds != "7,8" || d.Memo != "first" ||
		d.AppId != "ONEX570DA89211721" || d.PublishPeriod != 1 || d.FileSize != "331" || d.OssPath == "" || !reflect.DeepEqual(d.RuleJsonList, wantRules) {
		t.Fatalf("task read from format 1: %+v", d)
	}
}

// TestStateFormat1Write rewrites the state (one more app) and compares every
// package and task with the format 1 file.
func TestStateFormat1Write(t *testing.T) {
	e := openFormat1(t)
	e.mustCreateApp("12345679", "Second")
	if err := e.srv.Close(); err != nil { // folds the journal into state.json
		t.Fatal(err)
	}
	before, after := readRecords(t, filepath.Join("testdata", "state-format1.json")), readRecords(t, filepath.Join(e.dir, stateFile))
	neverSet := map[string]bool{
		"ExtraData": true, "DownloadUrl": true, "FallbackBaseUrl": true, "Memo": true, "DebugUrl": true, "LazyLoad": true,
		"UpgradeNoticeNum": true, "UpgradeProgress": true, "SyncResult": true, "Atomic": true, "BaseInfoId": true,
		"Cronexpress": true, "FileSize": true, "FullRepair": true, "IssueDesc": true, "QuickRollback": true,
		"SourceId": true, "SourceName": true, "SourceType": true, "SyncType": true, "RuleType": true, "PublishPeriod": true,
	}
	for path, old := range before {
		key := path[strings.LastIndex(path, ".")+1:]
		got, kept := after[path]
		switch {
		case kept && got != old:
			t.Errorf("%s was %s, is now written as %s", path, old, got)
		case !kept && !(neverSet[key] && isEmptyJSON(old)):
			t.Errorf("%s (%s) is no longer written", path, old)
		}
	}
	for path := range after {
		if _, ok := before[path]; !ok && !strings.Contains(path, "/apps.12345679.") {
			t.Errorf("%s is written but was not in format 1", path)
		}
	}
}

// readRecords flattens the packages, tasks and apps of a state file to
// key path -> JSON value.
func readRecords(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Scopes map[string]map[string]json.RawMessage `json:"scopes"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for scope, sc := range doc.Scopes {
		for _, part := range []string{"apps", "resources", "tasks"} {
			flattenJSON(scope+"/"+part, sc[part], out)
		}
	}
	return out
}

func flattenJSON(path string, raw json.RawMessage, out map[string]string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil && obj != nil {
		for k, v := range obj {
			flattenJSON(path+"."+k, v, out)
		}
		return
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil && list != nil {
		for i, v := range list {
			flattenJSON(path+"["+strconv.Itoa(i)+"]", v, out)
		}
		return
	}
	out[path] = string(raw)
}

func isEmptyJSON(raw string) bool { return raw == `""` || raw == "0" }
