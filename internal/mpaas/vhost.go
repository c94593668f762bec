package mpaas

import "context"

// SetVhost sets the workspace's virtual domain (CreateMcubeVhost). After an
// ambiguous failure it reads the domain back before sending it again.
func (c *Client) SetVhost(ctx context.Context, domain string) error {
	return createIdempotently(
		func() error { return c.sendCreateVhost(ctx, domain) },
		func() (bool, error) {
			current, err := c.QueryVhost(ctx)
			return current == domain, err
		})
}

// QueryVhost returns the workspace's virtual domain ("" when none is set).
func (c *Client) QueryVhost(ctx context.Context) (string, error) {
	return c.sendQueryVhost(ctx)
}

// ExistRsaKey reports whether a package-signing RSA key is configured.
func (c *Client) ExistRsaKey(ctx context.Context) (bool, error) {
	return c.sendExistRsaKey(ctx)
}

// UploadRsaKey registers a key file already uploaded with UploadFile.
func (c *Client) UploadRsaKey(ctx context.Context, fileURL string) error {
	return c.sendUploadRsaKey(ctx, fileURL)
}
