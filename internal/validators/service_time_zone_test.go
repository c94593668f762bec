package validators

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestServiceTimeZone(t *testing.T) {
	for _, zone := range []string{"Asia/Shanghai", "UTC", "Europe/Berlin"} {
		if resp := runString(ServiceTimeZone(), types.StringValue(zone)); resp.Diagnostics.HasError() {
			t.Errorf("%s rejected: %v", zone, resp.Diagnostics)
		}
	}
	for _, zone := range []string{"China/Beijing", "Local", "+08:00"} {
		resp := runString(ServiceTimeZone(), types.StringValue(zone))
		if resp.Diagnostics.ErrorsCount() != 1 {
			t.Errorf("%s: %d errors, want 1", zone, resp.Diagnostics.ErrorsCount())
			continue
		}
		if detail := resp.Diagnostics[0].Detail(); !strings.Contains(detail, "Asia/Shanghai") || !strings.Contains(detail, zone) {
			t.Errorf("%s: detail %q names neither the zone nor the example", zone, detail)
		}
	}
	for _, value := range []types.String{types.StringNull(), types.StringUnknown()} {
		if resp := runString(ServiceTimeZone(), value); resp.Diagnostics.HasError() {
			t.Errorf("%s must be skipped: %v", value, resp.Diagnostics)
		}
	}
}
