package mpaas

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// listAllPageSize is the page size the ListAll* helpers ask for.
const listAllPageSize int32 = 100

// maxListPages bounds the ListAll* helpers against a server that never stops
// saying HasMore.
const maxListPages = 10000

// CreateNebulaApp creates an H5App (CreateMcubeNebulaApp). The response
// carries no ID: the app is identified by h5ID within the client's scope.
func (c *Client) CreateNebulaApp(ctx context.Context, h5ID, h5Name string) error {
	params := url.Values{"H5Id": {h5ID}, "H5Name": {h5Name}}
	var out CreateMcubeNebulaAppResponse
	return c.call(ctx, ActionCreateNebulaApp, params, &out)
}

// ListAppsInput filters and pages ListNebulaApps. Zero values are not sent.
type ListAppsInput struct {
	Keyword  string
	PageNum  int32 // 1-based
	PageSize int32
}

// ListNebulaApps returns one page of H5Apps (ListMcubeNebulaApps).
func (c *Client) ListNebulaApps(ctx context.Context, in ListAppsInput) (*ListMcubeNebulaAppsResult, error) {
	params := url.Values{}
	setString(params, "Keyword", in.Keyword)
	setPositive(params, "PageNum", in.PageNum)
	setPositive(params, "PageSize", in.PageSize)
	var out ListMcubeNebulaAppsResponse
	if err := c.call(ctx, ActionListNebulaApps, params, &out); err != nil {
		return nil, err
	}
	return out.ListMcubeNebulaAppsResult, nil
}

// ListAllNebulaApps returns every H5App matching keyword ("" for all),
// following pages of 100 until HasMore is false or a page comes back empty.
func (c *Client) ListAllNebulaApps(ctx context.Context, keyword string) ([]NebulaAppInfo, error) {
	var all []NebulaAppInfo
	for page := int32(1); ; page++ {
		if page > maxListPages {
			return nil, fmt.Errorf("mPaaS API %s: still more results after %d pages; giving up", ActionListNebulaApps, maxListPages)
		}
		result, err := c.ListNebulaApps(ctx, ListAppsInput{Keyword: keyword, PageNum: page, PageSize: listAllPageSize})
		if err != nil {
			return nil, err
		}
		all = append(all, result.NebulaAppInfos...)
		if !result.HasMore || len(result.NebulaAppInfos) == 0 {
			return all, nil
		}
	}
}

// FindNebulaApp returns the H5App whose H5Id is exactly h5ID, or nil, nil
// when there is none. (There is no single-app Get action; the list is
// searched with Keyword=h5ID, which may also match other apps.)
func (c *Client) FindNebulaApp(ctx context.Context, h5ID string) (*NebulaAppInfo, error) {
	apps, err := c.ListAllNebulaApps(ctx, h5ID)
	if err != nil {
		return nil, err
	}
	for i := range apps {
		if apps[i].H5Id == h5ID {
			app := apps[i]
			return &app, nil
		}
	}
	return nil, nil
}

// DeleteNebulaApp deletes an H5App (DeleteMcubeNebulaApp).
func (c *Client) DeleteNebulaApp(ctx context.Context, h5ID string) error {
	params := url.Values{"H5Id": {h5ID}}
	var out DeleteMcubeNebulaAppResponse
	return c.call(ctx, ActionDeleteNebulaApp, params, &out)
}

func setString(params url.Values, name, value string) {
	if value != "" {
		params.Set(name, value)
	}
}

func setPositive[T int32 | int64](params url.Values, name string, value T) {
	if value > 0 {
		params.Set(name, strconv.FormatInt(int64(value), 10))
	}
}

func setInt[T int32 | int64](params url.Values, name string, value T) {
	params.Set(name, strconv.FormatInt(int64(value), 10))
}
