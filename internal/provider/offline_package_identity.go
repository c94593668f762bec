package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// packageIdentityModel is the identity of a package version: its H5App and
// version, what an import names.
type packageIdentityModel struct {
	H5AppID types.String `tfsdk:"h5app_id"`
	Version types.String `tfsdk:"version"`
}

func (r *offlinePackageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"h5app_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The 8-digit ID of the H5App that holds the version, such as 12345678.",
			},
			"version": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The package version, four dot-separated numbers such as 1.0.0.1.",
			},
		},
	}
}

// setPackageIdentity records the identity of the package in m.
func setPackageIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m *offlinePackageModel) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, packageIdentityModel{H5AppID: m.H5AppID, Version: m.Version})
}
