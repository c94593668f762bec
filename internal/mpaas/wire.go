package mpaas

// Wire models of the mPaaS OpenAPI 2020-10-28 (mpaas-api.md section 2).
// JSON keys are PascalCase exactly as the service sends them, misspellings
// included (CreateMcubeNebulaResourceReslult). The emulator encodes these same
// structs, so a key that is wrong here is wrong on both sides: models_test.go
// pins every result key against the reference.

// Envelope is the top level of every successful (HTTP 200) response.
type Envelope struct {
	RequestId     string `json:"RequestId"`
	ResultCode    string `json:"ResultCode"`
	ResultMessage string `json:"ResultMessage"`
}

// ResultCodeOK is the only ResultCode that means the request was accepted.
const ResultCodeOK = "OK"

// NebulaResult is the status block carried by every Nebula result object.
type NebulaResult struct {
	Success   bool   `json:"Success"`
	ResultMsg string `json:"ResultMsg"`
	ErrorCode string `json:"ErrorCode"`
	RequestId string `json:"RequestId"`
}

// GatewayError is the body of a 4xx/5xx answer from the API gateway.
type GatewayError struct {
	RequestId string `json:"RequestId"`
	HostId    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend,omitempty"`
}

// ---- apps (2.2 - 2.4) ----

type CreateMcubeNebulaAppResponse struct {
	Envelope
	CreateNebulaAppResult *NebulaResult `json:"CreateNebulaAppResult"`
}

type NebulaAppInfo struct {
	H5Id   string `json:"H5Id"`
	H5Name string `json:"H5Name"`
}

type ListMcubeNebulaAppsResult struct {
	NebulaResult
	CurrentPage    int32           `json:"CurrentPage"`
	PageSize       int32           `json:"PageSize"`
	TotalCount     int64           `json:"TotalCount"`
	HasMore        bool            `json:"HasMore"`
	NebulaAppInfos []NebulaAppInfo `json:"NebulaAppInfos"`
}

type ListMcubeNebulaAppsResponse struct {
	Envelope
	ListMcubeNebulaAppsResult *ListMcubeNebulaAppsResult `json:"ListMcubeNebulaAppsResult"`
}

type DeleteMcubeNebulaAppResponse struct {
	Envelope
	DeleteMcubeNebulaAppResult *NebulaResult `json:"DeleteMcubeNebulaAppResult"`
}

// ---- resources (2.5 - 2.7) ----

type CreateMcubeNebulaResourceResult struct {
	NebulaResult
	NebulaResourceId string `json:"NebulaResourceId"`
}

type CreateMcubeNebulaResourceResponse struct {
	Envelope
	// The typo "Reslult" is the real wire key.
	CreateMcubeNebulaResourceReslult *CreateMcubeNebulaResourceResult `json:"CreateMcubeNebulaResourceReslult"`
}

// NebulaResourceInfo is one offline package version as Get returns it.
type NebulaResourceInfo struct {
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

// NebulaResourceListItem is a package as List returns it: more fields than Get.
type NebulaResourceListItem struct {
	NebulaResourceInfo
	DebugUrl       string `json:"DebugUrl"`
	LazyLoad       int32  `json:"LazyLoad"`
	Md5            string `json:"Md5"`
	ReleaseVersion string `json:"ReleaseVersion"`
}

type GetNebulaResourceResult struct {
	NebulaResult
	NebulaResourceInfo *NebulaResourceInfo `json:"NebulaResourceInfo"`
}

type GetMcubeNebulaResourceResponse struct {
	Envelope
	GetNebulaResourceResult *GetNebulaResourceResult `json:"GetNebulaResourceResult"`
}

type ListMcubeNebulaResourceResult struct {
	NebulaResult
	CurrentPage        int32                    `json:"CurrentPage"`
	PageSize           int32                    `json:"PageSize"`
	TotalCount         int64                    `json:"TotalCount"`
	HasMore            bool                     `json:"HasMore"`
	NebulaResourceInfo []NebulaResourceListItem `json:"NebulaResourceInfo"`
}

type ListMcubeNebulaResourcesResponse struct {
	Envelope
	ListMcubeNebulaResourceResult *ListMcubeNebulaResourceResult `json:"ListMcubeNebulaResourceResult"`
}

// ---- tasks (2.8 - 2.11) ----

type CreateMcubeNebulaTaskResult struct {
	NebulaResult
	NebulaTaskId string `json:"NebulaTaskId"`
}

type CreateMcubeNebulaTaskResponse struct {
	Envelope
	CreateMcubeNebulaTaskResult *CreateMcubeNebulaTaskResult `json:"CreateMcubeNebulaTaskResult"`
}

// NebulaTaskInfo is one release task as List returns it.
type NebulaTaskInfo struct {
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

type ListMcubeNebulaTaskResult struct {
	NebulaResult
	NebulaTaskInfo []NebulaTaskInfo `json:"NebulaTaskInfo"`
}

type ListMcubeNebulaTasksResponse struct {
	Envelope
	// Singular "Task" is the real wire key.
	ListMcubeNebulaTaskResult *ListMcubeNebulaTaskResult `json:"ListMcubeNebulaTaskResult"`
}

type RuleJson struct {
	RuleElement string `json:"RuleElement"`
	Operation   string `json:"Operation"`
	RuleType    string `json:"RuleType"`
	Value       string `json:"Value"`
}

// NebulaTaskDetail is one release task as GetMcubeNebulaTaskDetail returns it.
type NebulaTaskDetail struct {
	NebulaTaskInfo
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
	RuleJsonList  []RuleJson `json:"RuleJsonList"`
}

type GetMcubeNebulaTaskDetailResult struct {
	NebulaResult
	NebulaTaskDetail *NebulaTaskDetail `json:"NebulaTaskDetail"`
}

type GetMcubeNebulaTaskDetailResponse struct {
	Envelope
	GetMcubeNebulaTaskDetailResult *GetMcubeNebulaTaskDetailResult `json:"GetMcubeNebulaTaskDetailResult"`
}

type ChangeMcubeNebulaTaskStatusResponse struct {
	Envelope
	ChangeMcubeNebulaTaskStatusResult *NebulaResult `json:"ChangeMcubeNebulaTaskStatusResult"`
}

// ---- file token (2.12) ----

// FileToken is an OSS POST-policy upload grant.
type FileToken struct {
	Accessid  string `json:"Accessid"`
	Dir       string `json:"Dir"`
	Expire    string `json:"Expire"`
	Host      string `json:"Host"`
	Policy    string `json:"Policy"`
	Signature string `json:"Signature"`
}

// GetFileTokenResult has no ErrorCode or RequestId, unlike Nebula results.
type GetFileTokenResult struct {
	Success   bool       `json:"Success"`
	ResultMsg string     `json:"ResultMsg"`
	FileToken *FileToken `json:"FileToken"`
}

type GetMcubeFileTokenResponse struct {
	Envelope
	GetFileTokenResult *GetFileTokenResult `json:"GetFileTokenResult"`
}

// ---- vhost and RSA key (2.13) ----

// DataResult is the {Data, ResultMsg, Success} shape of the vhost and key actions.
type DataResult struct {
	Data      string `json:"Data"`
	ResultMsg string `json:"ResultMsg"`
	Success   bool   `json:"Success"`
}

type CreateMcubeVhostResponse struct {
	Envelope
	CreateVhostResult *DataResult `json:"CreateVhostResult"`
}

type QueryMcubeVhostResponse struct {
	Envelope
	QueryVhostResult *DataResult `json:"QueryVhostResult"`
}

type ExistMcubeRsaKeyResponse struct {
	Envelope
	CheckRsaKeyResult *DataResult `json:"CheckRsaKeyResult"`
}

type UploadMcubeRsaKeyResponse struct {
	Envelope
	UploadRsaResult *DataResult `json:"UploadRsaResult"`
}
