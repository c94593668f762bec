package mpaas

import (
	"context"
	"net/url"
)

// CreateVhost sets the workspace's virtual domain (CreateMcubeVhost).
func (c *Client) CreateVhost(ctx context.Context, domain string) error {
	params := url.Values{"Vhost": {domain}}
	var out CreateMcubeVhostResponse
	return c.call(ctx, ActionCreateVhost, params, &out)
}

// QueryVhost returns the workspace's virtual domain ("" when none is set).
func (c *Client) QueryVhost(ctx context.Context) (string, error) {
	var out QueryMcubeVhostResponse
	if err := c.call(ctx, ActionQueryVhost, url.Values{}, &out); err != nil {
		return "", err
	}
	return out.QueryVhostResult.Data, nil
}

// ExistRsaKey reports whether a package-signing RSA key is configured
// (ExistMcubeRsaKey; Data == "true").
func (c *Client) ExistRsaKey(ctx context.Context) (bool, error) {
	var out ExistMcubeRsaKeyResponse
	if err := c.call(ctx, ActionExistRsaKey, url.Values{}, &out); err != nil {
		return false, err
	}
	return out.CheckRsaKeyResult.Data == "true", nil
}

// UploadRsaKey registers a key file already uploaded through the file token
// flow (UploadMcubeRsaKey with OnexFlag=true).
func (c *Client) UploadRsaKey(ctx context.Context, fileURL string) error {
	params := url.Values{"FileUrl": {fileURL}, "OnexFlag": {"true"}}
	var out UploadMcubeRsaKeyResponse
	return c.call(ctx, ActionUploadRsaKey, params, &out)
}
