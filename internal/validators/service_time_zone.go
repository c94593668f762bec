package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

var _ validator.String = serviceTimeZoneValidator{}

type serviceTimeZoneValidator struct{}

// ServiceTimeZone requires a zone the client accepts for mPaaS's zone-less
// times (mpaas.LoadServiceTimeZone decides): an IANA name, not "Local".
func ServiceTimeZone() validator.String { return serviceTimeZoneValidator{} }

func (serviceTimeZoneValidator) Description(context.Context) string {
	return "must be an IANA time zone name such as " + mpaas.DefaultServiceTimeZone + " or UTC"
}

func (v serviceTimeZoneValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (serviceTimeZoneValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := mpaas.LoadServiceTimeZone(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid service_time_zone", err.Error()+".")
	}
}
