package emulator

// The emulator's own wire shapes of the mPaaS OpenAPI 2020-10-28 answers
// (DESIGN.md section 6). They deliberately share nothing with the client's
// models in internal/mpaas: every JSON key is written out here, so a wrong key
// on either side shows up as a disagreement instead of passing on both.
// Keys are PascalCase exactly as the service sends them, its misspellings
// included (CreateMcubeNebulaResourceReslult, ListMcubeNebulaTaskResult,
// Accessid). testdata/wire/<Action>.json pins every key (wire_golden_test.go).
// Go field names repeat the keys, so that the two are checked at a glance.

// envelope is the top level of every successful (HTTP 200) answer.
type envelope struct {
	RequestId     string `json:"RequestId"`
	ResultCode    string `json:"ResultCode"`
	ResultMessage string `json:"ResultMessage"`
}

// resultCodeOK is the envelope's ResultCode of an accepted request.
const resultCodeOK = "OK"

// nebulaResult is the status block of every Nebula result object.
type nebulaResult struct {
	Success   bool   `json:"Success"`
	ResultMsg string `json:"ResultMsg"`
	ErrorCode string `json:"ErrorCode"`
	RequestId string `json:"RequestId"`
}

// gatewayErrorBody is the body of a 4xx/5xx answer of the API gateway
// (DESIGN.md section 6). The gateway's own throttling and server errors carry no
// Recommend (faults.go).
type gatewayErrorBody struct {
	RequestId string `json:"RequestId"`
	HostId    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend,omitempty"`
}

// ---- apps (2.2 - 2.4) ----

type createMcubeNebulaAppResponse struct {
	envelope
	CreateNebulaAppResult *nebulaResult `json:"CreateNebulaAppResult"`
}

type nebulaAppInfo struct {
	H5Id   string `json:"H5Id"`
	H5Name string `json:"H5Name"`
}

// ListPaging is the paging block of a list answer; Quirks.OmitPaging leaves
// it out (nil). It is exported only because encoding/json cannot decode into
// an embedded pointer to an unexported struct.
type ListPaging struct {
	CurrentPage int32 `json:"CurrentPage"`
	PageSize    int32 `json:"PageSize"`
	TotalCount  int64 `json:"TotalCount"`
	HasMore     bool  `json:"HasMore"`
}

type listMcubeNebulaAppsResult struct {
	nebulaResult
	*ListPaging
	NebulaAppInfos []nebulaAppInfo `json:"NebulaAppInfos"`
}

type listMcubeNebulaAppsResponse struct {
	envelope
	ListMcubeNebulaAppsResult *listMcubeNebulaAppsResult `json:"ListMcubeNebulaAppsResult"`
}

type deleteMcubeNebulaAppResponse struct {
	envelope
	DeleteMcubeNebulaAppResult *nebulaResult `json:"DeleteMcubeNebulaAppResult"`
}

// ---- resources (2.5 - 2.7) ----

type createMcubeNebulaResourceResult struct {
	nebulaResult
	NebulaResourceId string `json:"NebulaResourceId"`
}

type createMcubeNebulaResourceResponse struct {
	envelope
	// "Reslult" is the service's spelling.
	CreateMcubeNebulaResourceReslult *createMcubeNebulaResourceResult `json:"CreateMcubeNebulaResourceReslult"`
}

// nebulaResourceInfo is one package version as GetMcubeNebulaResource answers it.
type nebulaResourceInfo struct {
	Id               int64  `json:"Id"`
	MetaId           int64  `json:"MetaId"`
	AppCode          string `json:"AppCode"`
	H5Id             string `json:"H5Id"`
	H5Name           string `json:"H5Name"`
	H5Version        string `json:"H5Version"`
	ResourceType     string `json:"ResourceType"`
	PackageType      int32  `json:"PackageType"`
	Platform         string `json:"Platform"`
	ClientVersionMin string `json:"ClientVersionMin"`
	ClientVersionMax string `json:"ClientVersionMax"`
	InstallType      int32  `json:"InstallType"`
	AutoInstall      int32  `json:"AutoInstall"`
	MainUrl          string `json:"MainUrl"`
	Vhost            string `json:"Vhost"`
	ExtendInfo       string `json:"ExtendInfo"`
	ExtraData        string `json:"ExtraData"`
	DownloadUrl      string `json:"DownloadUrl"`
	FallbackBaseUrl  string `json:"FallbackBaseUrl"`
	FileSize         string `json:"FileSize"`
	Status           int32  `json:"Status"`
	PublishPeriod    int32  `json:"PublishPeriod"`
	Memo             string `json:"Memo"`
	Creator          string `json:"Creator"`
	Modifier         string `json:"Modifier"`
	GmtCreate        string `json:"GmtCreate"`
	GmtModified      string `json:"GmtModified"`
}

// nebulaResourceListItem is a package as ListMcubeNebulaResources answers it.
type nebulaResourceListItem struct {
	nebulaResourceInfo
	DebugUrl       string `json:"DebugUrl"`
	LazyLoad       int32  `json:"LazyLoad"`
	Md5            string `json:"Md5"`
	ReleaseVersion string `json:"ReleaseVersion"`
}

type getNebulaResourceResult struct {
	nebulaResult
	NebulaResourceInfo *nebulaResourceInfo `json:"NebulaResourceInfo"`
}

type getMcubeNebulaResourceResponse struct {
	envelope
	GetNebulaResourceResult *getNebulaResourceResult `json:"GetNebulaResourceResult"`
}

type listMcubeNebulaResourceResult struct {
	nebulaResult
	*ListPaging
	NebulaResourceInfo []nebulaResourceListItem `json:"NebulaResourceInfo"`
}

type listMcubeNebulaResourcesResponse struct {
	envelope
	// Singular "Resource" is the service's spelling.
	ListMcubeNebulaResourceResult *listMcubeNebulaResourceResult `json:"ListMcubeNebulaResourceResult"`
}

// ---- tasks (2.8 - 2.11) ----

type createMcubeNebulaTaskResult struct {
	nebulaResult
	NebulaTaskId string `json:"NebulaTaskId"`
}

type createMcubeNebulaTaskResponse struct {
	envelope
	CreateMcubeNebulaTaskResult *createMcubeNebulaTaskResult `json:"CreateMcubeNebulaTaskResult"`
}

// nebulaTaskInfo is one release task as ListMcubeNebulaTasks answers it.
type nebulaTaskInfo struct {
	Id               int64  `json:"Id"`
	PackageId        int64  `json:"PackageId"`
	AppCode          string `json:"AppCode"`
	BizType          string `json:"BizType"`
	TaskName         string `json:"TaskName"`
	TaskType         int32  `json:"TaskType"`
	TaskStatus       int32  `json:"TaskStatus"`
	Status           int32  `json:"Status"`
	TaskVersion      int64  `json:"TaskVersion"`
	ReleaseVersion   string `json:"ReleaseVersion"`
	PublishType      int32  `json:"PublishType"`
	PublishMode      int32  `json:"PublishMode"`
	Platform         string `json:"Platform"`
	ProductId        string `json:"ProductId"`
	ProductVersion   string `json:"ProductVersion"`
	Percent          int32  `json:"Percent"`
	GreyNum          int32  `json:"GreyNum"`
	GreyUrl          string `json:"GreyUrl"`
	GreyConfigInfo   string `json:"GreyConfigInfo"`
	GreyEndtime      string `json:"GreyEndtime"`
	GreyEndtimeData  string `json:"GreyEndtimeData"`
	GreyEndtimeStr   string `json:"GreyEndtimeStr"`
	WhitelistIds     string `json:"WhitelistIds"`
	UpgradeNoticeNum int64  `json:"UpgradeNoticeNum"`
	UpgradeProgress  string `json:"UpgradeProgress"`
	SyncResult       string `json:"SyncResult"`
	Memo             string `json:"Memo"`
	Creator          string `json:"Creator"`
	Modifier         string `json:"Modifier"`
	GmtCreate        string `json:"GmtCreate"`
	GmtModified      string `json:"GmtModified"`
	GmtModifiedStr   string `json:"GmtModifiedStr"`
}

type listMcubeNebulaTaskResult struct {
	nebulaResult
	NebulaTaskInfo []nebulaTaskInfo `json:"NebulaTaskInfo"`
}

type listMcubeNebulaTasksResponse struct {
	envelope
	// Singular "Task" is the service's spelling.
	ListMcubeNebulaTaskResult *listMcubeNebulaTaskResult `json:"ListMcubeNebulaTaskResult"`
}

// ruleJSON is one grayscale rule in a task detail's RuleJsonList.
type ruleJSON struct {
	RuleElement string `json:"RuleElement"`
	Operation   string `json:"Operation"`
	RuleType    string `json:"RuleType"`
	Value       string `json:"Value"`
}

// nebulaTaskDetail is one release task as GetMcubeNebulaTaskDetail answers it.
type nebulaTaskDetail struct {
	nebulaTaskInfo
	AppId         string     `json:"AppId"`
	WorkspaceId   string     `json:"WorkspaceId"`
	Atomic        int32      `json:"Atomic"`
	BaseInfoId    int64      `json:"BaseInfoId"`
	Cronexpress   int32      `json:"Cronexpress"`
	DownloadUrl   string     `json:"DownloadUrl"`
	ExtraData     string     `json:"ExtraData"`
	FileSize      string     `json:"FileSize"`
	FullRepair    int32      `json:"FullRepair"`
	IssueDesc     string     `json:"IssueDesc"`
	OssPath       string     `json:"OssPath"`
	PublishPeriod int32      `json:"PublishPeriod"`
	QuickRollback int32      `json:"QuickRollback"`
	SourceId      string     `json:"SourceId"`
	SourceName    string     `json:"SourceName"`
	SourceType    string     `json:"SourceType"`
	SyncType      int32      `json:"SyncType"`
	RuleJsonList  []ruleJSON `json:"RuleJsonList"`
}

type getMcubeNebulaTaskDetailResult struct {
	nebulaResult
	NebulaTaskDetail *nebulaTaskDetail `json:"NebulaTaskDetail"`
}

type getMcubeNebulaTaskDetailResponse struct {
	envelope
	GetMcubeNebulaTaskDetailResult *getMcubeNebulaTaskDetailResult `json:"GetMcubeNebulaTaskDetailResult"`
}

type changeMcubeNebulaTaskStatusResponse struct {
	envelope
	ChangeMcubeNebulaTaskStatusResult *nebulaResult `json:"ChangeMcubeNebulaTaskStatusResult"`
}

// ---- file token (2.12) ----

// fileToken is the OSS POST-policy upload grant.
type fileToken struct {
	Accessid  string `json:"Accessid"`
	Dir       string `json:"Dir"`
	Expire    string `json:"Expire"`
	Host      string `json:"Host"`
	Policy    string `json:"Policy"`
	Signature string `json:"Signature"`
}

// getFileTokenResult has no ErrorCode or RequestId, unlike the Nebula results.
type getFileTokenResult struct {
	Success   bool       `json:"Success"`
	ResultMsg string     `json:"ResultMsg"`
	FileToken *fileToken `json:"FileToken"`
}

type getMcubeFileTokenResponse struct {
	envelope
	GetFileTokenResult *getFileTokenResult `json:"GetFileTokenResult"`
}

// ---- vhost and RSA key (2.13) ----

// dataResult is the {Data, ResultMsg, Success} result of the vhost and key actions.
type dataResult struct {
	Data      string `json:"Data"`
	ResultMsg string `json:"ResultMsg"`
	Success   bool   `json:"Success"`
}

type createMcubeVhostResponse struct {
	envelope
	CreateVhostResult *dataResult `json:"CreateVhostResult"`
}

type queryMcubeVhostResponse struct {
	envelope
	QueryVhostResult *dataResult `json:"QueryVhostResult"`
}

type existMcubeRsaKeyResponse struct {
	envelope
	CheckRsaKeyResult *dataResult `json:"CheckRsaKeyResult"`
}

type uploadMcubeRsaKeyResponse struct {
	envelope
	UploadRsaResult *dataResult `json:"UploadRsaResult"`
}
