package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func virtualDomainConfig(domain string) string {
	return fmt.Sprintf(`
resource "mpaas_virtual_domain" "test" {
  domain = %q
}
`, domain)
}

func TestAccVirtualDomain_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(virtualDomainConfig("h5app.example.com")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_virtual_domain.test", tfjsonpath.New("domain"), knownvalue.StringExact("h5app.example.com")),
					statecheck.ExpectKnownValue("mpaas_virtual_domain.test", tfjsonpath.New("id"), knownvalue.StringExact(testAppID+"/"+testWorkspaceID)),
				},
			},
			{
				ResourceName:      "mpaas_virtual_domain.test",
				ImportState:       true,
				ImportStateId:     "anything",
				ImportStateVerify: true,
			},
			{
				Config: env.config(virtualDomainConfig("cdn.example.org")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_virtual_domain.test", plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_virtual_domain.test", tfjsonpath.New("domain"), knownvalue.StringExact("cdn.example.org")),
				},
			},
		},
	})
}

func TestAccVirtualDomain_invalid(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(virtualDomainConfig("https://h5app.example.com")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`remove any scheme`),
			},
		},
	})
}
