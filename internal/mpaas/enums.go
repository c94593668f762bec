package mpaas

import (
	"fmt"
	"strings"
)

// API identity (mpaas-api.md 1.1).
const (
	APIVersion       = "2020-10-28"
	APIVersionLegacy = "2020-07-10"
	DefaultEndpoint  = "https://mpaas.aliyuncs.com"
)

// Action names (mpaas-api.md 2.0, 2.12, 2.13).
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

// Every enum code below is [INFERRED]: the service documents none of them
// (mpaas-api.md 2.5, 2.8, 2.11). They live here and nowhere else, so that a
// correction against the live service is a one-line change.

// Resource package types, sent as int32 ResourceType, returned as a string.
const (
	ResourceTypeNormal = "normal"
	ResourceTypeGlobal = "global"

	resourceTypeCodeNormal int32 = 0 // [INFERRED]
	resourceTypeCodeGlobal int32 = 1 // [INFERRED]
)

// ResourceTypeCode maps "normal"/"global" to the wire code.
func ResourceTypeCode(name string) (int32, error) {
	switch name {
	case ResourceTypeNormal:
		return resourceTypeCodeNormal, nil
	case ResourceTypeGlobal:
		return resourceTypeCodeGlobal, nil
	}
	return 0, fmt.Errorf("unknown resource type %q", name)
}

// ResourceTypeName maps a wire code (int or its string form) to "normal"/"global".
func ResourceTypeName(code string) (string, error) {
	switch strings.TrimSpace(code) {
	case fmt.Sprint(resourceTypeCodeNormal):
		return ResourceTypeNormal, nil
	case fmt.Sprint(resourceTypeCodeGlobal):
		return ResourceTypeGlobal, nil
	}
	return "", fmt.Errorf("unknown resource type code %q", code)
}

// Download policy (AutoInstall) and install policy (InstallType).
const (
	DownloadPolicyWifiOnly    = "wifi_only"
	DownloadPolicyAllNetworks = "all_networks"
	InstallPolicyOnOpen       = "on_open"
	InstallPolicyPreload      = "preload"

	autoInstallWifiOnly    int32 = 0 // [INFERRED] from client code that skips its Wi-Fi listener when auto_install == 1
	autoInstallAllNetworks int32 = 1 // [INFERRED]
	installTypeOnOpen      int32 = 0 // [INFERRED]
	installTypePreload     int32 = 1 // [INFERRED]
)

// AutoInstallCode maps a download policy to AutoInstall.
func AutoInstallCode(policy string) (int32, error) {
	switch policy {
	case DownloadPolicyWifiOnly:
		return autoInstallWifiOnly, nil
	case DownloadPolicyAllNetworks:
		return autoInstallAllNetworks, nil
	}
	return 0, fmt.Errorf("unknown download policy %q", policy)
}

// DownloadPolicyName maps AutoInstall back to a download policy.
func DownloadPolicyName(code int32) string {
	if code == autoInstallAllNetworks {
		return DownloadPolicyAllNetworks
	}
	return DownloadPolicyWifiOnly
}

// InstallTypeCode maps an install policy to InstallType.
func InstallTypeCode(policy string) (int32, error) {
	switch policy {
	case InstallPolicyOnOpen:
		return installTypeOnOpen, nil
	case InstallPolicyPreload:
		return installTypePreload, nil
	}
	return 0, fmt.Errorf("unknown install policy %q", policy)
}

// InstallPolicyName maps InstallType back to an install policy.
func InstallPolicyName(code int32) string {
	if code == installTypePreload {
		return InstallPolicyPreload
	}
	return InstallPolicyOnOpen
}

// Release task enums, from the Cube-card release API on the same platform
// (mpaas-api.md 2.8, 2.11). All [INFERRED].
const (
	PublishTypeGrayscale int32 = 2 // [INFERRED]
	PublishTypeOfficial  int32 = 3 // [INFERRED]

	PublishModeOfficial   int32 = 0 // [INFERRED]
	PublishModeWhitelist  int32 = 1 // [INFERRED]
	PublishModeTimeWindow int32 = 2 // [INFERRED]

	TaskStatusActive int32 = 1 // [INFERRED] releasing
	TaskStatusEnded  int32 = 2 // [INFERRED]
	TaskStatusPaused int32 = 3 // [INFERRED]

	// GreyEndtimeLayout is the format of GreyEndtimeData. [INFERRED]
	GreyEndtimeLayout = "2006-01-02 15:04:05"
	// BizTypeNebula is sent as BizType, which is undocumented. [INFERRED]
	BizTypeNebula = "nebula"
)

// Grayscale rule operations in GreyConfigInfo. [INFERRED]
const (
	RuleOperationContains    = 1
	RuleOperationExcludes    = 2
	RuleOperationInRange     = 3
	RuleOperationOutOfRange  = 4
	RuleElementCity          = "city"
	RuleElementMobileModel   = "mobileModel"
	RuleElementNetType       = "netType"
	RuleElementOsVersion     = "osVersion"
	GmtLayout                = "2006-01-02 15:04:05" // GmtCreate/GmtModified. [INFERRED] from sibling APIs
	FileTokenUploadMaxBytes  = 1 << 30               // upper bound an emulator policy grants. [INFERRED]
	PlatformAndroid          = "Android"             // [INFERRED] Platform wire values
	PlatformIOS              = "iOS"                 // [INFERRED]
	PlatformAll              = "all"                 // [INFERRED] both platforms: package URLs contain "<version>_all"
	platformLabelSeparator   = ","
	platformLabelAssignment  = ":"
	ThrottlingTimeLeftHeader = "x-ratelimit-user"
)
