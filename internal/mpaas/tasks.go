package mpaas

import (
	"context"
	"net/url"
	"strconv"
)

// CreateTaskInput describes a release task (CreateMcubeNebulaTask,
// mpaas-api.md 2.8). Only the meaningful subset of the request model is sent:
// PackageId, Memo, PublishType and PublishMode always; the others when set.
type CreateTaskInput struct {
	PackageID       int64 // the NebulaResourceId
	Memo            string
	PublishType     int32 // PublishTypeGrayscale or PublishTypeOfficial
	PublishMode     int32 // PublishModeOfficial, PublishModeWhitelist or PublishModeTimeWindow
	WhitelistIDs    string
	GreyEndtimeData string // GreyEndtimeLayout
	GreyConfigInfo  string // JSON array of rules
	GreyNum         int32
	Platform        string
	TaskName        string
	BizType         string // undocumented; not sent when empty
}

// CreateNebulaTask creates a release task and returns its NebulaTaskId.
func (c *Client) CreateNebulaTask(ctx context.Context, in CreateTaskInput) (string, error) {
	params := url.Values{}
	setInt(params, "PackageId", in.PackageID)
	params.Set("Memo", in.Memo)
	setInt(params, "PublishType", in.PublishType)
	setInt(params, "PublishMode", in.PublishMode)
	setString(params, "WhitelistIds", in.WhitelistIDs)
	setString(params, "GreyEndtimeData", in.GreyEndtimeData)
	setString(params, "GreyConfigInfo", in.GreyConfigInfo)
	setPositive(params, "GreyNum", in.GreyNum)
	setString(params, "Platform", in.Platform)
	setString(params, "TaskName", in.TaskName)
	setString(params, "BizType", in.BizType)

	var out CreateMcubeNebulaTaskResponse
	if err := c.call(ctx, ActionCreateNebulaTask, params, &out); err != nil {
		return "", err
	}
	id := out.CreateMcubeNebulaTaskResult.NebulaTaskId
	if id == "" {
		return "", &InvalidResponseError{Action: ActionCreateNebulaTask, HTTPStatus: 200, RequestID: out.RequestId,
			Reason: "success without a NebulaTaskId"}
	}
	return id, nil
}

// ListNebulaTasks returns the release tasks of a package
// (ListMcubeNebulaTasks with Id=packageID; no paging).
func (c *Client) ListNebulaTasks(ctx context.Context, packageID int64) ([]NebulaTaskInfo, error) {
	params := url.Values{"Id": {strconv.FormatInt(packageID, 10)}}
	var out ListMcubeNebulaTasksResponse
	if err := c.call(ctx, ActionListNebulaTasks, params, &out); err != nil {
		return nil, err
	}
	return out.ListMcubeNebulaTaskResult.NebulaTaskInfo, nil
}

// GetNebulaTaskDetail returns one release task (GetMcubeNebulaTaskDetail).
// It returns nil, nil when the service answers successfully without a task.
func (c *Client) GetNebulaTaskDetail(ctx context.Context, taskID int64) (*NebulaTaskDetail, error) {
	params := url.Values{"TaskId": {strconv.FormatInt(taskID, 10)}}
	var out GetMcubeNebulaTaskDetailResponse
	if err := c.call(ctx, ActionGetNebulaTaskDetail, params, &out); err != nil {
		return nil, err
	}
	return out.GetMcubeNebulaTaskDetailResult.NebulaTaskDetail, nil
}

// ChangeNebulaTaskStatus sets a release task's status
// (ChangeMcubeNebulaTaskStatus; ids are strings on this action, BizType is
// BizTypeNebula).
func (c *Client) ChangeNebulaTaskStatus(ctx context.Context, taskID, packageID string, status int32) error {
	params := url.Values{
		"TaskId":    {taskID},
		"PackageId": {packageID},
		"BizType":   {BizTypeNebula},
	}
	setInt(params, "TaskStatus", status)
	var out ChangeMcubeNebulaTaskStatusResponse
	return c.call(ctx, ActionChangeNebulaTaskStatus, params, &out)
}
