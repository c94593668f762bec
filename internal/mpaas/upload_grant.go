package mpaas

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"
)

// uploadGrants holds the file token the client's uploads share while it is
// valid (DESIGN.md section 7.4, "Upload tokens"): one GetMcubeFileToken per
// token lifetime instead of one per upload. A token is fetched by one caller
// at a time (the others wait, each for as long as its context allows); the
// object keys handed out under a token's Dir are kept unique, so that two
// uploads of files with the same name never overwrite each other's object.
type uploadGrants struct {
	turn chan struct{} // held by whoever reads or replaces the grant

	token   *fileToken
	expires time.Time       // when reuse stops: Expire less the safety margin
	keys    map[string]bool // object keys handed out under token.Dir
}

func newUploadGrants() *uploadGrants {
	return &uploadGrants{turn: make(chan struct{}, 1)}
}

// grant is one upload's token and object key.
type grant struct {
	token *fileToken
	key   string
	fresh bool // fetched for this upload, not reused
}

// take returns a token and a key for fileName: the held token while it is
// valid, otherwise a new one from GetMcubeFileToken.
func (g *uploadGrants) take(ctx context.Context, c *Client, fileName string) (grant, error) {
	select {
	case g.turn <- struct{}{}:
	case <-ctx.Done():
		return grant{}, ctxError("waiting for an upload token", ctx.Err())
	}
	defer func() { <-g.turn }()
	fresh := false
	if g.token == nil || !c.cfg.Now().Before(g.expires) {
		token, err := c.sendGetFileToken(ctx)
		if err != nil {
			g.token = nil
			return grant{}, err
		}
		g.token, g.keys, fresh = token, map[string]bool{}, true
		// A token without a readable Expire serves this upload only.
		g.expires = time.Time{}
		if expire, ok := tokenExpiry(token.Expire); ok {
			g.expires = expire.Add(-fileTokenReuseMargin)
		}
	}
	key := g.uniqueKey(fileName)
	return grant{token: g.token, key: key, fresh: fresh}, nil
}

// drop forgets token when it is still the one held (another upload may
// already have replaced it).
func (g *uploadGrants) drop(token *fileToken) {
	g.turn <- struct{}{}
	defer func() { <-g.turn }()
	if g.token == token {
		g.token = nil
	}
}

// uniqueKey is objectKey(Dir, fileName), with "-2", "-3", ... before the
// extension when an earlier upload under this token took that key.
func (g *uploadGrants) uniqueKey(fileName string) string {
	key := objectKey(string(g.token.Dir), fileName)
	if g.keys[key] {
		stem, ext := key, ""
		if dot := strings.LastIndexByte(key, '.'); dot > len(g.token.Dir) {
			stem, ext = key[:dot], key[dot:]
		}
		for n := 2; g.keys[key]; n++ {
			key = stem + "-" + strconv.Itoa(n) + ext
		}
	}
	g.keys[key] = true
	return key
}

// UploadFile uploads the file under a file token: the one the client holds
// while it is valid, otherwise a new one. A token refused for its grant
// (grantRefused) is dropped; when it was a reused one, the upload is made
// once more with a new token.
func (c *Client) UploadFile(ctx context.Context, fileName string, size int64, open func() (io.ReadCloser, error)) (string, error) {
	if err := checkUploadFileName(fileName); err != nil {
		return "", err
	}
	g, err := c.grants.take(ctx, c, fileName)
	if err != nil {
		return "", err
	}
	fileURL, err := c.uploadAs(ctx, g.token, g.key, fileName, size, open)
	if err == nil || !grantRefused(err) {
		return fileURL, err
	}
	c.grants.drop(g.token)
	if g.fresh {
		return "", err
	}
	if g, err = c.grants.take(ctx, c, fileName); err != nil {
		return "", err
	}
	return c.uploadAs(ctx, g.token, g.key, fileName, size, open)
}
