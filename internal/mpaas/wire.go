package mpaas

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// The wire layer of the mPaaS OpenAPI 2020-10-28 (DESIGN.md section 6),
// the only place the client spells the service's names: an offline package
// is a "NebulaResource", its release a "NebulaTask". Each send* method makes
// one call of one action and returns what it answered as App, Package or
// Release (read in wire_status.go). JSON keys are PascalCase exactly as the
// service sends them, misspellings included
// (CreateMcubeNebulaResourceReslult); the structs hold only the keys the
// client reads (encoding/json skips the others). The emulator has its own
// copies, and internal/emulator/wire_golden_test.go checks that both read the
// same keys.

// responseEnvelope is the top level of every successful (HTTP 200) response.
type responseEnvelope struct {
	RequestId     string `json:"RequestId"`
	ResultCode    string `json:"ResultCode"`
	ResultMessage string `json:"ResultMessage"`
}

// resultCodeOK is the only ResultCode that means the request was accepted.
const resultCodeOK = "OK"

// nebulaResult is the status block carried by every Nebula result object.
type nebulaResult struct {
	Success   bool   `json:"Success"`
	ResultMsg string `json:"ResultMsg"`
	ErrorCode string `json:"ErrorCode"`
	RequestId string `json:"RequestId"`
}

// gatewayError is the body of a 4xx/5xx answer from the API gateway.
type gatewayError struct {
	RequestId string `json:"RequestId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
}

// dataResult is the {Data, ResultMsg, Success} shape of the vhost and key actions.
type dataResult struct {
	Data      string `json:"Data"`
	ResultMsg string `json:"ResultMsg"`
	Success   bool   `json:"Success"`
}

// ---- apps (2.2 - 2.4) ----

type createMcubeNebulaAppResponse struct {
	responseEnvelope
	CreateNebulaAppResult *nebulaResult `json:"CreateNebulaAppResult"`
}

type nebulaAppInfo struct {
	H5Id   string `json:"H5Id"`
	H5Name string `json:"H5Name"`
}

// listPaging is what a list answer says about its pages; each key may be
// absent (nil, 0), see pageAnswer.
type listPaging struct {
	HasMore    *bool  `json:"HasMore"`
	TotalCount *int64 `json:"TotalCount"`
	PageSize   int32  `json:"PageSize"`
}

type listMcubeNebulaAppsResult struct {
	nebulaResult
	listPaging
	NebulaAppInfos []nebulaAppInfo `json:"NebulaAppInfos"`
}

type listMcubeNebulaAppsResponse struct {
	responseEnvelope
	ListMcubeNebulaAppsResult *listMcubeNebulaAppsResult `json:"ListMcubeNebulaAppsResult"`
}

type deleteMcubeNebulaAppResponse struct {
	responseEnvelope
	DeleteMcubeNebulaAppResult *nebulaResult `json:"DeleteMcubeNebulaAppResult"`
}

func (c *Client) sendCreateApp(ctx context.Context, h5AppID, name string) error {
	var out createMcubeNebulaAppResponse
	return c.call(ctx, ActionCreateNebulaApp, url.Values{"H5Id": {h5AppID}, "H5Name": {name}}, &out)
}

// sendListApps returns one page of the apps matching keyword ("" for all)
// and what the answer says about further pages. Zero page numbers and sizes
// are not sent.
func (c *Client) sendListApps(ctx context.Context, keyword string, pageNum, pageSize int32) (apps []App, paging listPaging, err error) {
	params := url.Values{}
	setString(params, "Keyword", keyword)
	setPositive(params, "PageNum", pageNum)
	setPositive(params, "PageSize", pageSize)
	var out listMcubeNebulaAppsResponse
	if err := c.call(ctx, ActionListNebulaApps, params, &out); err != nil {
		return nil, listPaging{}, err
	}
	result := out.ListMcubeNebulaAppsResult
	for _, info := range result.NebulaAppInfos {
		apps = append(apps, App{H5AppID: info.H5Id, Name: info.H5Name})
	}
	return apps, result.listPaging, nil
}

func (c *Client) sendDeleteApp(ctx context.Context, h5AppID string) error {
	var out deleteMcubeNebulaAppResponse
	return c.call(ctx, ActionDeleteNebulaApp, url.Values{"H5Id": {h5AppID}}, &out)
}

// ---- packages (2.5 - 2.7) ----

type createMcubeNebulaResourceResult struct {
	nebulaResult
	NebulaResourceId string `json:"NebulaResourceId"`
}

type createMcubeNebulaResourceResponse struct {
	responseEnvelope
	// The typo "Reslult" is the real wire key.
	CreateMcubeNebulaResourceReslult *createMcubeNebulaResourceResult `json:"CreateMcubeNebulaResourceReslult"`
}

// nebulaResourceInfo is one offline package version as Get returns it.
type nebulaResourceInfo struct {
	Id               int64  `json:"Id"`
	H5Id             string `json:"H5Id"`
	H5Name           string `json:"H5Name"`
	H5Version        string `json:"H5Version"`
	ResourceType     string `json:"ResourceType"`
	Platform         string `json:"Platform"`
	ClientVersionMin string `json:"ClientVersionMin"`
	ClientVersionMax string `json:"ClientVersionMax"`
	InstallType      int32  `json:"InstallType"`
	AutoInstall      int32  `json:"AutoInstall"`
	MainUrl          string `json:"MainUrl"`
	Vhost            string `json:"Vhost"`
	ExtendInfo       string `json:"ExtendInfo"`
	DownloadUrl      string `json:"DownloadUrl"`
	FileSize         string `json:"FileSize"`
	GmtCreate        string `json:"GmtCreate"`
}

// nebulaResourceListItem is a package as List returns it: with its MD5.
type nebulaResourceListItem struct {
	nebulaResourceInfo
	Md5 string `json:"Md5"`
}

type getNebulaResourceResult struct {
	nebulaResult
	NebulaResourceInfo *nebulaResourceInfo `json:"NebulaResourceInfo"`
}

type getMcubeNebulaResourceResponse struct {
	responseEnvelope
	GetNebulaResourceResult *getNebulaResourceResult `json:"GetNebulaResourceResult"`
}

type listMcubeNebulaResourceResult struct {
	nebulaResult
	listPaging
	NebulaResourceInfo []nebulaResourceListItem `json:"NebulaResourceInfo"`
}

type listMcubeNebulaResourcesResponse struct {
	responseEnvelope
	ListMcubeNebulaResourceResult *listMcubeNebulaResourceResult `json:"ListMcubeNebulaResourceResult"`
}

// sendCreatePackage registers a package (params from packageSpec) and
// returns the ID the service answers, unparsed.
func (c *Client) sendCreatePackage(ctx context.Context, params url.Values) (string, error) {
	var out createMcubeNebulaResourceResponse
	if err := c.call(ctx, ActionCreateNebulaResource, params, &out); err != nil {
		return "", err
	}
	id := out.CreateMcubeNebulaResourceReslult.NebulaResourceId
	if id == "" {
		return "", &InvalidResponseError{Action: ActionCreateNebulaResource, HTTPStatus: 200, RequestID: out.RequestId,
			Reason: "success without a NebulaResourceId"}
	}
	return id, nil
}

// sendGetPackage returns the package, or nil when the answer holds none or
// an empty one (inferred.go, not-found signal 2).
func (c *Client) sendGetPackage(ctx context.Context, id int64) (*Package, error) {
	var out getMcubeNebulaResourceResponse
	if err := c.call(ctx, ActionGetNebulaResource, url.Values{"Id": {strconv.FormatInt(id, 10)}}, &out); err != nil {
		return nil, err
	}
	info := out.GetNebulaResourceResult.NebulaResourceInfo
	if info == nil || isZeroID(info.Id) {
		return nil, nil
	}
	pkg := info.toPackage("", c.times)
	return &pkg, nil
}

// sendListPackages returns one page of an app's packages and what the
// answer says about further pages. Zero page numbers and sizes are not sent.
func (c *Client) sendListPackages(ctx context.Context, h5AppID string, pageNum, pageSize int32) (packages []Package, paging listPaging, err error) {
	params := url.Values{}
	setString(params, "H5Id", h5AppID)
	setPositive(params, "PageNum", pageNum)
	setPositive(params, "PageSize", pageSize)
	var out listMcubeNebulaResourcesResponse
	if err := c.call(ctx, ActionListNebulaResources, params, &out); err != nil {
		return nil, listPaging{}, err
	}
	result := out.ListMcubeNebulaResourceResult
	for i := range result.NebulaResourceInfo {
		item := &result.NebulaResourceInfo[i]
		packages = append(packages, item.toPackage(item.Md5, c.times))
	}
	return packages, result.listPaging, nil
}

// ---- release tasks (2.8 - 2.11) ----

type createMcubeNebulaTaskResult struct {
	nebulaResult
	NebulaTaskId string `json:"NebulaTaskId"`
}

type createMcubeNebulaTaskResponse struct {
	responseEnvelope
	CreateMcubeNebulaTaskResult *createMcubeNebulaTaskResult `json:"CreateMcubeNebulaTaskResult"`
}

// nebulaTaskInfo is one release task as List returns it.
type nebulaTaskInfo struct {
	Id              int64  `json:"Id"`
	PackageId       int64  `json:"PackageId"`
	TaskStatus      int32  `json:"TaskStatus"`
	ReleaseVersion  string `json:"ReleaseVersion"`
	PublishType     int32  `json:"PublishType"`
	PublishMode     int32  `json:"PublishMode"`
	GreyNum         int32  `json:"GreyNum"`
	GreyConfigInfo  string `json:"GreyConfigInfo"`
	GreyEndtimeData string `json:"GreyEndtimeData"`
	WhitelistIds    string `json:"WhitelistIds"`
	Memo            string `json:"Memo"`
	GmtCreate       string `json:"GmtCreate"`
}

type listMcubeNebulaTaskResult struct {
	nebulaResult
	NebulaTaskInfo []nebulaTaskInfo `json:"NebulaTaskInfo"`
}

type listMcubeNebulaTasksResponse struct {
	responseEnvelope
	// Singular "Task" is the real wire key.
	ListMcubeNebulaTaskResult *listMcubeNebulaTaskResult `json:"ListMcubeNebulaTaskResult"`
}

// ruleJSON is one rule of a task detail's RuleJsonList.
type ruleJSON struct {
	RuleElement string `json:"RuleElement"`
	Operation   string `json:"Operation"`
	Value       string `json:"Value"`
}

// nebulaTaskDetail is one release task as GetMcubeNebulaTaskDetail returns it.
type nebulaTaskDetail struct {
	nebulaTaskInfo
	RuleJsonList []ruleJSON `json:"RuleJsonList"`
}

type getMcubeNebulaTaskDetailResult struct {
	nebulaResult
	NebulaTaskDetail *nebulaTaskDetail `json:"NebulaTaskDetail"`
}

type getMcubeNebulaTaskDetailResponse struct {
	responseEnvelope
	GetMcubeNebulaTaskDetailResult *getMcubeNebulaTaskDetailResult `json:"GetMcubeNebulaTaskDetailResult"`
}

type changeMcubeNebulaTaskStatusResponse struct {
	responseEnvelope
	ChangeMcubeNebulaTaskStatusResult *nebulaResult `json:"ChangeMcubeNebulaTaskStatusResult"`
}

// sendCreateTask creates a release task (params from CreateRelease) and
// returns its ID.
func (c *Client) sendCreateTask(ctx context.Context, params url.Values) (int64, error) {
	var out createMcubeNebulaTaskResponse
	if err := c.call(ctx, ActionCreateNebulaTask, params, &out); err != nil {
		return 0, err
	}
	raw := out.CreateMcubeNebulaTaskResult.NebulaTaskId
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, &InvalidResponseError{Action: ActionCreateNebulaTask, HTTPStatus: 200, RequestID: out.RequestId,
			Reason: fmt.Sprintf("NebulaTaskId %q is not a number", raw)}
	}
	return id, nil
}

// sendListTasks returns the release tasks of a package (no paging).
func (c *Client) sendListTasks(ctx context.Context, packageID int64) ([]Release, error) {
	var out listMcubeNebulaTasksResponse
	if err := c.call(ctx, ActionListNebulaTasks, url.Values{paramListTasksPackageID: {strconv.FormatInt(packageID, 10)}}, &out); err != nil {
		return nil, err
	}
	tasks := out.ListMcubeNebulaTaskResult.NebulaTaskInfo
	releases := make([]Release, len(tasks))
	for i := range tasks {
		releases[i] = tasks[i].toRelease(nil, c.times)
	}
	return releases, nil
}

// sendGetTask returns the task, or nil when the answer holds none or an
// empty one (inferred.go, not-found signal 2).
func (c *Client) sendGetTask(ctx context.Context, id int64) (*Release, error) {
	var out getMcubeNebulaTaskDetailResponse
	if err := c.call(ctx, ActionGetNebulaTaskDetail, url.Values{"TaskId": {strconv.FormatInt(id, 10)}}, &out); err != nil {
		return nil, err
	}
	detail := out.GetMcubeNebulaTaskDetailResult.NebulaTaskDetail
	if detail == nil || isZeroID(detail.Id) {
		return nil, nil
	}
	release := detail.toRelease(detail.RuleJsonList, c.times)
	return &release, nil
}

// sendChangeTaskStatus sets a task's status; the ids are strings on this
// action (DESIGN.md section 6).
func (c *Client) sendChangeTaskStatus(ctx context.Context, id, packageID int64, status int32) error {
	params := url.Values{
		"TaskId":    {strconv.FormatInt(id, 10)},
		"PackageId": {strconv.FormatInt(packageID, 10)},
		"BizType":   {BizTypeOfflinePackage},
	}
	setInt(params, "TaskStatus", status)
	var out changeMcubeNebulaTaskStatusResponse
	return c.call(ctx, ActionChangeNebulaTaskStatus, params, &out)
}

// ---- file token (2.12), vhost and RSA key (2.13) ----

// fileToken is an OSS POST-policy upload grant.
type fileToken struct {
	Accessid  string          `json:"Accessid"`
	Dir       string          `json:"Dir"`
	Expire    json.RawMessage `json:"Expire"` // Unix seconds, string or number (see tokenExpiry)
	Host      string          `json:"Host"`
	Policy    string          `json:"Policy"`
	Signature string          `json:"Signature"`
}

// getFileTokenResult has no ErrorCode or RequestId, unlike Nebula results.
type getFileTokenResult struct {
	Success   bool       `json:"Success"`
	ResultMsg string     `json:"ResultMsg"`
	FileToken *fileToken `json:"FileToken"`
}

type getMcubeFileTokenResponse struct {
	responseEnvelope
	GetFileTokenResult *getFileTokenResult `json:"GetFileTokenResult"`
}

type createMcubeVhostResponse struct {
	responseEnvelope
	CreateVhostResult *dataResult `json:"CreateVhostResult"`
}

type queryMcubeVhostResponse struct {
	responseEnvelope
	QueryVhostResult *dataResult `json:"QueryVhostResult"`
}

type existMcubeRsaKeyResponse struct {
	responseEnvelope
	CheckRsaKeyResult *dataResult `json:"CheckRsaKeyResult"`
}

type uploadMcubeRsaKeyResponse struct {
	responseEnvelope
	UploadRsaResult *dataResult `json:"UploadRsaResult"`
}

// sendGetFileToken asks for an upload grant (OnexFlag=true, DESIGN.md section 6).
func (c *Client) sendGetFileToken(ctx context.Context) (*fileToken, error) {
	var out getMcubeFileTokenResponse
	if err := c.call(ctx, ActionGetFileToken, url.Values{"OnexFlag": {"true"}}, &out); err != nil {
		return nil, err
	}
	token := out.GetFileTokenResult.FileToken
	if token == nil || token.Host == "" {
		return nil, &InvalidResponseError{Action: ActionGetFileToken, HTTPStatus: 200, RequestID: out.RequestId,
			Reason: "success without a FileToken host"}
	}
	return token, nil
}

func (c *Client) sendCreateVhost(ctx context.Context, domain string) error {
	var out createMcubeVhostResponse
	return c.call(ctx, ActionCreateVhost, url.Values{"Vhost": {domain}}, &out)
}

func (c *Client) sendQueryVhost(ctx context.Context) (string, error) {
	var out queryMcubeVhostResponse
	if err := c.call(ctx, ActionQueryVhost, url.Values{}, &out); err != nil {
		return "", err
	}
	return out.QueryVhostResult.Data, nil
}

// sendExistRsaKey reports whether a key is configured (Data == "true").
func (c *Client) sendExistRsaKey(ctx context.Context) (bool, error) {
	var out existMcubeRsaKeyResponse
	if err := c.call(ctx, ActionExistRsaKey, url.Values{}, &out); err != nil {
		return false, err
	}
	return out.CheckRsaKeyResult.Data == "true", nil
}

func (c *Client) sendUploadRsaKey(ctx context.Context, fileURL string) error {
	var out uploadMcubeRsaKeyResponse
	return c.call(ctx, ActionUploadRsaKey, url.Values{"FileUrl": {fileURL}, "OnexFlag": {"true"}}, &out)
}
