package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestFunctionCompareVersions(t *testing.T) {
	var steps []resource.TestStep
	for _, tc := range []struct {
		a, b string
		want int64
	}{
		{"1.0.0.9", "1.0.0.10", -1},
		{"1.0.0.10", "1.0.0.9", 1},
		{"1.0.0.1", "1.0.0.1", 0},
		{"01.0.0.1", "1.00.0.1", 0},
		{"0.0.0.0", "0.0.0.1", -1},
		{"2.0.0.0", "1.999.999.999", 1},
		{"2147483647.0.0.0", "2147483646.2147483647.2147483647.2147483647", 1},
	} {
		steps = append(steps, resource.TestStep{
			Config:            functionConfig(fmt.Sprintf("provider::mpaas::compare_versions(%q, %q)", tc.a, tc.b)),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("result", knownvalue.Int64Exact(tc.want))},
		})
	}
	for _, tc := range []struct {
		a, b string
		want []string
	}{
		{"1.0", "1.0.0.1", []string{"Invalid function argument", `"a"`, "four dot-separated numbers"}},
		{"1.0.0.1", "v1.0.0.1", []string{"Invalid function argument", `"b"`, "not a whole number"}},
		{"1.0.0.1", "1.0.0.2147483648", []string{"Invalid function argument", `"b"`, "larger than 2147483647"}},
	} {
		steps = append(steps, resource.TestStep{
			Config:      functionConfig(fmt.Sprintf("provider::mpaas::compare_versions(%q, %q)", tc.a, tc.b)),
			ExpectError: expectError(tc.want...),
		})
	}
	resource.UnitTest(t, functionTestCase(steps...))
}
