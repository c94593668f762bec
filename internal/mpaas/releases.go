package mpaas

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ReleaseRule is one advanced grayscale rule: Element (RuleCity, ...)
// compared with Operator (RuleContains, ...) against Values, which for
// in_range/out_of_range are [lo, hi].
type ReleaseRule struct {
	Element  string
	Operator string
	Values   []string
}

// IsRange reports whether the operator compares against a range.
func (r ReleaseRule) IsRange() bool {
	return r.Operator == RuleInRange || r.Operator == RuleOutOfRange
}

// TimeWindow is the audience of a time-window grayscale release: clients
// that check for updates before End, up to MaxUsers of them.
type TimeWindow struct {
	End      time.Time // sent to the second, in UTC
	MaxUsers int32
}

// Release is a release task that delivers one package version to clients.
// A grayscale release has WhitelistIDs (non-nil) or a Window; an official
// one has neither.
type Release struct {
	ID           int64
	PackageID    int64
	Version      string // of the released package; "" when not reported
	Memo         string
	Type         ReleaseType
	Status       ReleaseStatus
	WhitelistIDs []string
	Window       *TimeWindow
	Rules        []ReleaseRule
	// CreatedAt is RFC 3339 in UTC ("" until read back from mPaaS).
	CreatedAt string
	// DecodeError says what could not be read from the service's answer
	// (nil normally).
	DecodeError error
}

// CreateReleaseInput describes a release task to create.
type CreateReleaseInput struct {
	PackageID    int64
	Memo         string
	Type         ReleaseType
	WhitelistIDs []string    // grayscale to these whitelists
	Window       *TimeWindow // grayscale for a time window
	Rules        []ReleaseRule
}

// ListReleases returns the release tasks of a package (no paging).
func (c *Client) ListReleases(ctx context.Context, packageID int64) ([]Release, error) {
	tasks, err := c.listTasks(ctx, packageID)
	if err != nil {
		return nil, err
	}
	out := make([]Release, len(tasks))
	for i := range tasks {
		out[i] = releaseFromWire(&tasks[i], nil)
	}
	return out, nil
}

func (c *Client) listTasks(ctx context.Context, packageID int64) ([]NebulaTaskInfo, error) {
	params := url.Values{"Id": {strconv.FormatInt(packageID, 10)}}
	var out ListMcubeNebulaTasksResponse
	if err := c.call(ctx, ActionListNebulaTasks, params, &out); err != nil {
		return nil, err
	}
	return out.ListMcubeNebulaTaskResult.NebulaTaskInfo, nil
}

// GetRelease returns one release task, or nil, nil when it does not exist.
func (c *Client) GetRelease(ctx context.Context, id int64) (*Release, error) {
	params := url.Values{"TaskId": {strconv.FormatInt(id, 10)}}
	var out GetMcubeNebulaTaskDetailResponse
	if err := c.call(ctx, ActionGetNebulaTaskDetail, params, &out); err != nil {
		if ErrorCode(err) == CodeTaskNotFound {
			return nil, nil
		}
		return nil, err
	}
	detail := out.GetMcubeNebulaTaskDetailResult.NebulaTaskDetail
	if detail == nil {
		return nil, nil
	}
	release := releaseFromWire(&detail.NebulaTaskInfo, detail.RuleJsonList)
	return &release, nil
}

// ChangeReleaseStatus pauses, resumes or ends a release task.
func (c *Client) ChangeReleaseStatus(ctx context.Context, id, packageID int64, status ReleaseStatus) error {
	code, err := releaseStatusCode(status)
	if err != nil {
		return err
	}
	// The ids are strings on this action (mpaas-api.md 2.10).
	params := url.Values{
		"TaskId":    {strconv.FormatInt(id, 10)},
		"PackageId": {strconv.FormatInt(packageID, 10)},
		"BizType":   {BizTypeNebula},
	}
	setInt(params, "TaskStatus", code)
	var out ChangeMcubeNebulaTaskStatusResponse
	return c.call(ctx, ActionChangeNebulaTaskStatus, params, &out)
}

// CreateRelease creates an active release task and returns it as sent. The
// API has no client tokens: after an ambiguous failure, the task counts as
// created when the package has a task that was not there before with the
// memo, type and audience just sent. A failure to list the tasks before
// creating is an error, since without that list an older task with the same
// memo could be taken for the new one.
func (c *Client) CreateRelease(ctx context.Context, in CreateReleaseInput) (Release, error) {
	publishType, err := releaseTypeCode(in.Type)
	if err != nil {
		return Release{}, err
	}
	rules, err := EncodeGreyConfig(in.Rules)
	if err != nil {
		return Release{}, err
	}
	before, err := c.listTasks(ctx, in.PackageID)
	if err != nil {
		return Release{}, fmt.Errorf("listing the release tasks of package %d before creating one: %w", in.PackageID, err)
	}
	params := url.Values{}
	setInt(params, "PackageId", in.PackageID)
	params.Set("Memo", in.Memo)
	setInt(params, "PublishType", publishType)
	setInt(params, "PublishMode", in.publishMode())
	setString(params, "WhitelistIds", strings.Join(in.WhitelistIDs, ","))
	if in.Window != nil {
		params.Set("GreyEndtimeData", in.Window.End.UTC().Format(GreyEndtimeLayout))
		setPositive(params, "GreyNum", in.Window.MaxUsers)
	}
	setString(params, "GreyConfigInfo", rules)
	var out CreateMcubeNebulaTaskResponse
	createErr := c.call(ctx, ActionCreateNebulaTask, params, &out)
	var id int64
	switch {
	case createErr == nil:
		if id, err = createdTaskID(out); err != nil {
			return Release{}, err
		}
	case IsAmbiguous(createErr):
		if id = c.findCreatedTask(ctx, in, publishType, before); id == 0 {
			return Release{}, createErr
		}
	default:
		return Release{}, createErr
	}
	return Release{
		ID: id, PackageID: in.PackageID, Memo: in.Memo, Type: in.Type, Status: ReleaseStatusActive,
		WhitelistIDs: in.WhitelistIDs, Window: in.Window, Rules: in.Rules,
	}, nil
}

// publishMode is the PublishMode of the audience.
func (in CreateReleaseInput) publishMode() int32 {
	switch {
	case in.Window != nil:
		return PublishModeTimeWindow
	case in.WhitelistIDs != nil:
		return PublishModeWhitelist
	}
	return PublishModeOfficial
}

func createdTaskID(out CreateMcubeNebulaTaskResponse) (int64, error) {
	raw := out.CreateMcubeNebulaTaskResult.NebulaTaskId
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, &InvalidResponseError{Action: ActionCreateNebulaTask, HTTPStatus: 200, RequestID: out.RequestId,
			Reason: fmt.Sprintf("NebulaTaskId %q is not a number", raw)}
	}
	return id, nil
}

// findCreatedTask looks, after an ambiguous failure, for a task that was not
// there before and has the memo, type and mode just sent; 0 when none.
func (c *Client) findCreatedTask(ctx context.Context, in CreateReleaseInput, publishType int32, before []NebulaTaskInfo) int64 {
	seen := map[int64]bool{}
	for _, t := range before {
		seen[t.Id] = true
	}
	var id int64
	_, _ = lookUp(func() (bool, error) {
		after, err := c.listTasks(ctx, in.PackageID)
		if err != nil {
			return false, err
		}
		for _, t := range after {
			if !seen[t.Id] && t.Memo == in.Memo && t.PublishType == publishType && t.PublishMode == in.publishMode() {
				id = t.Id
				return true, nil
			}
		}
		return false, nil
	})
	return id
}

// releaseFromWire reads a task; ruleList is the detail's RuleJsonList, which
// takes precedence over the GreyConfigInfo the task echoes.
func releaseFromWire(t *NebulaTaskInfo, ruleList []RuleJson) Release {
	r := Release{ID: t.Id, PackageID: t.PackageId, Version: t.ReleaseVersion, Memo: t.Memo, CreatedAt: rfc3339(t.GmtCreate)}
	var problems []error
	var err error
	if r.Type, err = releaseTypeOf(t.PublishType); err != nil {
		problems = append(problems, err)
	}
	if r.Status, err = releaseStatusOf(t.TaskStatus); err != nil {
		problems = append(problems, err)
	}
	switch t.PublishMode {
	case PublishModeWhitelist:
		r.WhitelistIDs = append([]string{}, SplitWhitelist(t.WhitelistIds)...)
	case PublishModeTimeWindow:
		end, err := time.ParseInLocation(GreyEndtimeLayout, t.GreyEndtimeData, time.UTC)
		if err != nil {
			problems = append(problems, fmt.Errorf("GreyEndtimeData %q is not a time", t.GreyEndtimeData))
		}
		r.Window = &TimeWindow{End: end, MaxUsers: t.GreyNum}
	}
	if len(ruleList) > 0 {
		r.Rules, err = decodeRuleJSONList(ruleList)
	} else {
		r.Rules, err = DecodeGreyConfig(t.GreyConfigInfo)
	}
	if err != nil {
		problems = append(problems, err)
	}
	r.DecodeError = errors.Join(problems...)
	return r
}

// decodeRuleJSONList parses the rules GetMcubeNebulaTaskDetail returns in
// RuleJsonList (Operation as a string, Value "a,b" or "lo-hi").
func decodeRuleJSONList(list []RuleJson) ([]ReleaseRule, error) {
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

// SplitWhitelist splits WhitelistIds ("a,b") into its ids; "" gives none.
func SplitWhitelist(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ",")
}
