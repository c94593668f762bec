package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client   *mpaas.Client
	endpoint string

	appLocksMu sync.Mutex
	appLocks   map[string]*sync.Mutex

	packages *packageLists
}

func newProviderData(client *mpaas.Client, endpoint string) *providerData {
	return &providerData{client: client, endpoint: endpoint, appLocks: map[string]*sync.Mutex{}, packages: newPackageLists()}
}

// listPackages returns the app's packages, shared between resources for a
// short time (see packageLists).
func (d *providerData) listPackages(ctx context.Context, h5AppID string) ([]mpaas.NebulaResourceListItem, error) {
	return d.packages.get(ctx, d.client, h5AppID)
}

// appLock serialises the writes that pick a version in one H5App, so that
// packages created in the same apply get distinct versions.
func (d *providerData) appLock(h5AppID string) *sync.Mutex {
	d.appLocksMu.Lock()
	defer d.appLocksMu.Unlock()
	lock, ok := d.appLocks[h5AppID]
	if !ok {
		lock = &sync.Mutex{}
		d.appLocks[h5AppID] = lock
	}
	return lock
}

// configureData extracts providerData in a resource's or data source's Configure.
func configureData(providerDataValue any, diags *diag.Diagnostics) *providerData {
	if providerDataValue == nil {
		return nil // the provider is not configured yet (validation runs)
	}
	data, ok := providerDataValue.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; please report this issue", providerDataValue))
		return nil
	}
	return data
}

// apiErrorDetail explains an API error with its action, code, message and request id.
func apiErrorDetail(err error) string {
	var apiErr *mpaas.APIError
	if errors.As(err, &apiErr) {
		return fmt.Sprintf("The mPaaS API action %s failed.\n\nCode: %s\nMessage: %s\nRequest ID: %s",
			apiErr.Action, apiErr.Code, apiErr.Message, apiErr.RequestID)
	}
	return err.Error()
}

// validH5AppIDForImport checks an import ID against R2-R4 before any API call.
func validH5AppIDForImport(id string) (bool, string) {
	ok, reason := offlinepkg.ValidH5AppID(id)
	if !ok {
		return false, reason + "."
	}
	return true, ""
}

// createAttempts bounds how often a create is sent again after an ambiguous
// failure that left no object behind; lookupAttempts bounds the lookups that
// decide it.
const (
	createAttempts = 3
	lookupAttempts = 3
)

// createIdempotently sends a create; after an ambiguous failure (the request
// may or may not have been processed) it asks exists whether the object is
// there and sends the create again only when the answer is a clear no. The
// API has no client tokens, so this lookup is what keeps a retried create
// from making a duplicate. When no lookup answers, the ambiguous error is
// returned rather than risking a second object.
func createIdempotently(create func() error, exists func() (bool, error)) error {
	var err error
	for attempt := 0; attempt < createAttempts; attempt++ {
		if err = create(); err == nil || !mpaas.IsAmbiguous(err) {
			return err
		}
		found, lookupErr := lookUp(exists)
		if lookupErr != nil {
			return err
		}
		if found {
			return nil
		}
	}
	return err
}

// lookUp retries a lookup (a read, so safe to repeat) a few times.
func lookUp(exists func() (bool, error)) (found bool, err error) {
	for attempt := 0; attempt < lookupAttempts; attempt++ {
		if found, err = exists(); err == nil {
			return found, nil
		}
	}
	return false, err
}
