package provider

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccH5AppsDataSource_afterBatch(t *testing.T) {
	env := newTestEnv(t)
	if err := env.client.CreateApp(context.Background(), "44444444", "Portal"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeBatchZip(t, dir, "56565656", "admin")
	writeBatchZip(t, dir, "55555555", "shop")
	batch := fmt.Sprintf(`
module "batch" {
  source    = %q
  directory = %q
  overrides = {
    "55555555" = { h5app_name = "Shop" }
    "56565656" = { h5app_name = "Shop admin" }
  }
}
`, batchModulePath(t), filepath.ToSlash(dir))
	lists := func(nameRegex string) string {
		return batch + fmt.Sprintf(`
data "mpaas_h5apps" "all" {
  depends_on = [module.batch]
}

data "mpaas_h5apps" "shops" {
  name_regex = %q
  depends_on = [module.batch]
}

output "all_ids" {
  value = data.mpaas_h5apps.all.ids
}

output "all" {
  value = data.mpaas_h5apps.all.h5apps
}

output "shop_ids" {
  value = data.mpaas_h5apps.shops.ids
}
`, nameRegex)
	}
	ids := func(values ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(values))
		for i, v := range values {
			checks[i] = knownvalue.StringExact(v)
		}
		return knownvalue.ListExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		Steps: moduleSteps(t, []resource.TestStep{
			{Config: env.config(batch)},
			{
				Config: env.config(lists("^Shop")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("all_ids", ids("44444444", "55555555", "56565656")),
					statecheck.ExpectKnownOutputValueAtPath("all", tfjsonpath.New(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"h5app_id": knownvalue.StringExact("44444444"),
						"name":     knownvalue.StringExact("Portal"),
					})),
					statecheck.ExpectKnownOutputValueAtPath("all", tfjsonpath.New(2).AtMapKey("name"), knownvalue.StringExact("Shop admin")),
					statecheck.ExpectKnownOutputValue("shop_ids", ids("55555555", "56565656")),
				},
			},
			{
				Config: env.config(lists("no app is called this")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("shop_ids", ids()),
				},
			},
			{
				Config:      env.config(lists("Shop(")),
				ExpectError: expectError("Invalid name_regex", `name_regex "Shop(" is not a regular expression: missing closing )`),
			},
			moduleCleanupStep(env),
		}...),
	})
}
