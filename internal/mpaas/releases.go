package mpaas

import (
	"context"
	"errors"
	"net/url"
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
	End      time.Time // sent to the second, in Config.ServiceTimeZone
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
	// Progress is what the task answer says of its rollout (zero until
	// read back from mPaaS).
	Progress ReleaseProgress
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
	return c.sendListTasks(ctx, packageID)
}

// GetRelease returns one release task, or nil, nil when the answer says it
// does not exist (IsNotFound, or an empty object).
func (c *Client) GetRelease(ctx context.Context, id int64) (*Release, error) {
	release, err := c.sendGetTask(ctx, id)
	if IsNotFound(err) {
		return nil, nil
	}
	return release, err
}

// FindRelease returns release task id of package packageID, or nil, nil when
// it does not exist. When GetRelease is refused with a code the classifier
// does not know, the package's task list decides: absence is confirmed by a
// list without the task, or by a package that is gone; a task that is listed
// keeps GetRelease's error.
func (c *Client) FindRelease(ctx context.Context, packageID, id int64) (*Release, error) {
	release, err := c.GetRelease(ctx, id)
	if err == nil || !isBusinessRefusal(err) {
		return release, err
	}
	tasks, listErr := c.sendListTasks(ctx, packageID)
	switch {
	case IsNotFound(listErr):
		return nil, nil
	case listErr != nil:
		return nil, err
	}
	for _, task := range tasks {
		if task.ID == id {
			return nil, err
		}
	}
	return nil, nil
}

// isBusinessRefusal reports whether err is the service's answer to a
// request it processed and refused (HTTP 2xx), rather than a gateway,
// transport or passing failure.
func isBusinessRefusal(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && isSuccessStatus(apiErr.HTTPStatus) && !IsTransient(err)
}

// ChangeReleaseStatus pauses, resumes or ends a release task.
func (c *Client) ChangeReleaseStatus(ctx context.Context, id, packageID int64, status ReleaseStatus) error {
	code, err := releaseStatusCode(status)
	if err != nil {
		return err
	}
	return c.sendChangeTaskStatus(ctx, id, packageID, code)
}

// CreateRelease creates an active release task and returns it as the
// service reads it back by the ID its create answered
// (GetMcubeNebulaTaskDetail, a documented parameter). The package's task
// list (ListMcubeNebulaTasks, whose Id is taken to be the package ID: an
// inferred meaning) is only a fallback. It is read before the create, so
// that after an ambiguous failure, or an answer without a task ID, the new
// task can be told from older ones: a task that was not there before, with
// the memo, type and audience just sent. It is read again when the detail
// does not find the new task. The list before is best effort: when it
// cannot be read the create is sent anyway, and an ambiguous failure is then
// returned as it is (nothing is adopted, nothing resent).
func (c *Client) CreateRelease(ctx context.Context, in CreateReleaseInput) (Release, error) {
	params, err := c.releaseParams(in)
	if err != nil {
		return Release{}, err
	}
	before, listErr := c.sendListTasks(ctx, in.PackageID)
	id, created, err := c.sendCreateTask(ctx, params)
	if err != nil && (created || IsAmbiguous(err)) && listErr == nil {
		if found := c.findCreatedTask(ctx, in, before); found != 0 {
			id, err = found, nil
		}
	}
	if err != nil {
		return Release{}, err
	}
	sent := Release{
		ID: id, PackageID: in.PackageID, Memo: in.Memo, Type: in.Type, Status: ReleaseStatusActive,
		WhitelistIDs: in.WhitelistIDs, Window: in.Window, Rules: in.Rules,
	}
	return c.readBackRelease(ctx, sent), nil
}

// releaseParams encodes the task to create.
func (c *Client) releaseParams(in CreateReleaseInput) (url.Values, error) {
	publishType, err := releaseTypeCode(in.Type)
	if err != nil {
		return nil, err
	}
	rules, err := EncodeGreyConfig(in.Rules)
	if err != nil {
		return nil, err
	}
	params := url.Values{}
	setInt(params, "PackageId", in.PackageID)
	params.Set("Memo", in.Memo)
	setInt(params, "PublishType", publishType)
	setInt(params, "PublishMode", publishMode(in.WhitelistIDs, in.Window))
	setString(params, "WhitelistIds", strings.Join(in.WhitelistIDs, ","))
	if in.Window != nil {
		params.Set("GreyEndtimeData", c.times.encode(in.Window.End))
		setPositive(params, "GreyNum", in.Window.MaxUsers)
	}
	setString(params, "GreyConfigInfo", rules)
	return params, nil
}

// readBackRelease reads the task just created by its ID; when the detail
// does not have it (or cannot be read), the detail and then the package's
// task list are asked again with a bounded wait (awaitListed). A task that
// cannot be read back is returned as sent: it was created.
func (c *Client) readBackRelease(ctx context.Context, sent Release) Release {
	read := sent
	find := func() (bool, error) {
		if detail, err := c.GetRelease(ctx, sent.ID); err == nil && detail != nil {
			read = *detail
			return true, nil
		}
		tasks, err := c.sendListTasks(ctx, sent.PackageID)
		if err != nil {
			return false, err
		}
		for _, task := range tasks {
			if task.ID == sent.ID {
				read = task
				return true, nil
			}
		}
		return false, nil
	}
	if found, _ := c.awaitListed(ctx, find); !found {
		return sent
	}
	return read
}

// publishMode is the PublishMode of an audience.
func publishMode(whitelistIDs []string, window *TimeWindow) int32 {
	switch {
	case window != nil:
		return PublishModeTimeWindow
	case whitelistIDs != nil:
		return PublishModeWhitelist
	}
	return PublishModeOfficial
}

// findCreatedTask looks, after an ambiguous failure or an answer without a
// task ID, for a task that was not there before and has the memo, type and
// audience just sent, waiting for a list that lags (awaitListed); 0 when
// none.
func (c *Client) findCreatedTask(ctx context.Context, in CreateReleaseInput, before []Release) int64 {
	seen := map[int64]bool{}
	for _, r := range before {
		seen[r.ID] = true
	}
	mode := publishMode(in.WhitelistIDs, in.Window)
	var id int64
	_, _ = c.awaitListed(ctx, func() (bool, error) {
		after, err := c.sendListTasks(ctx, in.PackageID)
		if err != nil {
			return false, err
		}
		for _, r := range after {
			if !seen[r.ID] && r.Memo == in.Memo && r.Type == in.Type && publishMode(r.WhitelistIDs, r.Window) == mode {
				id = r.ID
				return true, nil
			}
		}
		return false, nil
	})
	return id
}

// SplitWhitelist splits WhitelistIds ("a,b") into its ids; "" gives none.
func SplitWhitelist(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ",")
}
