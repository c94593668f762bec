package mpaas

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// How the client reads the answers of wire.go: the status every response
// carries, and the conversion of packages and tasks to Package and Release.

// response is implemented by every *Response model: envelope gives the top
// level, status the action-specific result object (present reports whether it
// was in the body at all).
type response interface {
	envelope() *responseEnvelope
	status() resultStatus
}

type resultStatus struct {
	present   bool
	success   bool
	msg       string
	code      string
	requestID string
}

func nebulaStatus(r *nebulaResult) resultStatus {
	if r == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.Success, msg: r.ResultMsg, code: r.ErrorCode, requestID: r.RequestId}
}

func dataStatus(r *dataResult) resultStatus {
	if r == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.Success, msg: r.ResultMsg}
}

func (r *createMcubeNebulaAppResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *createMcubeNebulaAppResponse) status() resultStatus {
	return nebulaStatus(r.CreateNebulaAppResult)
}

func (r *listMcubeNebulaAppsResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *listMcubeNebulaAppsResponse) status() resultStatus {
	if r.ListMcubeNebulaAppsResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaAppsResult.nebulaResult)
}

func (r *deleteMcubeNebulaAppResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *deleteMcubeNebulaAppResponse) status() resultStatus {
	return nebulaStatus(r.DeleteMcubeNebulaAppResult)
}

func (r *createMcubeNebulaResourceResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *createMcubeNebulaResourceResponse) status() resultStatus {
	if r.CreateMcubeNebulaResourceReslult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.CreateMcubeNebulaResourceReslult.nebulaResult)
}

func (r *getMcubeNebulaResourceResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *getMcubeNebulaResourceResponse) status() resultStatus {
	if r.GetNebulaResourceResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.GetNebulaResourceResult.nebulaResult)
}

func (r *listMcubeNebulaResourcesResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *listMcubeNebulaResourcesResponse) status() resultStatus {
	if r.ListMcubeNebulaResourceResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaResourceResult.nebulaResult)
}

func (r *createMcubeNebulaTaskResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *createMcubeNebulaTaskResponse) status() resultStatus {
	if r.CreateMcubeNebulaTaskResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.CreateMcubeNebulaTaskResult.nebulaResult)
}

func (r *listMcubeNebulaTasksResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *listMcubeNebulaTasksResponse) status() resultStatus {
	if r.ListMcubeNebulaTaskResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaTaskResult.nebulaResult)
}

func (r *getMcubeNebulaTaskDetailResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *getMcubeNebulaTaskDetailResponse) status() resultStatus {
	if r.GetMcubeNebulaTaskDetailResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.GetMcubeNebulaTaskDetailResult.nebulaResult)
}

func (r *changeMcubeNebulaTaskStatusResponse) envelope() *responseEnvelope {
	return &r.responseEnvelope
}
func (r *changeMcubeNebulaTaskStatusResponse) status() resultStatus {
	return nebulaStatus(r.ChangeMcubeNebulaTaskStatusResult)
}

func (r *getMcubeFileTokenResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *getMcubeFileTokenResponse) status() resultStatus {
	if r.GetFileTokenResult == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.GetFileTokenResult.Success, msg: r.GetFileTokenResult.ResultMsg}
}

func (r *createMcubeVhostResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *createMcubeVhostResponse) status() resultStatus {
	return dataStatus(r.CreateVhostResult)
}

func (r *queryMcubeVhostResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *queryMcubeVhostResponse) status() resultStatus {
	return dataStatus(r.QueryVhostResult)
}

func (r *existMcubeRsaKeyResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *existMcubeRsaKeyResponse) status() resultStatus {
	return dataStatus(r.CheckRsaKeyResult)
}

func (r *uploadMcubeRsaKeyResponse) envelope() *responseEnvelope { return &r.responseEnvelope }
func (r *uploadMcubeRsaKeyResponse) status() resultStatus {
	return dataStatus(r.UploadRsaResult)
}

// toPackage reads a package; the fields that cannot be read are named in
// DecodeError (a *DecodeError) and left at their zero values.
func (info *nebulaResourceInfo) toPackage(md5 string, times serviceTimes) Package {
	pkg := Package{
		ID: info.Id, H5AppID: info.H5Id, H5AppName: info.H5Name, Version: info.H5Version,
		DownloadURL: info.DownloadUrl, FileSize: -1, MD5: md5, CreatedAt: times.rfc3339(info.GmtCreate),
	}
	if size, err := strconv.ParseInt(info.FileSize, 10, 64); err == nil {
		pkg.FileSize = size
	}
	problems := &DecodeError{}
	var err error
	pkg.ResourceType, err = ResourceTypeName(info.ResourceType)
	problems.add(FieldResourceType, info.ResourceType, err)
	pkg.Targets, err = DecodeTargets(info.Platform, info.ClientVersionMin, info.ClientVersionMax)
	problems.add(FieldPlatform, info.Platform, err)
	pkg.ExtendInfo, err = decodeExtendInfo(info.ExtendInfo)
	problems.add(FieldExtendInfo, info.ExtendInfo, err)
	pkg.DownloadPolicy, err = downloadPolicyOf(info.AutoInstall)
	problems.add(FieldAutoInstall, strconv.Itoa(int(info.AutoInstall)), err)
	pkg.InstallPolicy, err = installPolicyOf(info.InstallType)
	problems.add(FieldInstallType, strconv.Itoa(int(info.InstallType)), err)
	pkg.MainURL, pkg.Vhost = info.MainUrl, info.Vhost
	pkg.DecodeError = problems.orNil()
	return pkg
}

// toRelease reads a task; ruleList (the detail's RuleJsonList) takes
// precedence over the GreyConfigInfo the task echoes. The fields that cannot
// be read are named in DecodeError (a *DecodeError).
func (t *nebulaTaskInfo) toRelease(ruleList []ruleJSON, times serviceTimes) Release {
	r := Release{ID: t.Id, PackageID: t.PackageId, Version: t.ReleaseVersion, Memo: t.Memo, CreatedAt: times.rfc3339(t.GmtCreate),
		Progress: t.progress(times)}
	problems := &DecodeError{}
	var err error
	r.Type, err = ReleaseTypeOf(t.PublishType)
	problems.add(FieldPublishType, strconv.Itoa(int(t.PublishType)), err)
	r.Status, err = ReleaseStatusOf(t.TaskStatus)
	problems.add(FieldTaskStatus, strconv.Itoa(int(t.TaskStatus)), err)
	switch t.PublishMode {
	case PublishModeOfficial:
	case PublishModeWhitelist:
		r.WhitelistIDs = append([]string{}, SplitWhitelist(t.WhitelistIds)...)
	case PublishModeTimeWindow:
		end, err := times.decode(t.GreyEndtimeData)
		if err != nil {
			problems.add(FieldGreyEndtimeData, t.GreyEndtimeData, fmt.Errorf("not a time"))
		}
		r.Window = &TimeWindow{End: end, MaxUsers: t.GreyNum}
	default:
		problems.add(FieldPublishMode, strconv.Itoa(int(t.PublishMode)), fmt.Errorf("unknown PublishMode code %d", t.PublishMode))
	}
	rulesCode := t.GreyConfigInfo
	if len(ruleList) > 0 {
		r.Rules, err = decodeRuleJSONList(ruleList)
		listed, _ := json.Marshal(ruleList)
		rulesCode = string(listed)
	} else {
		r.Rules, err = DecodeGreyConfig(t.GreyConfigInfo)
	}
	problems.add(FieldGreyConfigInfo, rulesCode, err)
	r.DecodeError = problems.orNil()
	return r
}

// decodeRuleJSONList parses the rules of RuleJsonList (Operation as a
// string, Value "a,b" or "lo-hi").
func decodeRuleJSONList(list []ruleJSON) ([]ReleaseRule, error) {
	out := make([]ReleaseRule, 0, len(list))
	for i, j := range list {
		r, err := decodeRule(j.RuleElement, j.Operation, j.Value)
		if err != nil {
			return nil, fmt.Errorf("RuleJsonList rule %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}
