package mpaas

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The wire layer of the mPaaS OpenAPI 2020-10-28 (DESIGN.md section 6),
// the only place the client spells the service's names: an offline package
// is a "NebulaResource", its release a "NebulaTask". Each send* method makes
// one call of one action and returns what it answered as App, Package or
// Release (read in wire_status.go). JSON keys are PascalCase exactly as the
// service sends them, misspellings included
// (CreateMcubeNebulaResourceReslult); the structs hold only the keys the
// client reads (encoding/json skips the others). Every scalar is a lenient
// type of lenient.go, so a value in another JSON type than the SDK model's
// (a number as a string, a time as epoch milliseconds) is still read. The
// emulator has its own copies, and internal/emulator/wire_golden_test.go
// checks that both read the same keys.

// responseEnvelope is the top level of every successful (HTTP 200) response.
type responseEnvelope struct {
	RequestId     flexString `json:"RequestId"`
	ResultCode    flexString `json:"ResultCode"`
	ResultMessage flexString `json:"ResultMessage"`
}

// envelope is promoted to every *Response model that embeds
// responseEnvelope, so each of them has it without a method of its own
// (the response interface, wire_status.go).
func (e *responseEnvelope) envelope() *responseEnvelope { return e }

// resultCodeOK is the documented ResultCode of an accepted request (inferred.go: successResultCodes).
const resultCodeOK = "OK"

// nebulaResult is the status block carried by every Nebula result object.
type nebulaResult struct {
	Success   flexBool   `json:"Success"`
	ResultMsg flexString `json:"ResultMsg"`
	ErrorCode flexString `json:"ErrorCode"`
	RequestId flexString `json:"RequestId"`
}

// gatewayError is the body of a 4xx/5xx answer from the API gateway.
type gatewayError struct {
	RequestId flexString `json:"RequestId"`
	Code      flexString `json:"Code"`
	Message   flexString `json:"Message"`
}

// dataResult is the {Data, ResultMsg, Success} shape of the vhost and key actions.
type dataResult struct {
	Data      flexString `json:"Data"`
	ResultMsg flexString `json:"ResultMsg"`
	Success   flexBool   `json:"Success"`
}

// ---- apps (2.2 - 2.4) ----

type createMcubeNebulaAppResponse struct {
	responseEnvelope
	CreateNebulaAppResult *nebulaResult `json:"CreateNebulaAppResult"`
}

type nebulaAppInfo struct {
	H5Id   flexString `json:"H5Id"`
	H5Name flexString `json:"H5Name"`
}

// listPaging is what a list answer says about its pages; each key may be
// absent or unreadable (not set), see morePages.
type listPaging struct {
	HasMore    flexBool `json:"HasMore"`
	TotalCount flexInt  `json:"TotalCount"`
	PageSize   flexInt  `json:"PageSize"`
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
		apps = append(apps, App{H5AppID: string(info.H5Id), Name: string(info.H5Name)})
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
	NebulaResourceId flexString `json:"NebulaResourceId"`
}

type createMcubeNebulaResourceResponse struct {
	responseEnvelope
	// The typo "Reslult" is the real wire key.
	CreateMcubeNebulaResourceReslult *createMcubeNebulaResourceResult `json:"CreateMcubeNebulaResourceReslult"`
}

// nebulaResourceInfo is one offline package version as Get returns it.
type nebulaResourceInfo struct {
	Id               flexInt    `json:"Id"`
	H5Id             flexString `json:"H5Id"`
	H5Name           flexString `json:"H5Name"`
	H5Version        flexString `json:"H5Version"`
	ResourceType     flexString `json:"ResourceType"`
	Platform         flexString `json:"Platform"`
	ClientVersionMin flexString `json:"ClientVersionMin"`
	ClientVersionMax flexString `json:"ClientVersionMax"`
	InstallType      flexInt    `json:"InstallType"`
	AutoInstall      flexInt    `json:"AutoInstall"`
	MainUrl          flexString `json:"MainUrl"`
	Vhost            flexString `json:"Vhost"`
	ExtendInfo       flexString `json:"ExtendInfo"`
	DownloadUrl      flexString `json:"DownloadUrl"`
	FileSize         flexString `json:"FileSize"`
	GmtCreate        flexTime   `json:"GmtCreate"`
}

// nebulaResourceListItem is a package as List returns it: with its MD5.
type nebulaResourceListItem struct {
	nebulaResourceInfo
	Md5 flexString `json:"Md5"`
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
	id := string(out.CreateMcubeNebulaResourceReslult.NebulaResourceId)
	if id == "" {
		return "", &InvalidResponseError{Action: ActionCreateNebulaResource, HTTPStatus: 200, RequestID: string(out.RequestId),
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
	if info == nil {
		return nil, nil
	}
	if err := readableIDs(ActionGetNebulaResource, string(out.RequestId), info.Id); err != nil {
		return nil, err
	}
	if isZeroID(info.Id.int64Value()) {
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
		if err := readableIDs(ActionListNebulaResources, string(out.RequestId), item.Id); err != nil {
			return nil, listPaging{}, err
		}
		packages = append(packages, item.toPackage(string(item.Md5), c.times))
	}
	return packages, result.listPaging, nil
}

// ---- release tasks (2.8 - 2.11) ----

type createMcubeNebulaTaskResult struct {
	nebulaResult
	NebulaTaskId flexString `json:"NebulaTaskId"`
}

type createMcubeNebulaTaskResponse struct {
	responseEnvelope
	CreateMcubeNebulaTaskResult *createMcubeNebulaTaskResult `json:"CreateMcubeNebulaTaskResult"`
}

// nebulaTaskInfo is one release task as List returns it.
type nebulaTaskInfo struct {
	Id              flexInt    `json:"Id"`
	PackageId       flexInt    `json:"PackageId"`
	TaskStatus      flexInt    `json:"TaskStatus"`
	ReleaseVersion  flexString `json:"ReleaseVersion"`
	PublishType     flexInt    `json:"PublishType"`
	PublishMode     flexInt    `json:"PublishMode"`
	GreyNum         flexInt    `json:"GreyNum"`
	GreyConfigInfo  flexString `json:"GreyConfigInfo"`
	GreyEndtimeData flexTime   `json:"GreyEndtimeData"`
	WhitelistIds    flexString `json:"WhitelistIds"`
	Memo            flexString `json:"Memo"`
	GmtCreate       flexTime   `json:"GmtCreate"`
	nebulaTaskProgress
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
	RuleElement flexString `json:"RuleElement"`
	Operation   flexString `json:"Operation"`
	Value       flexString `json:"Value"`
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
// returns its ID; an answer without a numeric NebulaTaskId returns 0 and an
// *InvalidResponseError besides created = true (the task was created).
func (c *Client) sendCreateTask(ctx context.Context, params url.Values) (id int64, created bool, err error) {
	var out createMcubeNebulaTaskResponse
	if err := c.call(ctx, ActionCreateNebulaTask, params, &out); err != nil {
		return 0, false, err
	}
	raw := string(out.CreateMcubeNebulaTaskResult.NebulaTaskId)
	id, err = strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, true, &InvalidResponseError{Action: ActionCreateNebulaTask, HTTPStatus: 200, RequestID: string(out.RequestId),
			Reason: fmt.Sprintf("NebulaTaskId %q is not a task ID", raw)}
	}
	return id, true, nil
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
		if err := readableIDs(ActionListNebulaTasks, string(out.RequestId), tasks[i].Id, tasks[i].PackageId); err != nil {
			return nil, err
		}
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
	if detail == nil {
		return nil, nil
	}
	if err := readableIDs(ActionGetNebulaTaskDetail, string(out.RequestId), detail.Id, detail.PackageId); err != nil {
		return nil, err
	}
	if isZeroID(detail.Id.int64Value()) {
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
	Accessid  flexString      `json:"Accessid"`
	Dir       flexString      `json:"Dir"`
	Expire    json.RawMessage `json:"Expire"` // Unix seconds, string or number (see tokenExpiry)
	Host      flexString      `json:"Host"`
	Policy    flexString      `json:"Policy"`
	Signature flexString      `json:"Signature"`
}

// getFileTokenResult has no ErrorCode or RequestId, unlike Nebula results.
type getFileTokenResult struct {
	Success   flexBool   `json:"Success"`
	ResultMsg flexString `json:"ResultMsg"`
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
		return nil, &InvalidResponseError{Action: ActionGetFileToken, HTTPStatus: 200, RequestID: string(out.RequestId),
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
	return string(out.QueryVhostResult.Data), nil
}

// sendExistRsaKey reports whether a key is configured (Data == "true").
func (c *Client) sendExistRsaKey(ctx context.Context) (bool, error) {
	var out existMcubeRsaKeyResponse
	if err := c.call(ctx, ActionExistRsaKey, url.Values{}, &out); err != nil {
		return false, err
	}
	return strings.EqualFold(strings.TrimSpace(string(out.CheckRsaKeyResult.Data)), "true"), nil
}

func (c *Client) sendUploadRsaKey(ctx context.Context, fileURL string) error {
	var out uploadMcubeRsaKeyResponse
	return c.call(ctx, ActionUploadRsaKey, url.Values{"FileUrl": {fileURL}, "OnexFlag": {"true"}}, &out)
}
