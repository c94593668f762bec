package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Imports by identity (Terraform 1.12 and later), and the identity of an
// H5App Terraform created.
func TestAccH5App_identity(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("53000001", "made in the console")
	byIdentity := func(h5AppID string) string {
		return fmt.Sprintf("\nimport {\n  to       = mpaas_h5app.test\n  identity = { h5app_id = %q }\n}\n", h5AppID)
	}
	adopted := h5AppConfig("53000001", "made in the console", false)
	created := `
resource "mpaas_h5app" "created" {
  h5app_id = "53000002"
  name     = "made by Terraform"
}
`
	snapshot := env.writeSnapshot()
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(byIdentity("1234") + adopted),
				ExpectError: expectError("Invalid import ID", "or by identity = { h5app_id = \"12345678\" }"),
			},
			{
				Config: env.config(byIdentity("53000001") + adopted),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mpaas_h5app.test", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity("mpaas_h5app.test", h5AppIdentity("53000001"))},
				Check:             env.writesSince(&snapshot, nil),
			},
			{
				// The identity in the state imports the same H5App again, with no change.
				Config:          env.config(adopted),
				ResourceName:    "mpaas_h5app.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config:            env.config(adopted + created),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity("mpaas_h5app.created", h5AppIdentity("53000002"))},
			},
		},
	})
}

func h5AppIdentity(h5AppID string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"h5app_id": knownvalue.StringExact(h5AppID)}
}
