package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func h5AppConfig(id, name string, forceDestroy bool) string {
	return fmt.Sprintf(`
resource "mpaas_h5app" "test" {
  h5app_id      = %q
  name          = %q
  force_destroy = %t
}
`, id, name, forceDestroy)
}

func (e *testEnv) checkAppGone(h5AppID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		app, err := e.client.FindApp(context.Background(), h5AppID)
		if err != nil {
			return err
		}
		if app != nil {
			return fmt.Errorf("H5App %s still exists after destroy", h5AppID)
		}
		return nil
	}
}

func TestAccH5App_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkAppGone("12345678"),
		Steps: []resource.TestStep{
			{
				Config: env.config(h5AppConfig("12345678", "demo app", false)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("id"), knownvalue.StringExact("12345678")),
					statecheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("name"), knownvalue.StringExact("demo app")),
					statecheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("resource_type"), knownvalue.Null()),
				},
			},
			{
				ResourceName:      "mpaas_h5app.test",
				ImportState:       true,
				ImportStateId:     "12345678",
				ImportStateVerify: true,
			},
			{
				Config: env.config(h5AppConfig("12345678", "renamed app", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_h5app.test", plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("name"), knownvalue.StringExact("renamed app")),
				},
			},
			{
				Config: env.config(h5AppConfig("12345678", "renamed app", true)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_h5app.test", plancheck.ResourceActionUpdate)},
				},
			},
		},
	})
}

func TestAccH5App_importBlock(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := env.client.CreateApp(context.Background(), "23456789", "made in the console"); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(`
import {
  to = mpaas_h5app.test
  id = "23456789"
}
` + h5AppConfig("23456789", "made in the console", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_h5app.test", plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("name"), knownvalue.StringExact("made in the console")),
				},
			},
		},
	})
}

func TestAccH5App_invalidIDs(t *testing.T) {
	env := newTestEnv(t)
	cases := []struct {
		id    string
		error []string
	}{
		{"1234567", []string{"Invalid H5App ID (R2)", "must be exactly 8 digits"}},
		{"123456789", []string{"Invalid H5App ID (R2)", "must be exactly 8 digits"}},
		{"1234567a", []string{"Invalid H5App ID (R2)", "must be exactly 8 digits"}},
		{"20000196", []string{"Invalid H5App ID (R3)", "reserved by the mPaaS client SDK"}},
		{"68687209", []string{"Invalid H5App ID (R3)", "reserved by the mPaaS client SDK"}},
		{"66666612", []string{"Invalid H5App ID (R4)", "must not start with 666666"}},
		{"20000123", []string{"Invalid H5App ID (R4)", "must not start with 20000"}},
	}
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      env.config(h5AppConfig(tc.id, "bad", false)),
			PlanOnly:    true,
			ExpectError: expectError(tc.error...),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      env.config(h5AppConfig("12345678", "bad\tname", false)),
		PlanOnly:    true,
		ExpectError: expectError("control character"),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}

func TestAccH5App_driftDeletedOutOfBand(t *testing.T) {
	env := newTestEnv(t)
	config := env.config(h5AppConfig("34567890", "drifting", false))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := env.client.DeleteApp(context.Background(), "34567890"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_h5app.test", plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestAccH5App_alreadyExists(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := env.client.CreateApp(context.Background(), "45678901", "someone else's"); err != nil {
						t.Fatal(err)
					}
				},
				Config:      env.config(h5AppConfig("45678901", "mine", false)),
				ExpectError: expectError("already exists", "import"),
			},
		},
	})
}

func TestAccH5App_forceDestroy(t *testing.T) {
	env := newTestEnv(t)
	withPackage := func() {
		env.createPackageOutOfBand("56789012", "1.0.0.1", "normal")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkAppGone("56789012"),
		Steps: []resource.TestStep{
			{Config: env.config(h5AppConfig("56789012", "holds packages", false))},
			{
				PreConfig: withPackage,
				Config:    env.config(h5AppConfig("56789012", "holds packages", false)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("resource_type"), knownvalue.StringExact("normal")),
				},
			},
			{
				Config:      env.config(h5AppConfig("56789012", "holds packages", false)),
				Destroy:     true,
				ExpectError: expectError("H5App 56789012 holds 1 offline package version", "Nothing has been changed.", "set force_destroy = true"),
			},
			{
				Config: env.config(h5AppConfig("56789012", "holds packages", true)),
				Check: func(*terraform.State) error {
					packages, err := env.client.ListPackages(context.Background(), "56789012")
					if err != nil {
						return err
					}
					if len(packages) != 1 {
						return fmt.Errorf("the refused destroy must keep the package, found %d", len(packages))
					}
					return nil
				},
			},
		},
	})
}
