package provider

import (
	"context"
	"sync"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

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
