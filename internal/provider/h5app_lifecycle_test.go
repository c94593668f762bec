package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

const (
	lifecycleApp     = "mpaas_h5app.app"
	lifecyclePackage = "mpaas_offline_package.pkg"
	lifecycleRelease = "mpaas_offline_package_release.ga"
)

// writeActions are the emulator's counted calls that change something or
// upload a file.
var writeActions = []string{
	mpaas.ActionCreateNebulaApp, mpaas.ActionDeleteNebulaApp, mpaas.ActionCreateNebulaResource,
	mpaas.ActionCreateNebulaTask, mpaas.ActionChangeNebulaTaskStatus, mpaas.ActionGetFileToken, "oss:PostObject",
}

// lifecycleFixture is one H5App that can hold one package released to all
// clients, with the zip and the counters the tests compare across steps.
type lifecycleFixture struct {
	env     *testEnv
	h5AppID string
	zipPath string
	taskID  int64
	writes  map[string]int64
}

func newLifecycleFixture(t *testing.T, h5AppID string) *lifecycleFixture {
	return &lifecycleFixture{env: newTestEnv(t), h5AppID: h5AppID, zipPath: normalPackageZip(t, h5AppID)}
}

// config declares the H5App and, when withPackage, its package and an
// official release.
func (f *lifecycleFixture) config(name string, forceDestroy, withPackage bool) string {
	body := fmt.Sprintf(`
resource "mpaas_h5app" "app" {
  h5app_id      = %q
  name          = %q
  force_destroy = %t
}
`, f.h5AppID, name, forceDestroy)
	if withPackage {
		body += fmt.Sprintf(`
resource "mpaas_offline_package" "pkg" {
  h5app_id      = mpaas_h5app.app.h5app_id
  source        = %q
  resource_type = "normal"
  android       = { min_version = "10.1.68" }
}

resource "mpaas_offline_package_release" "ga" {
  package_id = mpaas_offline_package.pkg.id
  memo       = "General availability"
  type       = "official"
}
`, strings.ReplaceAll(f.zipPath, `\`, "/"))
	}
	return f.env.config(body)
}

// rememberWrites stores the write counts, to be compared by expectNoWrites.
func (f *lifecycleFixture) rememberWrites() {
	f.writes = f.writeCounts()
}

func (f *lifecycleFixture) writeCounts() map[string]int64 {
	stats := f.env.emulator.Stats()
	counts := make(map[string]int64, len(writeActions))
	for _, action := range writeActions {
		counts[action] = stats[action]
	}
	return counts
}

// writesSinceRemembered lists the write calls made since rememberWrites.
func (f *lifecycleFixture) writesSinceRemembered() []string {
	var made []string
	for action, count := range f.writeCounts() {
		if count != f.writes[action] {
			made = append(made, fmt.Sprintf("%s x%d", action, count-f.writes[action]))
		}
	}
	return made
}

func (f *lifecycleFixture) expectNoWrites() error {
	if made := f.writesSinceRemembered(); len(made) > 0 {
		return fmt.Errorf("expected no write call, the emulator saw %v", made)
	}
	return nil
}

// rememberTask stores the release's task ID from the state.
func (f *lifecycleFixture) rememberTask(s *terraform.State) error {
	rs, ok := s.RootModule().Resources[lifecycleRelease]
	if !ok {
		return fmt.Errorf("%s is not in the state", lifecycleRelease)
	}
	_, err := fmt.Sscan(rs.Primary.ID, &f.taskID)
	return err
}

// expectHeld checks the emulator: the H5App exists under name and holds its
// one package version, and the remembered release task is still active.
func (f *lifecycleFixture) expectHeld(name string) error {
	const packages, taskStatus = 1, mpaas.ReleaseStatusActive
	ctx := context.Background()
	app, err := f.env.client.FindApp(ctx, f.h5AppID)
	if err != nil {
		return err
	}
	if app == nil || app.Name != name {
		return fmt.Errorf("H5App %s: got %+v, want it named %q", f.h5AppID, app, name)
	}
	items, err := f.env.client.ListPackages(ctx, f.h5AppID)
	if err != nil {
		return err
	}
	if len(items) != packages {
		return fmt.Errorf("H5App %s holds %d packages, want %d", f.h5AppID, len(items), packages)
	}
	task, err := f.env.client.GetRelease(ctx, f.taskID)
	if err != nil {
		return err
	}
	if task == nil || task.Status != taskStatus {
		return fmt.Errorf("release task %d: got %+v, want status %s", f.taskID, task, taskStatus)
	}
	return nil
}

// holdingSteps create the H5App alone, then add its package and release, so
// the package's plan never looks for an H5App that does not exist yet.
func (f *lifecycleFixture) holdingSteps(name string, forceDestroy bool) []resource.TestStep {
	return []resource.TestStep{
		{Config: f.config(name, forceDestroy, false)},
		{
			Config: f.config(name, forceDestroy, true),
			Check: resource.ComposeTestCheckFunc(f.rememberTask, func(*terraform.State) error {
				return f.expectHeld(name)
			}),
		},
	}
}

// untouchedStep plans the given config, which matches the state, after a
// refused step: the plan is empty and nothing was written.
func (f *lifecycleFixture) untouchedStep(name string, forceDestroy bool) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() {
			if err := f.expectNoWrites(); err != nil {
				f.env.t.Fatal(err)
			}
		},
		Config: f.config(name, forceDestroy, true),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		Check: func(*terraform.State) error {
			return f.expectHeld(name)
		},
	}
}

func TestAccH5App_idKnownAtPlan(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(env.checkAppGone("12345678"), env.checkAppGone("23456789")),
		Steps: []resource.TestStep{
			{
				Config: env.config(h5AppConfig("12345678", "known id", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("mpaas_h5app.test", plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("id"), knownvalue.StringExact("12345678")),
					},
				},
			},
			{
				Config: env.config(h5AppConfig("23456789", "known id", false)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("mpaas_h5app.test", plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectKnownValue("mpaas_h5app.test", tfjsonpath.New("id"), knownvalue.StringExact("23456789")),
					},
				},
				Check: env.checkAppGone("12345678"),
			},
		},
	})
}

// attributeError matches a Terraform error with summary, rendered on the
// attribute of mpaas_h5app.app (Terraform prints the configuration line
// before the detail), with the detail fragments in order.
func attributeError(attribute, summary string, details ...string) *regexp.Regexp {
	source := `(?s)` + unflagged(expectError(summary)) + `.*in resource "mpaas_h5app" "app":\s+\d+:\s+` + attribute + `\s+=.*` +
		unflagged(expectError(details...))
	return regexp.MustCompile(source)
}

func unflagged(pattern *regexp.Regexp) string {
	return strings.TrimPrefix(pattern.String(), "(?s)")
}

// expectForgotten checks that the plan removes the resources from the state
// without destroying them.
type expectForgotten []string

func (addresses expectForgotten) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	actions := map[string]tfjson.Actions{}
	for _, change := range req.Plan.ResourceChanges {
		actions[change.Address] = change.Change.Actions
	}
	for _, address := range addresses {
		if !actions[address].Forget() {
			resp.Error = fmt.Errorf("%s: planned actions %v, want forget", address, actions[address])
			return
		}
	}
}

func TestAccH5App_renameWithPackages(t *testing.T) {
	f := newLifecycleFixture(t, "12345678")
	steps := f.holdingSteps("portal", false)
	steps = append(steps,
		resource.TestStep{
			PreConfig: f.rememberWrites,
			Config:    f.config("renamed portal", false, true),
			ExpectError: attributeError("name", "Replacing H5App 12345678 would delete 1 offline package version",
				"Nothing has been changed.", `set name back to "portal"`, `set force_destroy = true while name is still "portal"`,
				"terraform apply -target='mpaas_h5app.NAME'", `-target='mpaas_h5app.portal["a"]'`),
		},
		f.untouchedStep("portal", false),
		resource.TestStep{
			// force_destroy = true in the same change is not enough: the old
			// H5App is deleted with the false it has in the state.
			Config: f.config("renamed portal", true, true),
			ExpectError: attributeError("name", "Replacing H5App 12345678 would delete 1 offline package version",
				"force_destroy must be applied first"),
		},
		resource.TestStep{
			Config:   strings.Replace(f.config("portal", false, true), `h5app_id      = "12345678"`, `h5app_id      = "12345679"`, 1),
			PlanOnly: true,
			ExpectError: attributeError("h5app_id", "Replacing H5App 12345678 would delete 1 offline package version",
				`set h5app_id back to "12345678"`),
		},
		f.untouchedStep("portal", false),
		resource.TestStep{
			Config: f.config("portal", true, true),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(lifecycleApp, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(lifecyclePackage, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(lifecycleRelease, plancheck.ResourceActionNoop),
				},
			},
			Check: resource.ComposeTestCheckFunc(f.expectNoWritesCheck, func(*terraform.State) error {
				return f.expectHeld("portal")
			}),
		},
		resource.TestStep{
			// The replacement deletes the package and its release. The
			// package references h5app_id, so this plan keeps it; the next
			// plan finds its version gone and replaces it (above the version
			// clients hold), and creates the release again.
			Config: f.config("renamed portal", true, true),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(lifecycleApp, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction(lifecyclePackage, plancheck.ResourceActionNoop),
					plancheck.ExpectUnknownValue(lifecycleApp, tfjsonpath.New("id")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(lifecyclePackage, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction(lifecycleRelease, plancheck.ResourceActionCreate),
				},
			},
			ExpectNonEmptyPlan: true,
			Check: func(*terraform.State) error {
				return f.expectAppWithoutPackages("renamed portal")
			},
		},
		resource.TestStep{
			Config: f.config("renamed portal", true, true),
			Check: resource.ComposeTestCheckFunc(f.rememberTask, func(*terraform.State) error {
				return f.expectHeld("renamed portal")
			}, f.env.expectVersions("12345678", "0.0.0.2")),
		},
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             f.env.checkAppGone("12345678"),
		Steps:                    steps,
	})
}

// expectNoWritesCheck is expectNoWrites as a step check.
func (f *lifecycleFixture) expectNoWritesCheck(*terraform.State) error {
	return f.expectNoWrites()
}

// expectAppWithoutPackages checks that the H5App exists under name and
// holds no package, and that the remembered release task is gone with it.
func (f *lifecycleFixture) expectAppWithoutPackages(name string) error {
	ctx := context.Background()
	app, err := f.env.client.FindApp(ctx, f.h5AppID)
	if err != nil {
		return err
	}
	if app == nil || app.Name != name {
		return fmt.Errorf("H5App %s: got %+v, want it named %q", f.h5AppID, app, name)
	}
	items, err := f.env.client.ListPackages(ctx, f.h5AppID)
	if err != nil || len(items) != 0 {
		return fmt.Errorf("H5App %s after the replacement: %d packages (%v), want none", f.h5AppID, len(items), err)
	}
	task, err := f.env.client.GetRelease(ctx, f.taskID) // nil, nil: the service answered TASK_NOT_FOUND
	if task != nil || err != nil {
		return fmt.Errorf("release task %d after the replacement: %+v (%v), want it gone", f.taskID, task, err)
	}
	return nil
}

func TestAccH5App_destroyWithPackages(t *testing.T) {
	f := newLifecycleFixture(t, "34567890")
	steps := f.holdingSteps("portal", false)
	steps = append(steps,
		resource.TestStep{
			PreConfig: f.rememberWrites,
			Config:    f.config("portal", false, true),
			Destroy:   true,
			ExpectError: expectError("H5App 34567890 holds 1 offline package version",
				"force_destroy is false. Nothing has been changed.",
				"set force_destroy = true", "terraform apply -target='mpaas_h5app.NAME'", "destroy again",
				"removed {", "from = mpaas_h5app.NAME", "destroy = false", "terraform state rm 'mpaas_h5app.NAME'"),
		},
		f.untouchedStep("portal", false),
		resource.TestStep{
			// The documented way out: force_destroy alone is an in-place
			// update that writes nothing to mPaaS.
			Config: f.config("portal", true, true),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(lifecycleApp, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(lifecyclePackage, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(lifecycleRelease, plancheck.ResourceActionNoop),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(lifecycleApp, tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
			},
			Check: resource.ComposeTestCheckFunc(f.expectNoWritesCheck, func(*terraform.State) error {
				return f.expectHeld("portal")
			}),
		},
		resource.TestStep{
			PreConfig: f.rememberWrites,
			Config:    f.config("portal", true, true),
			Destroy:   true,
		},
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(f.env.checkAppGone("34567890"), func(*terraform.State) error {
			return f.expectOnlyDestroyWrites()
		}),
		Steps: steps,
	})
}

// expectOnlyDestroyWrites checks that the destroy since rememberWrites
// ended the release and deleted the H5App, and created or uploaded nothing.
func (f *lifecycleFixture) expectOnlyDestroyWrites() error {
	now := f.writeCounts()
	for _, action := range writeActions {
		made := now[action] - f.writes[action]
		allowed := int64(0)
		if action == mpaas.ActionDeleteNebulaApp || action == mpaas.ActionChangeNebulaTaskStatus {
			allowed = 1
		}
		if made != allowed {
			return fmt.Errorf("the destroy made %d %s calls, want %d", made, action, allowed)
		}
	}
	return nil
}

func TestAccH5App_removedBlockKeepsPackages(t *testing.T) {
	f := newLifecycleFixture(t, "45678901")
	removed := f.env.config(`
removed {
  from = mpaas_h5app.app
  lifecycle {
    destroy = false
  }
}

removed {
  from = mpaas_offline_package.pkg
  lifecycle {
    destroy = false
  }
}

removed {
  from = mpaas_offline_package_release.ga
  lifecycle {
    destroy = false
  }
}
`)
	steps := f.holdingSteps("portal", false)
	steps = append(steps, resource.TestStep{
		PreConfig: f.rememberWrites,
		Config:    removed,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{expectForgotten{lifecycleApp, lifecyclePackage, lifecycleRelease}},
		},
		Check: resource.ComposeTestCheckFunc(f.expectNoWritesCheck, func(s *terraform.State) error {
			if n := len(s.RootModule().Resources); n != 0 {
				return fmt.Errorf("the state still holds %d resources", n)
			}
			return f.expectHeld("portal")
		}),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
