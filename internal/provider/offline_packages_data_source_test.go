package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccOfflinePackagesDataSource_afterBatch(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	for _, id := range []string{"77777777", "99999999"} {
		if err := env.client.CreateApp(ctx, id, "app "+id); err != nil {
			t.Fatal(err)
		}
	}
	// Created out of version order; the API lists the newest first.
	for _, version := range []string{"1.0.0.9", "1.0.0.10", "1.0.0.2"} {
		env.createPackageOutOfBand("77777777", version, "normal")
	}
	dir := t.TempDir()
	zipPath := writeBatchZip(t, dir, "77777777", "batch")
	batch := fmt.Sprintf(`
module "batch" {
  source    = %q
  directory = %q
}
`, batchModulePath(t), filepath.ToSlash(dir))
	list := func(h5AppID string) string {
		return batch + fmt.Sprintf(`
data "mpaas_offline_packages" "this" {
  h5app_id   = %q
  depends_on = [module.batch]
}

output "versions" {
  value = [for p in data.mpaas_offline_packages.this.packages : p.version]
}

output "packages" {
  value = data.mpaas_offline_packages.this.packages
}

output "latest_version" {
  value = data.mpaas_offline_packages.this.latest_version
}

# Terraform leaves null outputs out of the state.
output "has_latest_version" {
  value = data.mpaas_offline_packages.this.latest_version != null
}
`, h5AppID)
	}
	info, err := os.Stat(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		Steps: moduleSteps(t, []resource.TestStep{
			{Config: env.config(batch)},
			{
				Config: env.config(list("77777777")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("versions", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1.0.0.2"),
						knownvalue.StringExact("1.0.0.9"),
						knownvalue.StringExact("1.0.0.10"),
						knownvalue.StringExact("1.0.0.11"), // the batch's package: the next version (R24)
					})),
					statecheck.ExpectKnownOutputValue("latest_version", knownvalue.StringExact("1.0.0.11")),
					// The module's default targets: both platforms, every client version.
					statecheck.ExpectKnownOutputValueAtPath("packages", tfjsonpath.New(3), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"resource_type":   knownvalue.StringExact("normal"),
						"android":         knownvalue.ObjectExact(map[string]knownvalue.Check{"min_version": knownvalue.StringExact("0.0.0"), "max_version": knownvalue.Null()}),
						"ios":             knownvalue.ObjectExact(map[string]knownvalue.Check{"min_version": knownvalue.StringExact("0.0.0"), "max_version": knownvalue.Null()}),
						"main_url":        knownvalue.Null(),
						"file_size":       knownvalue.Int64Exact(info.Size()),
						"download_policy": knownvalue.StringExact("wifi_only"),
						"install_policy":  knownvalue.StringExact("on_open"),
						"download_url":    knownvalue.NotNull(),
						"id":              knownvalue.NotNull(),
					})),
					// Out-of-band packages target Android only.
					statecheck.ExpectKnownOutputValueAtPath("packages", tfjsonpath.New(0).AtMapKey("ios"), knownvalue.Null()),
					statecheck.ExpectKnownOutputValueAtPath("packages", tfjsonpath.New(0).AtMapKey("android").AtMapKey("min_version"), knownvalue.StringExact("1.0.0")),
				},
			},
			{
				Config: env.config(list("99999999")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("versions", knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownOutputValue("has_latest_version", knownvalue.Bool(false)),
				},
			},
			{
				Config:      env.config(list("88888888")),
				ExpectError: expectError("H5App 88888888 does not exist", "No H5App with ID 88888888 exists"),
			},
			{
				Config:      env.config(list("2000123")),
				ExpectError: expectError("Invalid H5App ID (R2)", `H5App ID "2000123" must be exactly 8 digits`),
			},
			moduleCleanupStep(env),
		}...),
	})
}
