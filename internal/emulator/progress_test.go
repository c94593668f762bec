package emulator

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// A task's progress fields count the clients the delivery endpoint gave its
// package: each user once, each anonymous check as a new client; Percent is
// the share of the grayscale audience (the whitelist's members), 100 for an
// official release.
func TestTaskProgressCountsNotifiedClients(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Progress")
	official := e.mustCreatePackage("12345678", "1.0.0.1")
	gray := e.mustCreatePackage("12345678", "1.0.0.2")
	officialTask := e.createTask("PackageId", official, "PublishType", "3", "PublishMode", "0", "Memo", "everyone").CreateMcubeNebulaTaskResult.NebulaTaskId
	testers := e.mustCreateWhitelist("testers", "normal", "alice", "bob", "carol", "dave")
	grayTask := e.createTask("PackageId", gray, "PublishType", "2", "PublishMode", "1", "WhitelistIds", testers,
		"Memo", "testers").CreateMcubeNebulaTaskResult.NebulaTaskId
	progress := func(taskID string) nebulaTaskInfo {
		t.Helper()
		var detail getMcubeNebulaTaskDetailResponse
		e.call(mpaas.ActionGetNebulaTaskDetail, e.params("TaskId", taskID), &detail)
		expectOK(t, detail.envelope, detail.GetMcubeNebulaTaskDetailResult.nebulaResult)
		return detail.GetMcubeNebulaTaskDetailResult.NebulaTaskDetail.nebulaTaskInfo
	}
	if p := progress(grayTask); p.UpgradeNoticeNum != 0 || p.Percent != 0 || p.UpgradeProgress != "0/4" {
		t.Fatalf("before any check: %+v", p)
	}
	for _, user := range []string{"alice", "alice", "bob", "zoe", ""} {
		query := url.Values{"platform": {"android"}, "client_version": {"10.1.0"}}
		if user != "" {
			query.Set("user_id", user)
		}
		if status, _, body := e.delivery(query); status != http.StatusOK {
			t.Fatalf("delivery for %q: HTTP %d: %s", user, status, body)
		}
	}
	if p := progress(grayTask); p.UpgradeNoticeNum != 2 || p.Percent != 50 || p.UpgradeProgress != "2/4" {
		t.Fatalf("after alice (twice) and bob: %+v, want 2 notified, 50%%, 2/4", p)
	}
	// zoe and the anonymous client are outside the whitelist: they got the official version.
	if p := progress(officialTask); p.UpgradeNoticeNum != 2 || p.Percent != 100 || p.UpgradeProgress != "2" {
		t.Fatalf("official: %+v, want 2 notified, 100%%", p)
	}
	var list listMcubeNebulaTasksResponse
	e.call(mpaas.ActionListNebulaTasks, e.params("Id", gray), &list)
	if items := list.ListMcubeNebulaTaskResult.NebulaTaskInfo; len(items) != 1 || items[0].UpgradeNoticeNum != 2 || items[0].Percent != 50 {
		t.Fatalf("the list answers other progress: %+v", items)
	}
}
