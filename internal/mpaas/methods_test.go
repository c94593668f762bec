package mpaas

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// cannedSuccess answers every action with a success carrying recognisable data.
func cannedSuccess(t *testing.T) func(int, recorded, http.ResponseWriter) {
	return func(_ int, r recorded, w http.ResponseWriter) {
		env := okEnvelope()
		var out any
		switch r.Action {
		case ActionCreateNebulaApp:
			out = CreateMcubeNebulaAppResponse{Envelope: env, CreateNebulaAppResult: okNebula()}
		case ActionDeleteNebulaApp:
			out = DeleteMcubeNebulaAppResponse{Envelope: env, DeleteMcubeNebulaAppResult: okNebula()}
		case ActionCreateNebulaResource:
			out = CreateMcubeNebulaResourceResponse{Envelope: env, CreateMcubeNebulaResourceReslult: &CreateMcubeNebulaResourceResult{NebulaResult: *okNebula(), NebulaResourceId: "4242"}}
		case ActionGetNebulaResource:
			out = GetMcubeNebulaResourceResponse{Envelope: env, GetNebulaResourceResult: &GetNebulaResourceResult{NebulaResult: *okNebula(),
				NebulaResourceInfo: &NebulaResourceInfo{Id: 4242, H5Id: "12345678", H5Version: "1.0.0.1", ResourceType: "0", FileSize: "123"}}}
		case ActionListNebulaApps:
			out = ListMcubeNebulaAppsResponse{Envelope: env, ListMcubeNebulaAppsResult: &ListMcubeNebulaAppsResult{NebulaResult: *okNebula()}}
		case ActionListNebulaResources:
			out = ListMcubeNebulaResourcesResponse{Envelope: env, ListMcubeNebulaResourceResult: &ListMcubeNebulaResourceResult{NebulaResult: *okNebula()}}
		case ActionCreateNebulaTask:
			out = CreateMcubeNebulaTaskResponse{Envelope: env, CreateMcubeNebulaTaskResult: &CreateMcubeNebulaTaskResult{NebulaResult: *okNebula(), NebulaTaskId: "77"}}
		case ActionListNebulaTasks:
			out = ListMcubeNebulaTasksResponse{Envelope: env, ListMcubeNebulaTaskResult: &ListMcubeNebulaTaskResult{NebulaResult: *okNebula(),
				NebulaTaskInfo: []NebulaTaskInfo{{Id: 77, PackageId: 4242, TaskStatus: TaskStatusActive}}}}
		case ActionGetNebulaTaskDetail:
			detail := &NebulaTaskDetail{AppId: testAppID}
			detail.Id = 77
			out = GetMcubeNebulaTaskDetailResponse{Envelope: env, GetMcubeNebulaTaskDetailResult: &GetMcubeNebulaTaskDetailResult{NebulaResult: *okNebula(), NebulaTaskDetail: detail}}
		case ActionChangeNebulaTaskStatus:
			out = ChangeMcubeNebulaTaskStatusResponse{Envelope: env, ChangeMcubeNebulaTaskStatusResult: okNebula()}
		case ActionGetFileToken:
			out = GetMcubeFileTokenResponse{Envelope: env, GetFileTokenResult: &GetFileTokenResult{Success: true,
				FileToken: &FileToken{Accessid: "AK", Dir: "mds/tempFileForOnex/x/", Expire: "1584327372", Host: "https://bucket.example.com", Policy: "cG9saWN5", Signature: "c2ln"}}}
		case ActionCreateVhost:
			out = CreateMcubeVhostResponse{Envelope: env, CreateVhostResult: &DataResult{Success: true, Data: "success"}}
		case ActionQueryVhost:
			out = QueryMcubeVhostResponse{Envelope: env, QueryVhostResult: &DataResult{Success: true, Data: "h5app.com"}}
		case ActionExistRsaKey:
			out = ExistMcubeRsaKeyResponse{Envelope: env, CheckRsaKeyResult: &DataResult{Success: true, Data: "true"}}
		case ActionUploadRsaKey:
			out = UploadMcubeRsaKeyResponse{Envelope: env, UploadRsaResult: &DataResult{Success: true, Data: "success"}}
		default:
			t.Errorf("unexpected action %s", r.Action)
			writeJSON(w, 400, GatewayError{Code: "InvalidParameter"})
			return
		}
		writeJSON(w, 200, out)
	}
}

func TestMethodsSendExactParameters(t *testing.T) {
	repeat := int32(1)
	tests := []struct {
		name   string
		action string
		call   func(c *Client) (any, error)
		want   any
		params map[string]string // exact body, besides AppId/WorkspaceId/TenantId
	}{
		{name: "CreateNebulaApp", action: ActionCreateNebulaApp,
			call: func(c *Client) (any, error) {
				return nil, c.CreateNebulaApp(context.Background(), "12345678", "My App")
			},
			params: map[string]string{"H5Id": "12345678", "H5Name": "My App"}},
		{name: "DeleteNebulaApp", action: ActionDeleteNebulaApp,
			call:   func(c *Client) (any, error) { return nil, c.DeleteNebulaApp(context.Background(), "12345678") },
			params: map[string]string{"H5Id": "12345678"}},
		{name: "CreateNebulaResource minimal", action: ActionCreateNebulaResource,
			call: func(c *Client) (any, error) {
				return c.CreateNebulaResource(context.Background(), CreateResourceInput{
					H5ID: "12345678", H5Name: "My App", H5Version: "1.0.0.1", ResourceType: ResourceTypeNormal,
					Platform: PlatformAndroid, ClientVersionMin: "10.1.68", FileURL: "https://b/k.zip", AutoInstall: 1,
				})
			},
			want: "4242",
			params: map[string]string{"H5Id": "12345678", "H5Name": "My App", "H5Version": "1.0.0.1", "ResourceType": "0",
				"Platform": "Android", "ClientVersionMin": "10.1.68", "FileUrl": "https://b/k.zip", "AutoInstall": "1",
				"InstallType": "0", "OnexFlag": "true"}},
		{name: "CreateNebulaResource full", action: ActionCreateNebulaResource,
			call: func(c *Client) (any, error) {
				return c.CreateNebulaResource(context.Background(), CreateResourceInput{
					H5ID: "12345678", H5Name: "n", H5Version: "1.0.0.2", ResourceType: ResourceTypeGlobal,
					Platform: PlatformAll, ClientVersionMin: "1", ClientVersionMax: "2", FileURL: "https://b/k.zip",
					MainURL: "/www/index.html", Vhost: "h5app.com", ExtendInfo: `{"asyncReqRate":"1800"}`,
					AutoInstall: 0, InstallType: 1, SubURL: "/sub", CustomDomainName: "cdn.example.com", RepeatNebula: &repeat,
				})
			},
			want: "4242",
			params: map[string]string{"H5Id": "12345678", "H5Name": "n", "H5Version": "1.0.0.2", "ResourceType": "1",
				"Platform": "all", "ClientVersionMin": "1", "ClientVersionMax": "2", "FileUrl": "https://b/k.zip",
				"MainUrl": "/www/index.html", "Vhost": "h5app.com", "ExtendInfo": `{"asyncReqRate":"1800"}`,
				"AutoInstall": "0", "InstallType": "1", "OnexFlag": "true", "SubUrl": "/sub",
				"CustomDomainName": "cdn.example.com", "RepeatNebula": "1"}},
		{name: "GetNebulaResource", action: ActionGetNebulaResource,
			call: func(c *Client) (any, error) {
				info, err := c.GetNebulaResource(context.Background(), "4242")
				if err != nil {
					return nil, err
				}
				return info.H5Version + "/" + info.FileSize, nil
			},
			want: "1.0.0.1/123", params: map[string]string{"Id": "4242"}},
		{name: "ListNebulaResources page", action: ActionListNebulaResources,
			call: func(c *Client) (any, error) {
				_, err := c.ListNebulaResources(context.Background(), "12345678", 2, 50)
				return nil, err
			},
			params: map[string]string{"H5Id": "12345678", "PageNum": "2", "PageSize": "50"}},
		{name: "ListNebulaApps keyword", action: ActionListNebulaApps,
			call: func(c *Client) (any, error) {
				_, err := c.ListNebulaApps(context.Background(), ListAppsInput{Keyword: "demo app", PageNum: 1})
				return nil, err
			},
			params: map[string]string{"Keyword": "demo app", "PageNum": "1"}},
		{name: "CreateNebulaTask whitelist", action: ActionCreateNebulaTask,
			call: func(c *Client) (any, error) {
				return c.CreateNebulaTask(context.Background(), CreateTaskInput{PackageID: 4242, Memo: "first release",
					PublishType: PublishTypeGrayscale, PublishMode: PublishModeWhitelist, WhitelistIDs: "1,2"})
			},
			want:   "77",
			params: map[string]string{"PackageId": "4242", "Memo": "first release", "PublishType": "2", "PublishMode": "1", "WhitelistIds": "1,2"}},
		{name: "CreateNebulaTask time window", action: ActionCreateNebulaTask,
			call: func(c *Client) (any, error) {
				return c.CreateNebulaTask(context.Background(), CreateTaskInput{PackageID: 4242, Memo: "m",
					PublishType: PublishTypeGrayscale, PublishMode: PublishModeTimeWindow, GreyEndtimeData: "2024-01-02 03:04:05",
					GreyNum: 1000, GreyConfigInfo: `[{"ruleElement":"city","operation":1,"value":"a,b"}]`, Platform: "Android", TaskName: "t"})
			},
			want: "77",
			params: map[string]string{"PackageId": "4242", "Memo": "m", "PublishType": "2", "PublishMode": "2",
				"GreyEndtimeData": "2024-01-02 03:04:05", "GreyNum": "1000", "GreyConfigInfo": `[{"ruleElement":"city","operation":1,"value":"a,b"}]`,
				"Platform": "Android", "TaskName": "t"}},
		{name: "ListNebulaTasks", action: ActionListNebulaTasks,
			call: func(c *Client) (any, error) {
				tasks, err := c.ListNebulaTasks(context.Background(), 4242)
				if err != nil {
					return nil, err
				}
				return tasks[0].Id, nil
			},
			want: int64(77), params: map[string]string{"Id": "4242"}},
		{name: "GetNebulaTaskDetail", action: ActionGetNebulaTaskDetail,
			call: func(c *Client) (any, error) {
				d, err := c.GetNebulaTaskDetail(context.Background(), 77)
				if err != nil {
					return nil, err
				}
				return d.Id, nil
			},
			want: int64(77), params: map[string]string{"TaskId": "77"}},
		{name: "ChangeNebulaTaskStatus", action: ActionChangeNebulaTaskStatus,
			call: func(c *Client) (any, error) {
				return nil, c.ChangeNebulaTaskStatus(context.Background(), "77", "4242", TaskStatusEnded)
			},
			params: map[string]string{"TaskId": "77", "PackageId": "4242", "TaskStatus": "2", "BizType": BizTypeNebula}},
		{name: "GetFileToken", action: ActionGetFileToken,
			call: func(c *Client) (any, error) {
				tok, err := c.GetFileToken(context.Background())
				if err != nil {
					return nil, err
				}
				return tok.Host + " " + tok.Dir, nil
			},
			want: "https://bucket.example.com mds/tempFileForOnex/x/", params: map[string]string{"OnexFlag": "true"}},
		{name: "CreateVhost", action: ActionCreateVhost,
			call:   func(c *Client) (any, error) { return nil, c.CreateVhost(context.Background(), "h5app.com") },
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
			if len(reqs) != 1 || reqs[0].Action != tt.action {
				t.Fatalf("requests %+v, want one %s", reqs, tt.action)
			}
			want := map[string]string{"AppId": testAppID, "WorkspaceId": testWS, "TenantId": testTenant}
			for k, v := range tt.params {
				want[k] = v
			}
			got2 := map[string]string{}
			for k, v := range reqs[0].Form {
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

func TestCreateNebulaResourceValidates(t *testing.T) {
	c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
	_, err := c.CreateNebulaResource(context.Background(), CreateResourceInput{ResourceType: ResourceTypeNormal})
	if err == nil || !strings.Contains(err.Error(), "missing H5ID, H5Version, FileURL") {
		t.Errorf("err = %v", err)
	}
	_, err = c.CreateNebulaResource(context.Background(), CreateResourceInput{H5ID: "1", H5Version: "1", FileURL: "u", ResourceType: "weird"})
	if err == nil || !strings.Contains(err.Error(), "unknown resource type") {
		t.Errorf("err = %v", err)
	}
}
