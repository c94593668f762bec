package mpaas

import (
	"context"
	"net/url"
	"strconv"
)

// App is an H5App: the container of an offline package's versions.
type App struct {
	// H5AppID is the 8-digit ID that identifies the app within the client's scope.
	H5AppID string
	Name    string
}

// ListApps returns every H5App matching keyword ("" for all), following
// pages of 100 until the list is complete (morePages).
func (c *Client) ListApps(ctx context.Context, keyword string) ([]App, error) {
	return listAll(ctx, ActionListNebulaApps, func(app App) string { return app.H5AppID },
		func(ctx context.Context, page int32) ([]App, listPaging, error) {
			return c.sendListApps(ctx, keyword, page, listAllPageSize)
		})
}

// FindApp returns the H5App whose ID is exactly h5AppID, or nil, nil when
// there is none. There is no single-app Get action: the list is searched
// with Keyword=h5AppID as a hint and, since nothing says Keyword matches
// IDs (DESIGN.md section 6.1), the whole list is read when the hint does not
// find the app. An absent app is thus confirmed by a complete listing.
func (c *Client) FindApp(ctx context.Context, h5AppID string) (*App, error) {
	if h5AppID == "" {
		return nil, nil
	}
	for _, keyword := range []string{h5AppID, ""} {
		apps, err := c.ListApps(ctx, keyword)
		if err != nil {
			return nil, err
		}
		for i := range apps {
			if apps[i].H5AppID == h5AppID {
				return &apps[i], nil
			}
		}
	}
	return nil, nil
}

// CreateApp creates an H5App. After an ambiguous failure it looks for the
// app (with this ID and name) before sending the create again.
func (c *Client) CreateApp(ctx context.Context, h5AppID, name string) error {
	writes := c.lockApp(h5AppID)
	defer writes.Unlock()
	err := c.createApp(ctx, h5AppID, name, func(app *App) bool { return app.Name == name })
	writes.exists = writes.exists || err == nil
	return err
}

// EnsureApp creates the H5App unless it exists (under any name); created
// says whether it did. Several packages of one new app may ensure it at the
// same time: the app's lock makes them create it once, and an app this
// client created or found before is not looked up again. The check before
// the create is the keyword search alone (one call, whatever the size of
// the workspace); should the search miss an app that exists, the service
// refuses the create, and a complete lookup then confirms the app.
func (c *Client) EnsureApp(ctx context.Context, h5AppID, name string) (created bool, err error) {
	return c.ensureApp(ctx, h5AppID, name, true)
}

// EnsureUnlistedApp is EnsureApp for an H5App that a complete listing of
// the caller did not show (in this run, and the caller saw no write of it
// since): the create is sent without searching first, saving a round trip
// per new H5App. An app created by someone else after that listing is not
// missed: the service refuses the create of an ID that exists, and a
// complete lookup then confirms the app (created is false).
func (c *Client) EnsureUnlistedApp(ctx context.Context, h5AppID, name string) (created bool, err error) {
	return c.ensureApp(ctx, h5AppID, name, false)
}

func (c *Client) ensureApp(ctx context.Context, h5AppID, name string, searchFirst bool) (created bool, err error) {
	writes := c.lockApp(h5AppID)
	defer writes.Unlock()
	if writes.exists {
		return false, nil
	}
	if searchFirst {
		existing, err := c.searchApp(ctx, h5AppID)
		if err != nil {
			return false, err
		}
		if existing != nil {
			writes.exists = true
			return false, nil
		}
	}
	err = c.createApp(ctx, h5AppID, name, func(*App) bool { return true })
	if err != nil && isRefusal(err) {
		if found, findErr := c.FindApp(ctx, h5AppID); findErr == nil && found != nil {
			writes.exists = true
			return false, nil
		}
	}
	writes.exists = err == nil
	return err == nil, err
}

// searchApp is the keyword search of FindApp without its complete listing:
// nil when the search does not show the app.
func (c *Client) searchApp(ctx context.Context, h5AppID string) (*App, error) {
	apps, err := c.ListApps(ctx, h5AppID)
	if err != nil {
		return nil, err
	}
	for i := range apps {
		if apps[i].H5AppID == h5AppID {
			return &apps[i], nil
		}
	}
	return nil, nil
}

// createApp creates the app idempotently: after an ambiguous failure an
// app with this ID that matches counts as created.
func (c *Client) createApp(ctx context.Context, h5AppID, name string, matches func(*App) bool) error {
	return createIdempotently(
		func() error { return c.sendCreateApp(ctx, h5AppID, name) },
		func() (bool, error) {
			found, err := c.FindApp(ctx, h5AppID)
			return found != nil && matches(found), err
		})
}

// DeleteApp deletes an H5App and every package version it holds.
func (c *Client) DeleteApp(ctx context.Context, h5AppID string) error {
	writes := c.lockApp(h5AppID)
	defer writes.Unlock()
	// Whatever the answer, the app may be gone: forget what the writes said.
	writes.exists, writes.registered = false, nil
	return c.sendDeleteApp(ctx, h5AppID)
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
