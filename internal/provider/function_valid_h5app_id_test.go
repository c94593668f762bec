package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestFunctionValidH5AppID(t *testing.T) {
	var steps []resource.TestStep
	for _, tc := range []struct {
		id     string
		valid  bool
		reason string
	}{
		{"12345678", true, ""},
		{"00000001", true, ""},
		{"1234567", false, `H5App ID "1234567" must be exactly 8 digits (0-9), such as 12345678`},
		{"123456789", false, `H5App ID "123456789" must be exactly 8 digits (0-9), such as 12345678`},
		{"1234567a", false, `H5App ID "1234567a" must be exactly 8 digits (0-9), such as 12345678`},
		{"", false, `H5App ID "" must be exactly 8 digits (0-9), such as 12345678`},
		{"20000196", false, `H5App ID "20000196" is reserved by the mPaaS client SDK`},
		{"68687209", false, `H5App ID "68687209" is reserved by the mPaaS client SDK`},
		{"66666612", false, `H5App ID "66666612" must not start with 666666`},
		{"20000123", false, `H5App ID "20000123" must not start with 20000`},
	} {
		var reason knownvalue.Check = knownvalue.StringExact(tc.reason)
		if !tc.valid {
			reason = knownvalue.StringRegexp(regexp.MustCompile("^" + regexp.QuoteMeta(tc.reason)))
		}
		steps = append(steps, resource.TestStep{
			Config: functionConfig(fmt.Sprintf("provider::mpaas::valid_h5app_id(%q)", tc.id)),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("result", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"valid":  knownvalue.Bool(tc.valid),
				"reason": reason,
			}))},
		})
	}
	// Usable in a variable validation, the way module authors would.
	steps = append(steps, resource.TestStep{
		Config: requiredProviders + `
variable "h5app_id" {
  type    = string
  default = "66666601"
  validation {
    condition     = provider::mpaas::valid_h5app_id(var.h5app_id).valid
    error_message = provider::mpaas::valid_h5app_id(var.h5app_id).reason
  }
}
output "result" {
  value = var.h5app_id
}
`,
		ExpectError: expectError(`must not start with 666666`),
	})
	resource.UnitTest(t, functionTestCase(steps...))
}
