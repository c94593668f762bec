package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// providerData is what Configure hands to every resource and data source:
// the API (through the cached client, which owns the listings a run shares),
// the digest caches (in memory, and on disk in offlinepkg.HashCacheDir:
// MPAAS_HASH_CACHE_DIR, or by default Terraform's data folder of the working
// directory) and the version floors of the packages this process deleted.
type providerData struct {
	client  *cachedClient
	digests offlinepkg.DigestCaches
	floors  *versionFloors
}

func newProviderData(client *mpaas.Client) *providerData {
	return &providerData{
		client:  newCachedClient(client),
		digests: offlinepkg.NewDigestCaches(offlinepkg.HashCacheDir()),
		floors:  newVersionFloors(),
	}
}

// caches returns the provider's digest caches; before the provider is
// configured (a plan of a configuration whose provider settings are not yet
// known), the process-wide defaults.
func (d *providerData) caches() offlinepkg.DigestCaches {
	if d == nil {
		return offlinepkg.DefaultDigestCaches()
	}
	return d.digests
}

// scopeID is the id of a setting that exists once per workspace:
// "<app_id>/<workspace_id>".
func (d *providerData) scopeID() string {
	return d.client.AppID() + "/" + d.client.WorkspaceID()
}

// requireClient is the one answer to an unconfigured provider, wherever the
// API is needed (plans that check the service, reads of data sources): an
// error naming what to set. It reports whether the provider is configured.
func requireClient(data *providerData, diags *diag.Diagnostics) bool {
	if data != nil && data.client != nil {
		return true
	}
	diags.AddError("Provider not configured",
		"This needs the mPaaS API, but the mpaas provider is not configured. Set access_key, secret_key, app_id, "+
			"workspace_id and tenant_id in the provider block, or ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, "+
			"MPAAS_APP_ID, MPAAS_WORKSPACE_ID and MPAAS_TENANT_ID in the environment, with values known at plan time.")
	return false
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
