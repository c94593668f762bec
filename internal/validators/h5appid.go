// Package validators holds the provider's attribute validators.
package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

var _ validator.String = h5AppIDValidator{}

type h5AppIDValidator struct{}

// H5AppID checks the console's H5App ID rules R2-R4, one error per broken rule.
func H5AppID() validator.String { return h5AppIDValidator{} }

func (h5AppIDValidator) Description(_ context.Context) string {
	return "must be exactly 8 digits, not reserved by the mPaaS client SDK, and not start with 666666 or 20000"
}

func (v h5AppIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (h5AppIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	for _, problem := range offlinepkg.CheckH5AppID(id) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid H5App ID ("+problem.Rule+")",
			fmt.Sprintf("H5App ID %q %s.", id, problem.Message))
	}
}
