package mpaas

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// cannedSuccess answers every action with a success carrying recognisable data.
func cannedSuccess(t *testing.T) func(int, recorded, http.ResponseWriter) {
	return func(_ int, r recorded, w http.ResponseWriter) {
		env := okEnvelope()
		var out any
		switch r.Action {
		case ActionCreateNebulaApp:
			out = createMcubeNebulaAppResponse{responseEnvelope: env, CreateNebulaAppResult: okNebula()}
		case ActionDeleteNebulaApp:
			out = deleteMcubeNebulaAppResponse{responseEnvelope: env, DeleteMcubeNebulaAppResult: okNebula()}
		case ActionCreateNebulaResource:
			out = createMcubeNebulaResourceResponse{responseEnvelope: env, CreateMcubeNebulaResourceReslult: &createMcubeNebulaResourceResult{nebulaResult: *okNebula(), NebulaResourceId: "4242"}}
		case ActionGetNebulaResource:
			out = getMcubeNebulaResourceResponse{responseEnvelope: env, GetNebulaResourceResult: &getNebulaResourceResult{nebulaResult: *okNebula(),
				NebulaResourceInfo: &nebulaResourceInfo{Id: flexIntOf(4242), H5Id: "12345678", H5Version: "1.0.0.1", ResourceType: "0", Platform: PlatformIOS, FileSize: "123"}}}
		case ActionListNebulaApps:
			out = listMcubeNebulaAppsResponse{responseEnvelope: env, ListMcubeNebulaAppsResult: &listMcubeNebulaAppsResult{nebulaResult: *okNebula()}}
		case ActionListNebulaResources:
			out = listMcubeNebulaResourcesResponse{responseEnvelope: env, ListMcubeNebulaResourceResult: &listMcubeNebulaResourceResult{nebulaResult: *okNebula()}}
		case ActionCreateNebulaTask:
			out = createMcubeNebulaTaskResponse{responseEnvelope: env, CreateMcubeNebulaTaskResult: &createMcubeNebulaTaskResult{nebulaResult: *okNebula(), NebulaTaskId: "77"}}
		case ActionListNebulaTasks:
			out = listMcubeNebulaTasksResponse{responseEnvelope: env, ListMcubeNebulaTaskResult: &listMcubeNebulaTaskResult{nebulaResult: *okNebula(),
				NebulaTaskInfo: []nebulaTaskInfo{{Id: flexIntOf(77), PackageId: flexIntOf(4242), TaskStatus: flexIntOf(TaskStatusActive), PublishType: flexIntOf(PublishTypeOfficial)}}}}
		case ActionGetNebulaTaskDetail:
			detail := &nebulaTaskDetail{}
			detail.Id, detail.PackageId, detail.TaskStatus, detail.PublishType = flexIntOf(77), flexIntOf(4242), flexIntOf(int64(TaskStatusActive)), flexIntOf(int64(PublishTypeOfficial))
			out = getMcubeNebulaTaskDetailResponse{responseEnvelope: env, GetMcubeNebulaTaskDetailResult: &getMcubeNebulaTaskDetailResult{nebulaResult: *okNebula(), NebulaTaskDetail: detail}}
		case ActionChangeNebulaTaskStatus:
			out = changeMcubeNebulaTaskStatusResponse{responseEnvelope: env, ChangeMcubeNebulaTaskStatusResult: okNebula()}
		case ActionGetFileToken:
			out = getMcubeFileTokenResponse{responseEnvelope: env, GetFileTokenResult: &getFileTokenResult{Success: flexBoolOf(true),
				FileToken: &fileToken{Accessid: "AK", Dir: "mds/tempFileForOnex/x/", Host: "https://bucket.example.com", Policy: "cG9saWN5", Signature: "c2ln"}}}
		case ActionCreateVhost:
			out = createMcubeVhostResponse{responseEnvelope: env, CreateVhostResult: &dataResult{Success: flexBoolOf(true), Data: "success"}}
		case ActionQueryVhost:
			out = queryMcubeVhostResponse{responseEnvelope: env, QueryVhostResult: &dataResult{Success: flexBoolOf(true), Data: "h5app.com"}}
		case ActionExistRsaKey:
			out = existMcubeRsaKeyResponse{responseEnvelope: env, CheckRsaKeyResult: &dataResult{Success: flexBoolOf(true), Data: "true"}}
		case ActionUploadRsaKey:
			out = uploadMcubeRsaKeyResponse{responseEnvelope: env, UploadRsaResult: &dataResult{Success: flexBoolOf(true), Data: "success"}}
		default:
			t.Errorf("unexpected action %s", r.Action)
			writeJSON(w, 400, gatewayError{Code: "InvalidParameter"})
			return
		}
		writeJSON(w, 200, out)
	}
}

func TestMethodsSendExactParameters(t *testing.T) {
	android := Targets{Android: &VersionRange{Min: "10.1.68"}}
	both := Targets{Android: &VersionRange{Min: "1", Max: "2"}, IOS: &VersionRange{Min: "1", Max: "2"}}
	windowEnd := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		action string
		before []string // actions sent before action, in order
		after  []string // actions sent after action, in order
		call   func(c *Client) (any, error)
		want   any
		params map[string]string // exact body of action, besides AppId/WorkspaceId/TenantId
	}{
		{name: "CreateApp", action: ActionCreateNebulaApp,
			call: func(c *Client) (any, error) {
				return nil, c.CreateApp(context.Background(), "12345678", "My App")
			},
			params: map[string]string{"H5Id": "12345678", "H5Name": "My App"}},
		{name: "DeleteApp", action: ActionDeleteNebulaApp,
			call:   func(c *Client) (any, error) { return nil, c.DeleteApp(context.Background(), "12345678") },
			params: map[string]string{"H5Id": "12345678"}},
		{name: "createPackage minimal", action: ActionCreateNebulaResource,
			call: func(c *Client) (any, error) {
				return c.createPackage(context.Background(), packageSpec{
					h5AppID: "12345678", h5AppName: "My App", version: "1.0.0.1", fileURL: "https://b/k.zip",
					PackageSettings: PackageSettings{ResourceType: ResourceTypeNormal, Targets: android,
						DownloadPolicy: DownloadPolicyAllNetworks, InstallPolicy: InstallPolicyOnOpen},
				})
			},
			want: "4242",
			params: map[string]string{"H5Id": "12345678", "H5Name": "My App", "H5Version": "1.0.0.1", "ResourceType": "0",
				"Platform": "Android", "ClientVersionMin": "10.1.68", "FileUrl": "https://b/k.zip", "AutoInstall": "1",
				"InstallType": "0", "OnexFlag": "true"}},
		{name: "createPackage full", action: ActionCreateNebulaResource,
			call: func(c *Client) (any, error) {
				return c.createPackage(context.Background(), packageSpec{
					h5AppID: "12345678", h5AppName: "n", version: "1.0.0.2", fileURL: "https://b/k.zip",
					PackageSettings: PackageSettings{ResourceType: ResourceTypeGlobal, Targets: both,
						MainURL: "/www/index.html", Vhost: "h5app.com", ExtendInfo: map[string]string{"asyncReqRate": "1800"},
						DownloadPolicy: DownloadPolicyWifiOnly, InstallPolicy: InstallPolicyPreload},
				})
			},
			want: "4242",
			params: map[string]string{"H5Id": "12345678", "H5Name": "n", "H5Version": "1.0.0.2", "ResourceType": "1",
				"Platform": "all", "ClientVersionMin": "1", "ClientVersionMax": "2", "FileUrl": "https://b/k.zip",
				"MainUrl": "/www/index.html", "Vhost": "h5app.com", "ExtendInfo": `{"asyncReqRate":"1800"}`,
				"AutoInstall": "0", "InstallType": "1", "OnexFlag": "true"}},
		{name: "GetPackage", action: ActionGetNebulaResource,
			call: func(c *Client) (any, error) {
				pkg, err := c.GetPackage(context.Background(), 4242)
				if err != nil {
					return nil, err
				}
				return fmt.Sprintf("%d %s/%d %s", pkg.ID, pkg.Version, pkg.FileSize, pkg.ResourceType), nil
			},
			want: "4242 1.0.0.1/123 normal", params: map[string]string{"Id": "4242"}},
		{name: "sendListPackages", action: ActionListNebulaResources,
			call: func(c *Client) (any, error) {
				_, _, err := c.sendListPackages(context.Background(), "12345678", 2, 50)
				return nil, err
			},
			params: map[string]string{"H5Id": "12345678", "PageNum": "2", "PageSize": "50"}},
		{name: "sendListApps keyword", action: ActionListNebulaApps,
			call: func(c *Client) (any, error) {
				_, _, err := c.sendListApps(context.Background(), "demo app", 1, 0)
				return nil, err
			},
			params: map[string]string{"Keyword": "demo app", "PageNum": "1"}},
		{name: "CreateRelease whitelist", action: ActionCreateNebulaTask, before: []string{ActionListNebulaTasks}, after: []string{ActionGetNebulaTaskDetail},
			call: func(c *Client) (any, error) {
				r, err := c.CreateRelease(context.Background(), CreateReleaseInput{PackageID: 4242, Memo: "first release",
					Type: ReleaseTypeGrayscale, WhitelistIDs: []string{"1", "2"}})
				return r.ID, err
			},
			want:   int64(77),
			params: map[string]string{"PackageId": "4242", "Memo": "first release", "PublishType": "2", "PublishMode": "1", "WhitelistIds": "1,2"}},
		{name: "CreateRelease time window", action: ActionCreateNebulaTask, before: []string{ActionListNebulaTasks}, after: []string{ActionGetNebulaTaskDetail},
			call: func(c *Client) (any, error) {
				r, err := c.CreateRelease(context.Background(), CreateReleaseInput{PackageID: 4242, Memo: "m",
					Type: ReleaseTypeGrayscale, Window: &TimeWindow{End: windowEnd, MaxUsers: 1000},
					Rules: []ReleaseRule{{Element: RuleCity, Operator: RuleContains, Values: []string{"a", "b"}}}})
				return r.ID, err
			},
			want: int64(77),
			params: map[string]string{"PackageId": "4242", "Memo": "m", "PublishType": "2", "PublishMode": "2",
				// 03:04:05 UTC in the default service zone, Asia/Shanghai.
				"GreyEndtimeData": "2024-01-02 11:04:05", "GreyNum": "1000", "GreyConfigInfo": `[{"ruleElement":"city","operation":1,"value":"a,b"}]`}},
		{name: "CreateRelease official", action: ActionCreateNebulaTask, before: []string{ActionListNebulaTasks}, after: []string{ActionGetNebulaTaskDetail},
			call: func(c *Client) (any, error) {
				r, err := c.CreateRelease(context.Background(), CreateReleaseInput{PackageID: 4242, Memo: "all", Type: ReleaseTypeOfficial})
				return fmt.Sprintf("%d %s", r.ID, r.Status), err
			},
			want:   "77 active",
			params: map[string]string{"PackageId": "4242", "Memo": "all", "PublishType": "3", "PublishMode": "0"}},
		{name: "ListReleases", action: ActionListNebulaTasks,
			call: func(c *Client) (any, error) {
				releases, err := c.ListReleases(context.Background(), 4242)
				if err != nil {
					return nil, err
				}
				return fmt.Sprintf("%d %d %s", releases[0].ID, releases[0].PackageID, releases[0].Status), nil
			},
			want: "77 4242 active", params: map[string]string{"Id": "4242"}},
		{name: "GetRelease", action: ActionGetNebulaTaskDetail,
			call: func(c *Client) (any, error) {
				r, err := c.GetRelease(context.Background(), 77)
				if err != nil {
					return nil, err
				}
				return r.ID, nil
			},
			want: int64(77), params: map[string]string{"TaskId": "77"}},
		{name: "ChangeReleaseStatus", action: ActionChangeNebulaTaskStatus,
			call: func(c *Client) (any, error) {
				return nil, c.ChangeReleaseStatus(context.Background(), 77, 4242, ReleaseStatusEnded)
			},
			params: map[string]string{"TaskId": "77", "PackageId": "4242", "TaskStatus": "2", "BizType": BizTypeOfflinePackage}},
		{name: "sendGetFileToken", action: ActionGetFileToken,
			call: func(c *Client) (any, error) {
				tok, err := c.sendGetFileToken(context.Background())
				if err != nil {
					return nil, err
				}
				return string(tok.Host + " " + tok.Dir), nil
			},
			want: "https://bucket.example.com mds/tempFileForOnex/x/", params: map[string]string{"OnexFlag": "true"}},
		{name: "SetVhost", action: ActionCreateVhost,
			call:   func(c *Client) (any, error) { return nil, c.SetVhost(context.Background(), "h5app.com") },
			params: map[string]string{"Vhost": "h5app.com"}},
		{name: "QueryVhost", action: ActionQueryVhost,
			call: func(c *Client) (any, error) { return c.QueryVhost(context.Background()) },
			want: "h5app.com", params: map[string]string{}},
		{name: "ExistRsaKey", action: ActionExistRsaKey,
			call: func(c *Client) (any, error) { return c.ExistRsaKey(context.Background()) },
			want: true, params: map[string]string{}},
		{name: "UploadRsaKey", action: ActionUploadRsaKey,
			call:   func(c *Client) (any, error) { return nil, c.UploadRsaKey(context.Background(), "https://b/key.pem") },
			params: map[string]string{"FileUrl": "https://b/key.pem", "OnexFlag": "true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, cannedSuccess(t))
			c, _ := newTestClient(t, api.srv.URL)
			got, err := tt.call(c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("result %#v, want %#v", got, tt.want)
			}
			reqs := api.recorded()
			wantActions := append(append(append([]string{}, tt.before...), tt.action), tt.after...)
			if len(reqs) != len(wantActions) {
				t.Fatalf("requests %+v, want %v", reqs, wantActions)
			}
			for i, r := range reqs {
				if r.Action != wantActions[i] {
					t.Fatalf("request %d is %s, want %v", i, r.Action, wantActions)
				}
			}
			last := reqs[len(tt.before)]
			want := map[string]string{"AppId": testAppID, "WorkspaceId": testWS, "TenantId": testTenant}
			for k, v := range tt.params {
				want[k] = v
			}
			got2 := map[string]string{}
			for k, v := range last.Form {
				if len(v) != 1 {
					t.Errorf("parameter %s sent %d times", k, len(v))
				}
				got2[k] = v[0]
			}
			if !reflect.DeepEqual(got2, want) {
				t.Errorf("form\n got %v\nwant %v", got2, want)
			}
		})
	}
}

func TestPackageSpecValidates(t *testing.T) {
	_, err := packageSpec{PackageSettings: PackageSettings{ResourceType: ResourceTypeNormal}}.params()
	if err == nil || !strings.Contains(err.Error(), "missing H5 app ID, version, file URL") {
		t.Errorf("err = %v", err)
	}
	spec := packageSpec{h5AppID: "1", version: "1", fileURL: "u", PackageSettings: PackageSettings{ResourceType: "weird"}}
	if _, err = spec.params(); err == nil || !strings.Contains(err.Error(), "unknown resource type") {
		t.Errorf("err = %v", err)
	}
	spec.ResourceType = ResourceTypeNormal
	if _, err = spec.params(); err == nil || !strings.Contains(err.Error(), "at least one platform") {
		t.Errorf("err = %v", err)
	}
}
