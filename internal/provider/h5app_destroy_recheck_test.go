package provider

import (
	"context"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// TestAccH5App_destroyRechecksAtApply: the plan-time refusal of destroying
// an H5App that holds packages (ModifyPlan) sees the H5App as it was at
// plan. A package registered out of band between `terraform plan -destroy
// -out` and `terraform apply` of that saved plan must still stop the
// destroy: Delete lists the packages again and refuses, so nothing is
// deleted.
func TestAccH5App_destroyRechecksAtApply(t *testing.T) {
	const h5AppID = "30040001"
	env := newTestEnv(t)
	cli := newCLIRun(t)
	cli.write("main.tf", env.providerBlock()+`
resource "mpaas_h5app" "app" {
  h5app_id = "`+h5AppID+`"
  name     = "recheck"
}
`)
	cli.init()
	cli.must(0, "apply", "-auto-approve")

	out := cli.must(0, "plan", "-destroy", "-out=destroy.tfplan")
	mustContain(t, out, "Plan: 0 to add, 0 to change, 1 to destroy.")

	// Another pipeline (or the console) registers a package now.
	packageID := env.createPackageOutOfBand(h5AppID, "", "normal")

	out = cli.must(1, "apply", "destroy.tfplan")
	mustContain(t, out, heldSummary(h5AppID, 1), "The H5App was not deleted.", "set force_destroy = true")

	if n := env.emulator.Stats()[mpaas.ActionDeleteNebulaApp]; n != 0 {
		t.Fatalf("%s called %d times; the destroy must be refused before it", mpaas.ActionDeleteNebulaApp, n)
	}
	app, err := env.client.FindApp(context.Background(), h5AppID)
	if err != nil || app == nil {
		t.Fatalf("H5App %s after the refused destroy: %+v, %v; want it kept", h5AppID, app, err)
	}
	packages, err := env.client.ListPackages(context.Background(), h5AppID)
	if err != nil || len(packages) != 1 || packages[0].Version != "0.0.0.1" {
		t.Fatalf("packages of %s: %+v, %v; want the out-of-band package %s kept", h5AppID, packages, err, packageID)
	}
	// The state still manages the H5App, so the next plan refuses at plan.
	out = cli.must(1, "plan", "-destroy")
	mustContain(t, out, heldSummary(h5AppID, 1))
}
