package mpaas

import (
	"context"
	"net/url"
)

// getFileToken asks for an OSS POST-policy upload grant
// (GetMcubeFileToken with OnexFlag=true, mpaas-api.md 2.12 and 3).
func (c *Client) getFileToken(ctx context.Context) (*FileToken, error) {
	params := url.Values{"OnexFlag": {"true"}}
	var out GetMcubeFileTokenResponse
	if err := c.call(ctx, ActionGetFileToken, params, &out); err != nil {
		return nil, err
	}
	token := out.GetFileTokenResult.FileToken
	if token == nil || token.Host == "" {
		return nil, &InvalidResponseError{Action: ActionGetFileToken, HTTPStatus: 200, RequestID: out.RequestId,
			Reason: "success without a FileToken host"}
	}
	return token, nil
}
