package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// serviceTimeZoneDescription documents service_time_zone: the default and
// why (DESIGN.md section 6.1, GreyEndtimeData and GmtCreate).
const serviceTimeZoneDescription = "Time zone in which mPaaS reads and writes its times that carry no zone: the end of a " +
	"time-window release (`time_window.end_time`, sent as `GreyEndtimeData`) and the creation times of packages and " +
	"releases (`created_at`, read from `GmtCreate`). An IANA time zone name such as `Asia/Shanghai` or `UTC`. Default `" +
	mpaas.DefaultServiceTimeZone + "`: the API does not state the zone, and the service runs in mainland China, where its " +
	"console and sibling APIs show these times in China Standard Time. Terraform values stay RFC 3339 in UTC whatever " +
	"the setting; a wrong zone moves a time window's real end, and `created_at`, by the difference between the zones " +
	"(8 hours between `Asia/Shanghai` and `UTC`)."

// serviceTimeZoneValidator checks service_time_zone at validate time.
type serviceTimeZoneValidator struct{}

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
