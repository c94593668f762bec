package provider

import (
	"context"
	"sync"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// cachedClient is every resource's and data source's one path to the mPaaS
// API: the client, with the two listings a run shares (each H5App's
// packages, packageLists; the workspace's H5Apps, appCatalogue). Reads of
// those listings are answered from them, and the writes that change them
// (an H5App created or deleted, a package registered) keep them true
// themselves, so no caller invalidates anything. Every other action is the
// client's own, through the embedded *mpaas.Client.
type cachedClient struct {
	*mpaas.Client
	packages *packageLists
	apps     *appCatalogue
}

func newCachedClient(client *mpaas.Client) *cachedClient {
	return &cachedClient{Client: client, packages: newPackageLists(), apps: newAppCatalogue()}
}

// ListPackages returns the H5App's packages from the run's shared list.
func (c *cachedClient) ListPackages(ctx context.Context, h5AppID string) ([]mpaas.Package, error) {
	return c.packages.get(ctx, c.Client, h5AppID)
}

// FreshPackages lists the H5App's packages now, for a decision that must
// not rest on an earlier list (deleting an H5App that may hold packages);
// the shared list is replaced by this one.
func (c *cachedClient) FreshPackages(ctx context.Context, h5AppID string) ([]mpaas.Package, error) {
	c.packages.invalidate(h5AppID)
	return c.packages.get(ctx, c.Client, h5AppID)
}

// FindApp looks the H5App up in the run's catalogue (nil when the
// workspace has none with this ID).
func (c *cachedClient) FindApp(ctx context.Context, h5AppID string) (*mpaas.App, error) {
	return c.apps.find(ctx, c.Client, h5AppID)
}

// FreshFindApp looks the H5App up now, past the catalogue: for writes that
// must decide on the service's current answer.
func (c *cachedClient) FreshFindApp(ctx context.Context, h5AppID string) (*mpaas.App, error) {
	return c.Client.FindApp(ctx, h5AppID)
}

// AppGone reports whether the H5App is confirmed absent now (deleted out
// of band, or never created); a failed lookup confirms nothing.
func (c *cachedClient) AppGone(ctx context.Context, h5AppID string) bool {
	app, err := c.FreshFindApp(ctx, h5AppID)
	return err == nil && app == nil
}

// CreateApp creates the H5App and records it in the catalogue.
func (c *cachedClient) CreateApp(ctx context.Context, h5AppID, name string) error {
	if err := c.Client.CreateApp(ctx, h5AppID, name); err != nil {
		return err
	}
	c.packages.invalidate(h5AppID)
	c.apps.created(mpaas.App{H5AppID: h5AppID, Name: name})
	return nil
}

// EnsureUnlistedApp creates an H5App the catalogue did not show (see
// mpaas.Client.EnsureUnlistedApp) and records it.
func (c *cachedClient) EnsureUnlistedApp(ctx context.Context, h5AppID, name string) (created bool, err error) {
	created, err = c.Client.EnsureUnlistedApp(ctx, h5AppID, name)
	if err != nil {
		return false, err
	}
	c.packages.invalidate(h5AppID)
	c.apps.created(mpaas.App{H5AppID: h5AppID, Name: name})
	return created, nil
}

// DeleteApp deletes the H5App and forgets it and its packages. A failed
// delete of an H5App that a look-up then finds gone (deleted out of band,
// or by an earlier attempt whose answer was lost) is a delete.
func (c *cachedClient) DeleteApp(ctx context.Context, h5AppID string) error {
	defer c.packages.invalidate(h5AppID)
	if err := c.Client.DeleteApp(ctx, h5AppID); err != nil && !c.AppGone(ctx, h5AppID) {
		return err
	}
	c.apps.deleted(h5AppID)
	return nil
}

// CreatePackage registers the package; the H5App's shared list is
// forgotten whatever the outcome (an ambiguous failure may have registered it).
func (c *cachedClient) CreatePackage(ctx context.Context, in mpaas.CreatePackageInput) (mpaas.Package, bool, error) {
	defer c.packages.invalidate(in.H5AppID)
	return c.Client.CreatePackage(ctx, in)
}

// packageListTTL bounds how long one listing of an app's packages is reused.
// A provider process serves one phase of one Terraform command, and its own
// writes forget the entries they change, so the bound only limits how long
// a change made elsewhere can go unseen. It must outlast the refresh of a
// large configuration: with 1,000 packages Terraform alone needs about a
// minute to walk them, and a shorter bound listed each H5App again and again
// (tools/bench/results.md, 100 H5Apps of 10 versions).
const packageListTTL = 10 * time.Minute

// packageLists shares each H5App's package list between the resources that
// read it, so refreshing N packages of one app costs one list call, not N.
// Concurrent readers wait for one call; errors are not kept; every write to
// an app forgets its entry.
type packageLists struct {
	mu      sync.Mutex
	entries map[string]*packageListEntry
	now     func() time.Time
}

type packageListEntry struct {
	done    chan struct{}
	items   []mpaas.Package
	err     error
	fetched time.Time
}

func newPackageLists() *packageLists {
	return &packageLists{entries: map[string]*packageListEntry{}, now: time.Now}
}

// get returns the app's packages, listing them when no fresh entry exists.
func (p *packageLists) get(ctx context.Context, client *mpaas.Client, h5AppID string) ([]mpaas.Package, error) {
	p.mu.Lock()
	if entry, ok := p.entries[h5AppID]; ok && p.now().Sub(entry.fetched) < packageListTTL {
		p.mu.Unlock()
		<-entry.done
		if entry.err == nil {
			return entry.items, nil
		}
		return client.ListPackages(ctx, h5AppID)
	}
	entry := &packageListEntry{done: make(chan struct{}), fetched: p.now()}
	p.entries[h5AppID] = entry
	p.mu.Unlock()

	entry.items, entry.err = client.ListPackages(ctx, h5AppID)
	if entry.err != nil {
		p.forget(h5AppID, entry)
	}
	close(entry.done)
	return entry.items, entry.err
}

// invalidate drops the app's entry after a write.
func (p *packageLists) invalidate(h5AppID string) {
	p.forget(h5AppID, nil)
}

func (p *packageLists) forget(h5AppID string, only *packageListEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if entry, ok := p.entries[h5AppID]; ok && (only == nil || entry == only) {
		delete(p.entries, h5AppID)
	}
}

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
