package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client   *mpaas.Client
	endpoint string
	packages *packageLists
}

func newProviderData(client *mpaas.Client, endpoint string) *providerData {
	return &providerData{client: client, endpoint: endpoint, packages: newPackageLists()}
}

// listPackages returns the app's packages, shared between resources for a
// short time (see packageLists).
func (d *providerData) listPackages(ctx context.Context, h5AppID string) ([]mpaas.Package, error) {
	return d.packages.get(ctx, d.client, h5AppID)
}

// scopeID is the id of a setting that exists once per workspace:
// "<app_id>/<workspace_id>".
func (d *providerData) scopeID() string {
	return d.client.AppID() + "/" + d.client.WorkspaceID()
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
