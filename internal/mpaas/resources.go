package mpaas

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// CreateResourceInput describes one offline package version
// (CreateMcubeNebulaResource, mpaas-api.md 2.5). Empty optional strings are
// not sent. AutoInstall and InstallType are always sent (0 is meaningful).
type CreateResourceInput struct {
	H5ID             string
	H5Name           string
	H5Version        string
	ResourceType     string // "normal" or "global", converted with ResourceTypeCode
	Platform         string
	ClientVersionMin string
	ClientVersionMax string
	FileURL          string
	MainURL          string
	Vhost            string
	ExtendInfo       string
	AutoInstall      int32
	InstallType      int32
	SubURL           string
	CustomDomainName string
	RepeatNebula     *int32
}

// CreateNebulaResource registers an uploaded zip as a new package version
// and returns its NebulaResourceId. OnexFlag=true is always sent.
func (c *Client) CreateNebulaResource(ctx context.Context, in CreateResourceInput) (string, error) {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"H5ID", in.H5ID}, {"H5Version", in.H5Version}, {"FileURL", in.FileURL},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("create offline package: missing %s", strings.Join(missing, ", "))
	}
	typeCode, err := ResourceTypeCode(in.ResourceType)
	if err != nil {
		return "", fmt.Errorf("create offline package: %w", err)
	}

	params := url.Values{}
	params.Set("H5Id", in.H5ID)
	setString(params, "H5Name", in.H5Name)
	params.Set("H5Version", in.H5Version)
	setInt(params, "ResourceType", typeCode)
	setString(params, "Platform", in.Platform)
	setString(params, "ClientVersionMin", in.ClientVersionMin)
	setString(params, "ClientVersionMax", in.ClientVersionMax)
	params.Set("FileUrl", in.FileURL)
	setString(params, "MainUrl", in.MainURL)
	setString(params, "Vhost", in.Vhost)
	setString(params, "ExtendInfo", in.ExtendInfo)
	setInt(params, "AutoInstall", in.AutoInstall)
	setInt(params, "InstallType", in.InstallType)
	params.Set("OnexFlag", "true")
	setString(params, "SubUrl", in.SubURL)
	setString(params, "CustomDomainName", in.CustomDomainName)
	if in.RepeatNebula != nil {
		setInt(params, "RepeatNebula", *in.RepeatNebula)
	}

	var out CreateMcubeNebulaResourceResponse
	if err := c.call(ctx, ActionCreateNebulaResource, params, &out); err != nil {
		return "", err
	}
	id := out.CreateMcubeNebulaResourceReslult.NebulaResourceId
	if id == "" {
		return "", &InvalidResponseError{Action: ActionCreateNebulaResource, HTTPStatus: 200, RequestID: out.RequestId,
			Reason: "success without a NebulaResourceId"}
	}
	return id, nil
}

// GetNebulaResource returns one package version by its ID
// (GetMcubeNebulaResource). It returns nil, nil when the service answers
// successfully without a package.
func (c *Client) GetNebulaResource(ctx context.Context, id string) (*NebulaResourceInfo, error) {
	params := url.Values{"Id": {id}}
	var out GetMcubeNebulaResourceResponse
	if err := c.call(ctx, ActionGetNebulaResource, params, &out); err != nil {
		return nil, err
	}
	return out.GetNebulaResourceResult.NebulaResourceInfo, nil
}

// ListNebulaResources returns one page of an H5App's package versions
// (ListMcubeNebulaResources). Zero pageNum/pageSize are not sent.
func (c *Client) ListNebulaResources(ctx context.Context, h5ID string, pageNum, pageSize int32) (*ListMcubeNebulaResourceResult, error) {
	params := url.Values{}
	setString(params, "H5Id", h5ID)
	setPositive(params, "PageNum", pageNum)
	setPositive(params, "PageSize", pageSize)
	var out ListMcubeNebulaResourcesResponse
	if err := c.call(ctx, ActionListNebulaResources, params, &out); err != nil {
		return nil, err
	}
	return out.ListMcubeNebulaResourceResult, nil
}

// ListAllNebulaResources returns every package version of an H5App,
// following pages of 100.
func (c *Client) ListAllNebulaResources(ctx context.Context, h5ID string) ([]NebulaResourceListItem, error) {
	var all []NebulaResourceListItem
	for page := int32(1); ; page++ {
		if page > maxListPages {
			return nil, fmt.Errorf("mPaaS API %s: still more results after %d pages; giving up", ActionListNebulaResources, maxListPages)
		}
		result, err := c.ListNebulaResources(ctx, h5ID, page, listAllPageSize)
		if err != nil {
			return nil, err
		}
		all = append(all, result.NebulaResourceInfo...)
		if !result.HasMore || len(result.NebulaResourceInfo) == 0 {
			return all, nil
		}
	}
}
