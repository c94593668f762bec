package mpaas

import (
	"encoding/json"
	"fmt"
	"strings"
)

// How the client reads the answers of wire.go: the status every response
// carries, and the conversion of packages and tasks to Package and Release.

// response is implemented by every *Response model: envelope (promoted from
// the embedded responseEnvelope, wire.go) gives the top
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
	return resultStatus{present: true, success: r.Success.isTrue(), msg: string(r.ResultMsg), code: string(r.ErrorCode), requestID: string(r.RequestId)}
}

func dataStatus(r *dataResult) resultStatus {
	if r == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.Success.isTrue(), msg: string(r.ResultMsg)}
}

func (r *createMcubeNebulaAppResponse) status() resultStatus {
	return nebulaStatus(r.CreateNebulaAppResult)
}

func (r *listMcubeNebulaAppsResponse) status() resultStatus {
	if r.ListMcubeNebulaAppsResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaAppsResult.nebulaResult)
}

func (r *deleteMcubeNebulaAppResponse) status() resultStatus {
	return nebulaStatus(r.DeleteMcubeNebulaAppResult)
}

func (r *createMcubeNebulaResourceResponse) status() resultStatus {
	if r.CreateMcubeNebulaResourceReslult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.CreateMcubeNebulaResourceReslult.nebulaResult)
}

func (r *getMcubeNebulaResourceResponse) status() resultStatus {
	if r.GetNebulaResourceResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.GetNebulaResourceResult.nebulaResult)
}

func (r *listMcubeNebulaResourcesResponse) status() resultStatus {
	if r.ListMcubeNebulaResourceResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaResourceResult.nebulaResult)
}

func (r *createMcubeNebulaTaskResponse) status() resultStatus {
	if r.CreateMcubeNebulaTaskResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.CreateMcubeNebulaTaskResult.nebulaResult)
}

func (r *listMcubeNebulaTasksResponse) status() resultStatus {
	if r.ListMcubeNebulaTaskResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.ListMcubeNebulaTaskResult.nebulaResult)
}

func (r *getMcubeNebulaTaskDetailResponse) status() resultStatus {
	if r.GetMcubeNebulaTaskDetailResult == nil {
		return resultStatus{}
	}
	return nebulaStatus(&r.GetMcubeNebulaTaskDetailResult.nebulaResult)
}

func (r *changeMcubeNebulaTaskStatusResponse) status() resultStatus {
	return nebulaStatus(r.ChangeMcubeNebulaTaskStatusResult)
}

func (r *getMcubeFileTokenResponse) status() resultStatus {
	if r.GetFileTokenResult == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.GetFileTokenResult.Success.isTrue(), msg: string(r.GetFileTokenResult.ResultMsg)}
}

func (r *createMcubeVhostResponse) status() resultStatus {
	return dataStatus(r.CreateVhostResult)
}

func (r *queryMcubeVhostResponse) status() resultStatus {
	return dataStatus(r.QueryVhostResult)
}

func (r *existMcubeRsaKeyResponse) status() resultStatus {
	return dataStatus(r.CheckRsaKeyResult)
}

func (r *uploadMcubeRsaKeyResponse) status() resultStatus {
	return dataStatus(r.UploadRsaResult)
}

// readableIDs fails an answer whose object IDs are not whole numbers
// (lenient.go): without its ID a package or task cannot be told from
// another, so no tolerant read can keep it.
func readableIDs(action, requestID string, ids ...flexInt) error {
	for _, id := range ids {
		if err := id.problem(64); err != nil {
			return &InvalidResponseError{Action: action, HTTPStatus: 200, RequestID: requestID, Reason: "an object ID " + err.Error()}
		}
	}
	return nil
}

// enumOf reads a wire code with of; a value that is not a 32-bit whole
// number is an error like an unknown code.
func enumOf[T any](code flexInt, of func(int32) (T, error)) (T, error) {
	if err := code.problem(32); err != nil {
		var zero T
		return zero, err
	}
	return of(code.int32Value())
}

// fileSizeOf reads FileSize: -1 when it is absent or unreadable (the error
// says why).
func fileSizeOf(raw flexString) (int64, error) {
	text := strings.TrimSpace(string(raw))
	if text == "" {
		return -1, nil
	}
	size, ok := parseIntegral(text)
	if !ok || size < 0 {
		return -1, fmt.Errorf("not a size")
	}
	return size, nil
}

// toPackage reads a package; the fields that cannot be read are named in
// DecodeError (a *DecodeError) and left at their zero values.
func (info *nebulaResourceInfo) toPackage(md5 string, times serviceTimes) Package {
	pkg := Package{
		ID: info.Id.int64Value(), H5AppID: string(info.H5Id), H5AppName: string(info.H5Name), Version: string(info.H5Version),
		DownloadURL: string(info.DownloadUrl), MD5: md5, CreatedAt: times.rfc3339(string(info.GmtCreate)),
	}
	problems := &DecodeError{}
	var err error
	pkg.FileSize, err = fileSizeOf(info.FileSize)
	problems.add(FieldFileSize, string(info.FileSize), err)
	pkg.ResourceType, err = ResourceTypeName(string(info.ResourceType))
	problems.add(FieldResourceType, string(info.ResourceType), err)
	pkg.Targets, err = DecodeTargets(string(info.Platform), string(info.ClientVersionMin), string(info.ClientVersionMax))
	problems.add(FieldPlatform, string(info.Platform), err)
	pkg.ExtendInfo, err = decodeExtendInfo(string(info.ExtendInfo))
	problems.add(FieldExtendInfo, string(info.ExtendInfo), err)
	pkg.DownloadPolicy, err = enumOf(info.AutoInstall, downloadPolicyOf)
	problems.add(FieldAutoInstall, info.AutoInstall.text(), err)
	pkg.InstallPolicy, err = enumOf(info.InstallType, installPolicyOf)
	problems.add(FieldInstallType, info.InstallType.text(), err)
	pkg.MainURL, pkg.Vhost = string(info.MainUrl), string(info.Vhost)
	pkg.DecodeError = problems.orNil()
	return pkg
}

// toRelease reads a task; ruleList (the detail's RuleJsonList) takes
// precedence over the GreyConfigInfo the task echoes. The fields that cannot
// be read are named in DecodeError (a *DecodeError).
func (t *nebulaTaskInfo) toRelease(ruleList []ruleJSON, times serviceTimes) Release {
	r := Release{ID: t.Id.int64Value(), PackageID: t.PackageId.int64Value(), Version: string(t.ReleaseVersion),
		Memo: string(t.Memo), CreatedAt: times.rfc3339(string(t.GmtCreate)), Progress: t.progress(times)}
	problems := &DecodeError{}
	var err error
	r.Type, err = enumOf(t.PublishType, ReleaseTypeOf)
	problems.add(FieldPublishType, t.PublishType.text(), err)
	r.Status, err = enumOf(t.TaskStatus, ReleaseStatusOf)
	problems.add(FieldTaskStatus, t.TaskStatus.text(), err)
	mode, err := enumOf(t.PublishMode, func(code int32) (int32, error) { return code, nil })
	if err != nil {
		mode = -1
	}
	switch mode {
	case PublishModeOfficial:
	case PublishModeWhitelist:
		r.WhitelistIDs = append([]string{}, SplitWhitelist(string(t.WhitelistIds))...)
	case PublishModeTimeWindow:
		end, err := times.decode(string(t.GreyEndtimeData))
		if err != nil {
			problems.add(FieldGreyEndtimeData, string(t.GreyEndtimeData), fmt.Errorf("not a time"))
		}
		problems.add(FieldGreyNum, t.GreyNum.text(), t.GreyNum.problem(32))
		r.Window = &TimeWindow{End: end, MaxUsers: t.GreyNum.int32Value()}
	default:
		problems.add(FieldPublishMode, t.PublishMode.text(), fmt.Errorf("unknown PublishMode code %s", t.PublishMode.text()))
	}
	rulesCode := string(t.GreyConfigInfo)
	if len(ruleList) > 0 {
		r.Rules, err = decodeRuleJSONList(ruleList)
		listed, _ := json.Marshal(ruleList)
		rulesCode = string(listed)
	} else {
		r.Rules, err = DecodeGreyConfig(string(t.GreyConfigInfo))
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
		r, err := decodeRule(string(j.RuleElement), string(j.Operation), string(j.Value))
		if err != nil {
			return nil, fmt.Errorf("RuleJsonList rule %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}
