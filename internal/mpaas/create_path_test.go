package mpaas

import (
	"context"
	"net/http"
	"slices"
	"testing"
)

// The answers a fake API gives on the release create path.
type taskScript struct {
	createID     string           // NebulaTaskId of the create's answer
	detailMisses int              // detail answers TASK_NOT_FOUND this many times first
	listed       []nebulaTaskInfo // the task list once the create was sent
	detail       nebulaTaskInfo   // the detail once found
}

func (s *taskScript) handler(t *testing.T) func(int, recorded, http.ResponseWriter) {
	misses := 0
	created := false
	return func(_ int, r recorded, w http.ResponseWriter) {
		env := okEnvelope()
		switch r.Action {
		case ActionListNebulaTasks:
			var tasks []nebulaTaskInfo
			if created {
				tasks = s.listed
			}
			writeJSON(w, 200, listMcubeNebulaTasksResponse{responseEnvelope: env,
				ListMcubeNebulaTaskResult: &listMcubeNebulaTaskResult{nebulaResult: *okNebula(), NebulaTaskInfo: tasks}})
		case ActionCreateNebulaTask:
			created = true
			writeJSON(w, 200, createMcubeNebulaTaskResponse{responseEnvelope: env,
				CreateMcubeNebulaTaskResult: &createMcubeNebulaTaskResult{nebulaResult: *okNebula(), NebulaTaskId: flexString(s.createID)}})
		case ActionGetNebulaTaskDetail:
			if misses < s.detailMisses {
				misses++
				writeJSON(w, 200, getMcubeNebulaTaskDetailResponse{responseEnvelope: env, GetMcubeNebulaTaskDetailResult: &getMcubeNebulaTaskDetailResult{
					nebulaResult: nebulaResult{Success: flexBoolOf(false), ErrorCode: CodeTaskNotFound, ResultMsg: "no such task"}}})
				return
			}
			detail := &nebulaTaskDetail{nebulaTaskInfo: s.detail}
			detail.UpgradeNoticeNum = flexIntOf(12)
			writeJSON(w, 200, getMcubeNebulaTaskDetailResponse{responseEnvelope: env,
				GetMcubeNebulaTaskDetailResult: &getMcubeNebulaTaskDetailResult{nebulaResult: *okNebula(), NebulaTaskDetail: detail}})
		default:
			t.Errorf("unexpected action %s", r.Action)
		}
	}
}

func actionsOf(reqs []recorded) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Action
	}
	return out
}

// A release is read back by the ID its create answered; the package's
// task list is consulted only when that fails: an answer without an ID
// (the new task is the one not listed before, with the memo sent), or a
// detail that does not find the task yet (read again with a wait, and
// found in the list).
func TestCreateReleaseReadsBackByTaskID(t *testing.T) {
	task := nebulaTaskInfo{Id: flexIntOf(77), PackageId: flexIntOf(4242), Memo: "canary", TaskStatus: flexIntOf(TaskStatusActive), PublishType: flexIntOf(PublishTypeOfficial), PublishMode: flexIntOf(PublishModeOfficial)}
	in := CreateReleaseInput{PackageID: 4242, Memo: "canary", Type: ReleaseTypeOfficial}
	tests := []struct {
		name       string
		script     taskScript
		want       []string
		wantNotice int64 // 12 when read from the detail, 0 from the list
		waits      int
	}{
		{"by the answered ID", taskScript{createID: "77", listed: []nebulaTaskInfo{task}},
			[]string{ActionListNebulaTasks, ActionCreateNebulaTask, ActionGetNebulaTaskDetail}, 12, 0},
		{"no ID in the answer: the new task of the list", taskScript{createID: "", listed: []nebulaTaskInfo{task}},
			[]string{ActionListNebulaTasks, ActionCreateNebulaTask, ActionListNebulaTasks, ActionGetNebulaTaskDetail}, 12, 0},
		{"detail lagging: the list by ID", taskScript{createID: "77", detailMisses: 5, listed: []nebulaTaskInfo{task}},
			[]string{ActionListNebulaTasks, ActionCreateNebulaTask, ActionGetNebulaTaskDetail, ActionListNebulaTasks}, 0, 0},
		{"detail and list lagging: asked again after a wait", taskScript{createID: "77", detailMisses: 1},
			[]string{ActionListNebulaTasks, ActionCreateNebulaTask, ActionGetNebulaTaskDetail, ActionListNebulaTasks, ActionGetNebulaTaskDetail}, 12, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.script.detail = task
			api := newFakeAPI(t, tt.script.handler(t))
			c, sleeps := newTestClient(t, api.srv.URL)
			got, err := c.CreateRelease(context.Background(), in)
			if err != nil || got.ID != 77 || got.Status != ReleaseStatusActive || got.Progress.UpgradeNoticeNum != tt.wantNotice {
				t.Fatalf("CreateRelease = %+v, %v", got, err)
			}
			if actions := actionsOf(api.recorded()); !slices.Equal(actions, tt.want) {
				t.Fatalf("actions %v, want %v", actions, tt.want)
			}
			if n := len(sleeps.all()); n != tt.waits {
				t.Fatalf("%d waits (%v), want %d", n, sleeps.all(), tt.waits)
			}
		})
	}
}

// An answer is accepted with any documented success code (OK, 100) or
// none, when its result object says Success; any other code, or a gateway
// error delivered with HTTP 200, is a failure.
func TestSuccessResultCodes(t *testing.T) {
	for _, tt := range []struct {
		body     string
		wantCode string // "" for success
	}{
		{`{"RequestId":"R","ResultCode":"OK","CreateNebulaAppResult":{"Success":true}}`, ""},
		{`{"RequestId":"R","ResultCode":"100","CreateNebulaAppResult":{"Success":true}}`, ""},
		{`{"RequestId":"R","CreateNebulaAppResult":{"Success":true}}`, ""},
		{`{"RequestId":"R","ResultCode":"100","CreateNebulaAppResult":{"Success":false,"ErrorCode":"H5ID_EXISTS"}}`, "H5ID_EXISTS"},
		{`{"RequestId":"R","ResultCode":"SYSTEM_ERROR","ResultMessage":"x","CreateNebulaAppResult":{"Success":true}}`, "SYSTEM_ERROR"},
		{`{"RequestId":"R","Code":"Forbidden.RAM","Message":"no"}`, "Forbidden.RAM"},
	} {
		api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(tt.body))
		})
		c, _ := newTestClient(t, api.srv.URL)
		err := c.sendCreateApp(context.Background(), "12345678", "x")
		if got := ErrorCode(err); got != tt.wantCode || (tt.wantCode == "") != (err == nil) {
			t.Errorf("%s: error %v (code %q), want code %q", tt.body, err, got, tt.wantCode)
		}
	}
}

// Platform is read back from "all" and from the comma lists sibling
// actions write, in any case and order; anything else is an error.
func TestDecodeTargetsPlatformForms(t *testing.T) {
	both := Targets{Android: &VersionRange{Min: "10.1.0", Max: "11"}, IOS: &VersionRange{Min: "10.2.0", Max: "11"}}
	for _, platform := range []string{"all", "ALL", "iOS,Android", "Android,iOS", "android, ios"} {
		got, err := DecodeTargets(platform, "Android:10.1.0,iOS:10.2.0", "11")
		if err != nil || !got.Equal(both) {
			t.Errorf("DecodeTargets(%q) = %+v, %v; want both platforms", platform, got, err)
		}
	}
	if got, err := DecodeTargets("Android", "10.1.0", ""); err != nil || got.IOS != nil || got.Android == nil || got.Android.Min != "10.1.0" {
		t.Errorf("DecodeTargets(Android) = %+v, %v", got, err)
	}
	for _, platform := range []string{"web", "Android,web", "Android,Android", ""} {
		if _, err := DecodeTargets(platform, "1", ""); err == nil {
			t.Errorf("DecodeTargets(%q) read a platform list it should refuse", platform)
		}
	}
}

// After an ambiguous create and a refused resend, a list that shows the
// version held by other content settles it at once (another writer took
// it): no wait for a lagging list, the next version is taken.
func TestCreatePackageTakenByAnotherWriterNoWait(t *testing.T) {
	creates, lists := 0, 0
	api := newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
		env := okEnvelope()
		switch r.Action {
		case ActionListNebulaResources:
			lists++
			var items []nebulaResourceListItem
			if lists > 1 { // another writer registered 0.0.0.1 meanwhile
				items = []nebulaResourceListItem{{Md5: "ffffffffffffffffffffffffffffffff", nebulaResourceInfo: nebulaResourceInfo{
					Id: flexIntOf(1), H5Id: "12345678", H5Version: "0.0.0.1", ResourceType: "0", Platform: PlatformAndroid, ClientVersionMin: "1", FileSize: "9"}}}
			}
			writeJSON(w, 200, listMcubeNebulaResourcesResponse{responseEnvelope: env, ListMcubeNebulaResourceResult: &listMcubeNebulaResourceResult{
				nebulaResult: *okNebula(), NebulaResourceInfo: items}})
		case ActionCreateNebulaResource:
			creates++
			switch creates {
			case 1:
				writeJSON(w, http.StatusInternalServerError, gatewayError{Code: "InternalError", Message: "lost", RequestId: "R500"})
			case 2:
				writeJSON(w, 200, createMcubeNebulaResourceResponse{responseEnvelope: env, CreateMcubeNebulaResourceReslult: &createMcubeNebulaResourceResult{
					nebulaResult: nebulaResult{Success: flexBoolOf(false), ErrorCode: CodeVersionExists, ResultMsg: "version exists"}}})
			default:
				writeJSON(w, 200, createMcubeNebulaResourceResponse{responseEnvelope: env, CreateMcubeNebulaResourceReslult: &createMcubeNebulaResourceResult{
					nebulaResult: *okNebula(), NebulaResourceId: "2"}})
			}
		case ActionGetNebulaResource:
			writeJSON(w, 200, getMcubeNebulaResourceResponse{responseEnvelope: env, GetNebulaResourceResult: &getNebulaResourceResult{nebulaResult: *okNebula(),
				NebulaResourceInfo: &nebulaResourceInfo{Id: flexIntOf(2), H5Id: "12345678", H5Version: "0.0.0.2", ResourceType: "0", Platform: PlatformAndroid,
					ClientVersionMin: "1", FileSize: "5"}}})
		default:
			t.Errorf("unexpected action %s", r.Action)
		}
	})
	c, sleeps := newTestClient(t, api.srv.URL)
	content := NewContent(5, func() (int64, string, error) { return 5, "00000000000000000000000000000000", nil })
	pkg, _, err := c.CreatePackage(context.Background(), CreatePackageInput{H5AppID: "12345678", FileURL: "https://b/x.zip", Content: content,
		PackageSettings: PackageSettings{ResourceType: ResourceTypeNormal, Targets: Targets{Android: &VersionRange{Min: "1"}},
			DownloadPolicy: DownloadPolicyWifiOnly, InstallPolicy: InstallPolicyOnOpen}})
	if err != nil || pkg.Version != "0.0.0.2" || creates != 3 {
		t.Fatalf("CreatePackage = %+v, %v after %d creates; want 0.0.0.2 on the third", pkg, err, creates)
	}
	for _, d := range sleeps.all() {
		if d >= listingLagFirstWait {
			t.Fatalf("waits %v: the list was waited for although it showed the version taken", sleeps.all())
		}
	}
}
