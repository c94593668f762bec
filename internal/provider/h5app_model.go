package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

type h5AppModel struct {
	ID           types.String `tfsdk:"id"`
	H5AppID      types.String `tfsdk:"h5app_id"`
	Name         types.String `tfsdk:"name"`
	ForceDestroy types.Bool   `tfsdk:"force_destroy"`
	ResourceType types.String `tfsdk:"resource_type"`
}

// applyApp copies what the API reports about the H5App into the model;
// resourceType is the type its packages fixed (null while it has none).
func applyApp(m *h5AppModel, app *mpaas.App, resourceType types.String) {
	m.ID = types.StringValue(app.H5AppID)
	m.H5AppID = types.StringValue(app.H5AppID)
	m.Name = types.StringValue(app.Name)
	m.ResourceType = resourceType
	if m.ForceDestroy.IsNull() {
		m.ForceDestroy = types.BoolValue(false)
	}
}

// appResourceType returns the type fixed by the app's packages (null when it
// has none), from the shared package list. Every package of an app has its
// type (R6), so the first one that can be read tells; when none can,
// earlier (the state's value) is kept, or the raw code when it is null, with
// a warning (see keepString).
func appResourceType(ctx context.Context, data *providerData, h5AppID string, earlier types.String, diags *diag.Diagnostics) (types.String, error) {
	packages, err := data.client.ListPackages(ctx, h5AppID)
	if err != nil || len(packages) == 0 {
		return types.StringNull(), err
	}
	for _, pkg := range packages {
		if pkg.ResourceType != "" {
			return types.StringValue(string(pkg.ResourceType)), nil
		}
	}
	field, _ := mpaas.UndecodedField(packages[0].DecodeError, mpaas.FieldResourceType).(mpaas.FieldDecodeError)
	kept, k := keepString("resource_type", earlier, field.Code)
	warnUndecoded(diags, fmt.Sprintf("the packages of H5App %s", h5AppID), field, earlier.IsNull(), k)
	return kept, nil
}
