package mpaas

// API identity (DESIGN.md section 6).
const (
	APIVersion       = "2020-10-28"
	APIVersionLegacy = "2020-07-10"
	DefaultEndpoint  = "https://mpaas.aliyuncs.com"
)

// Action names (DESIGN.md section 6). An offline package is a
// "NebulaResource" on the wire and its release a "NebulaTask".
const (
	ActionCreateNebulaApp        = "CreateMcubeNebulaApp"
	ActionListNebulaApps         = "ListMcubeNebulaApps"
	ActionDeleteNebulaApp        = "DeleteMcubeNebulaApp"
	ActionCreateNebulaResource   = "CreateMcubeNebulaResource"
	ActionGetNebulaResource      = "GetMcubeNebulaResource"
	ActionListNebulaResources    = "ListMcubeNebulaResources"
	ActionCreateNebulaTask       = "CreateMcubeNebulaTask"
	ActionListNebulaTasks        = "ListMcubeNebulaTasks"
	ActionGetNebulaTaskDetail    = "GetMcubeNebulaTaskDetail"
	ActionChangeNebulaTaskStatus = "ChangeMcubeNebulaTaskStatus"
	ActionGetFileToken           = "GetMcubeFileToken"
	ActionCreateVhost            = "CreateMcubeVhost"
	ActionQueryVhost             = "QueryMcubeVhost"
	ActionExistRsaKey            = "ExistMcubeRsaKey"
	ActionUploadRsaKey           = "UploadMcubeRsaKey"
)

// ThrottlingTimeLeftHeader is the first header the Go SDK reads the
// throttling wait from (ThrottlingTimeLeftHeaderAPI is the second).
const ThrottlingTimeLeftHeader = "x-ratelimit-user"

// The enums below are named as the console and the provider name them; their
// wire codes are in inferred.go.

// ResourceType is an H5App's package type, fixed by its first package (R6).
type ResourceType string

const (
	ResourceTypeNormal ResourceType = "normal"
	ResourceTypeGlobal ResourceType = "global"
)

// DownloadPolicy says when clients download a package (R17).
type DownloadPolicy string

const (
	DownloadPolicyWifiOnly    DownloadPolicy = "wifi_only"
	DownloadPolicyAllNetworks DownloadPolicy = "all_networks"
)

// InstallPolicy says when clients install a downloaded package (R18).
type InstallPolicy string

const (
	InstallPolicyOnOpen  InstallPolicy = "on_open"
	InstallPolicyPreload InstallPolicy = "preload"
)

// ReleaseType is the audience of a release: a grayscale release reaches a
// whitelist or the clients of a time window, an official one every client.
type ReleaseType string

const (
	ReleaseTypeGrayscale ReleaseType = "grayscale"
	ReleaseTypeOfficial  ReleaseType = "official"
)

// ReleaseStatus is the state of a release; ended is final.
type ReleaseStatus string

const (
	ReleaseStatusActive ReleaseStatus = "active"
	ReleaseStatusPaused ReleaseStatus = "paused"
	ReleaseStatusEnded  ReleaseStatus = "ended"
)

// The values of each enum, in documentation order.
var (
	ResourceTypes    = []ResourceType{ResourceTypeNormal, ResourceTypeGlobal}
	DownloadPolicies = []DownloadPolicy{DownloadPolicyWifiOnly, DownloadPolicyAllNetworks}
	InstallPolicies  = []InstallPolicy{InstallPolicyOnOpen, InstallPolicyPreload}
	ReleaseTypes     = []ReleaseType{ReleaseTypeGrayscale, ReleaseTypeOfficial}
	ReleaseStatuses  = []ReleaseStatus{ReleaseStatusActive, ReleaseStatusPaused, ReleaseStatusEnded}
)

// Rule elements and operators of a grayscale release rule.
const (
	RuleCity        = "city"
	RuleDeviceModel = "device_model"
	RuleNetwork     = "network"
	RuleOSVersion   = "os_version"

	RuleContains   = "contains"
	RuleExcludes   = "excludes"
	RuleInRange    = "in_range"
	RuleOutOfRange = "out_of_range"
)

// RuleElementNames and RuleOperatorNames list the rule names in documentation order.
var (
	RuleElementNames  = []string{RuleCity, RuleDeviceModel, RuleNetwork, RuleOSVersion}
	RuleOperatorNames = []string{RuleContains, RuleExcludes, RuleInRange, RuleOutOfRange}
)
