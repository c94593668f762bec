package provider

import (
	"context"
	"sync"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// appCatalogue shares one listing of the workspace's H5Apps between the
// lookups of a provider process, so that checking the H5Apps of N packages
// (or refreshing N H5Apps) costs one paged listing, not two searches each.
// The listing lives as long as a package list (packageListTTL); the H5Apps
// this process creates or deletes are laid over it, so its own writes are
// never missed. Writes that must decide on fresh data (creating an H5App)
// ask the client directly.
type appCatalogue struct {
	mu      sync.Mutex
	listing *appListing
	added   map[string]mpaas.App
	removed map[string]bool
	now     func() time.Time
}

type appListing struct {
	done    chan struct{}
	apps    map[string]mpaas.App
	err     error
	fetched time.Time
}

func newAppCatalogue() *appCatalogue {
	return &appCatalogue{added: map[string]mpaas.App{}, removed: map[string]bool{}, now: time.Now}
}

// find returns the H5App, or nil when the workspace has none with this ID.
// When the listing fails, the client looks the one app up instead.
func (c *appCatalogue) find(ctx context.Context, client *mpaas.Client, h5AppID string) (*mpaas.App, error) {
	listing := c.current(ctx, client)
	if listing.err != nil {
		return client.FindApp(ctx, h5AppID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if app, ok := c.added[h5AppID]; ok {
		return &app, nil
	}
	if app, ok := listing.apps[h5AppID]; ok && !c.removed[h5AppID] {
		return &app, nil
	}
	return nil, nil
}

// current returns a fresh listing, listing the workspace's H5Apps when there
// is none; concurrent callers wait for one listing.
func (c *appCatalogue) current(ctx context.Context, client *mpaas.Client) *appListing {
	c.mu.Lock()
	if listing := c.listing; listing != nil && c.now().Sub(listing.fetched) < packageListTTL {
		c.mu.Unlock()
		<-listing.done
		return listing
	}
	listing := &appListing{done: make(chan struct{}), fetched: c.now()}
	c.listing = listing
	c.mu.Unlock()

	apps, err := client.ListApps(ctx, "")
	listing.err = err
	listing.apps = make(map[string]mpaas.App, len(apps))
	for _, app := range apps {
		listing.apps[app.H5AppID] = app
	}
	if err != nil {
		c.mu.Lock()
		if c.listing == listing {
			c.listing = nil // errors are not kept
		}
		c.mu.Unlock()
	}
	close(listing.done)
	return listing
}

// created records an H5App this process created.
func (c *appCatalogue) created(app mpaas.App) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.added[app.H5AppID] = app
	delete(c.removed, app.H5AppID)
}

// deleted records an H5App this process deleted.
func (c *appCatalogue) deleted(h5AppID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.added, h5AppID)
	c.removed[h5AppID] = true
}
