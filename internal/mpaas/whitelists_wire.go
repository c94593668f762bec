package mpaas

import (
	"context"
	"net/url"
	"strconv"
)

// The wire shapes of the five whitelist actions (Mobile Delivery Service
// "Whitelist management", same API version as the Nebula actions). Keys are
// those of the official SDK models (mpaas-20201028 *Whitelist*_model.go);
// DESIGN.md section 6 lists them. Only the keys the client reads are here.

// Whitelist action names.
const (
	ActionCreateWhitelist        = "CreateMcubeWhitelist"
	ActionUpdateWhitelist        = "UpdateMcubeWhitelist"
	ActionListWhitelists         = "ListMcubeWhitelists"
	ActionDeleteWhitelist        = "DeleteMcubeWhitelist"
	ActionDeleteWhitelistContent = "DeleteMdsWhitelistContent"
)

// whitelistResult is the {Success, ResultMsg} block of the whitelist results,
// which carry no ErrorCode.
type whitelistResult struct {
	Success   flexBool   `json:"Success"`
	ResultMsg flexString `json:"ResultMsg"`
}

func (r *whitelistResult) status() resultStatus {
	if r == nil {
		return resultStatus{}
	}
	return resultStatus{present: true, success: r.Success.isTrue(), msg: string(r.ResultMsg)}
}

type createWhitelistResult struct {
	whitelistResult
	WhitelistId flexString `json:"WhitelistId"`
}

type createMcubeWhitelistResponse struct {
	responseEnvelope
	CreateWhitelistResult *createWhitelistResult `json:"CreateWhitelistResult"`
}

// addWhitelistInfo counts the values an update added and names those it refused.
type addWhitelistInfo struct {
	SuccessNum  flexInt    `json:"SuccessNum"`
	FailNum     flexInt    `json:"FailNum"`
	FailUserIds flexString `json:"FailUserIds"`
}

type addWhitelistResult struct {
	whitelistResult
	AddWhitelistInfo *addWhitelistInfo `json:"AddWhitelistInfo"`
}

type updateMcubeWhitelistResponse struct {
	responseEnvelope
	AddWhitelistResult *addWhitelistResult `json:"AddWhitelistResult"`
}

// whitelistItem is one whitelist as ListMcubeWhitelists returns it: no members.
type whitelistItem struct {
	Id             flexInt    `json:"Id"`
	WhiteListName  flexString `json:"WhiteListName"`
	WhitelistType  flexString `json:"WhitelistType"`
	WhiteListCount flexInt    `json:"WhiteListCount"`
	AppCode        flexString `json:"AppCode"`
	GmtCreate      flexTime   `json:"GmtCreate"`
	GmtModified    flexTime   `json:"GmtModified"`
}

type listWhitelistResult struct {
	whitelistResult
	listPaging
	Whitelists []whitelistItem `json:"Whitelists"`
}

type listMcubeWhitelistsResponse struct {
	responseEnvelope
	ListWhitelistResult *listWhitelistResult `json:"ListWhitelistResult"`
}

type deleteWhitelistResult struct {
	whitelistResult
	Data flexString `json:"Data"`
}

type deleteMcubeWhitelistResponse struct {
	responseEnvelope
	DeleteWhitelistResult *deleteWhitelistResult `json:"DeleteWhitelistResult"`
}

// deleteWhitelistContentData is the status of DeleteMdsWhitelistContent,
// one level deeper than elsewhere: ResultContent.Data.
type deleteWhitelistContentData struct {
	whitelistResult
	ErrorCode flexString `json:"ErrorCode"`
	Content   flexString `json:"Content"`
}

type deleteWhitelistContent struct {
	Data      *deleteWhitelistContentData `json:"Data"`
	RequestId flexString                  `json:"RequestId"`
}

type deleteMdsWhitelistContentResponse struct {
	responseEnvelope
	ResultContent *deleteWhitelistContent `json:"ResultContent"`
}

func (r *createMcubeWhitelistResponse) status() resultStatus {
	if r.CreateWhitelistResult == nil {
		return resultStatus{}
	}
	return r.CreateWhitelistResult.status()
}

func (r *updateMcubeWhitelistResponse) status() resultStatus {
	if r.AddWhitelistResult == nil {
		return resultStatus{}
	}
	return r.AddWhitelistResult.status()
}

func (r *listMcubeWhitelistsResponse) status() resultStatus {
	if r.ListWhitelistResult == nil {
		return resultStatus{}
	}
	return r.ListWhitelistResult.status()
}

func (r *deleteMcubeWhitelistResponse) status() resultStatus {
	if r.DeleteWhitelistResult == nil {
		return resultStatus{}
	}
	return r.DeleteWhitelistResult.status()
}

func (r *deleteMdsWhitelistContentResponse) status() resultStatus {
	if r.ResultContent == nil || r.ResultContent.Data == nil {
		return resultStatus{}
	}
	st := r.ResultContent.Data.status()
	st.code, st.requestID = string(r.ResultContent.Data.ErrorCode), string(r.ResultContent.RequestId)
	return st
}

// sendCreateWhitelist creates a whitelist and returns the ID it answers.
func (c *Client) sendCreateWhitelist(ctx context.Context, name, typeCode string) (int64, error) {
	var out createMcubeWhitelistResponse
	params := url.Values{"WhiteListName": {name}, "WhitelistType": {typeCode}}
	if err := c.call(ctx, ActionCreateWhitelist, params, &out); err != nil {
		return 0, err
	}
	raw := string(out.CreateWhitelistResult.WhitelistId)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, &InvalidResponseError{Action: ActionCreateWhitelist, HTTPStatus: 200, RequestID: string(out.RequestId),
			Reason: "WhitelistId " + strconv.Quote(raw) + " is not a positive number"}
	}
	return id, nil
}

// sendUpdateWhitelist adds values to a whitelist: keyIDs (comma-separated)
// or ossURL (a file uploaded with UploadFile), one of them.
func (c *Client) sendUpdateWhitelist(ctx context.Context, id int64, keyIDs, ossURL string) (*addWhitelistInfo, error) {
	params := url.Values{"Id": {strconv.FormatInt(id, 10)}, "OnexFlag": {onexFlagWhitelist}}
	setString(params, "KeyIds", keyIDs)
	setString(params, "OssUrl", ossURL)
	var out updateMcubeWhitelistResponse
	if err := c.call(ctx, ActionUpdateWhitelist, params, &out); err != nil {
		return nil, err
	}
	return out.AddWhitelistResult.AddWhitelistInfo, nil
}

// sendListWhitelists returns one page of the whitelists whose name matches
// name ("" for all).
func (c *Client) sendListWhitelists(ctx context.Context, name string, pageNum, pageSize int32) ([]Whitelist, listPaging, error) {
	params := url.Values{}
	setString(params, "WhitelistName", name)
	setPositive(params, "PageNum", pageNum)
	setPositive(params, "PageSize", pageSize)
	var out listMcubeWhitelistsResponse
	if err := c.call(ctx, ActionListWhitelists, params, &out); err != nil {
		return nil, listPaging{}, err
	}
	result := out.ListWhitelistResult
	lists := make([]Whitelist, 0, len(result.Whitelists))
	for _, item := range result.Whitelists {
		lists = append(lists, item.toWhitelist())
	}
	return lists, result.listPaging, nil
}

func (c *Client) sendDeleteWhitelist(ctx context.Context, id int64) error {
	var out deleteMcubeWhitelistResponse
	return c.call(ctx, ActionDeleteWhitelist, url.Values{"Id": {strconv.FormatInt(id, 10)}}, &out)
}

func (c *Client) sendDeleteWhitelistContent(ctx context.Context, id int64, value string) error {
	var out deleteMdsWhitelistContentResponse
	params := url.Values{"WhitelistId": {strconv.FormatInt(id, 10)}, "WhitelistValue": {value}}
	return c.call(ctx, ActionDeleteWhitelistContent, params, &out)
}

func (item whitelistItem) toWhitelist() Whitelist {
	w := Whitelist{ID: item.Id.int64Value(), Name: string(item.WhiteListName), TypeCode: string(item.WhitelistType),
		MemberCount: item.WhiteListCount.int64Value()}
	w.Type, _ = WhitelistTypeOf(string(item.WhitelistType))
	return w
}
