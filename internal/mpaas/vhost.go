package mpaas

import (
	"context"
	"net/url"
)

// SetVhost sets the workspace's virtual domain (CreateMcubeVhost). After an
// ambiguous failure it reads the domain back before sending it again.
func (c *Client) SetVhost(ctx context.Context, domain string) error {
	return createIdempotently(
		func() error {
			var out CreateMcubeVhostResponse
			return c.call(ctx, ActionCreateVhost, url.Values{"Vhost": {domain}}, &out)
		},
		func() (bool, error) {
			current, err := c.QueryVhost(ctx)
			return current == domain, err
		})
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

// UploadRsaKey registers a key file already uploaded with UploadFile
// (UploadMcubeRsaKey with OnexFlag=true).
func (c *Client) UploadRsaKey(ctx context.Context, fileURL string) error {
	params := url.Values{"FileUrl": {fileURL}, "OnexFlag": {"true"}}
	var out UploadMcubeRsaKeyResponse
	return c.call(ctx, ActionUploadRsaKey, params, &out)
}
