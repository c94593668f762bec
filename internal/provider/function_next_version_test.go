package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// functionConfig calls a provider function in an output; functions need no
// provider configuration.
func functionConfig(expression string) string {
	return requiredProviders + fmt.Sprintf(`
output "result" {
  value = %s
}
`, expression)
}

func functionTestCase(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	}
}

func TestFunctionNextVersion(t *testing.T) {
	var steps []resource.TestStep
	for _, tc := range []struct{ in, want string }{
		{"1.0.0.9", "1.0.0.10"},
		{"0.0.0.0", "0.0.0.1"},
		{"1.2.3.4", "1.2.3.5"},
		{"01.00.0.09", "1.0.0.10"},
		{"9.9.9.2147483646", "9.9.9.2147483647"},
	} {
		steps = append(steps, resource.TestStep{
			Config:            functionConfig(fmt.Sprintf("provider::mpaas::next_version(%q)", tc.in)),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("result", knownvalue.StringExact(tc.want))},
		})
	}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"1.0.0", []string{"Invalid function argument", "four dot-separated numbers"}},
		{"1.0.0.0.1", []string{"Invalid function argument", "four dot-separated numbers"}},
		{"1.0.a.1", []string{"Invalid function argument", `"a" is not a whole number`}},
		{"1.0.-1.1", []string{"Invalid function argument", "not a whole number"}},
		{"1..0.1", []string{"Invalid function argument", "a part is empty", "such as 1.0.0.1"}},
		{"", []string{"Invalid function argument", "four dot-separated numbers"}},
		{"1.0.0.99999999999999999999999", []string{"Invalid function argument", "is larger than 2147483647"}},
		{"1.0.0.2147483647", []string{"Invalid function argument", "cannot be incremented"}},
	} {
		steps = append(steps, resource.TestStep{
			Config:      functionConfig(fmt.Sprintf("provider::mpaas::next_version(%q)", tc.in)),
			ExpectError: expectError(tc.want...),
		})
	}
	resource.UnitTest(t, functionTestCase(steps...))
}
