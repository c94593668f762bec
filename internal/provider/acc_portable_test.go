package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The portable acceptance tests run against the emulator or, with
// MPAAS_LIVE=1, the live service (acc_target_test.go). Every check goes
// through the API client, so it holds on both; packages target Android
// 99.0.0 and later, so a live release reaches no real client.

// livePackageTargets is the client range of every portable package.
const livePackageTargets = `
  resource_type = "normal"
  android       = { min_version = "99.0.0" }
  main_url      = "/www/index.html"
`

// portableApp is an H5App that destroy deletes with its packages.
func portableApp(h5AppID, name string) string {
	return fmt.Sprintf(`
resource "mpaas_h5app" "app" {
  h5app_id      = %q
  name          = %q
  force_destroy = true
}
`, h5AppID, name)
}

// portablePackage is a package of mpaas_h5app.app from the zip at source.
func portablePackage(source string) string {
	return fmt.Sprintf(`
resource "mpaas_offline_package" "pkg" {
  h5app_id = mpaas_h5app.app.h5app_id
  source   = %q
%s}
`, source, livePackageTargets)
}

// expectVersions checks the versions the H5App holds, through the client.
func (a *accTarget) expectVersions(h5AppID string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		packages, err := a.client.ListPackages(context.Background(), h5AppID)
		if err != nil {
			return err
		}
		got := make([]string, len(packages))
		for i, pkg := range packages {
			got[i] = pkg.Version
		}
		slices.Sort(got)
		if !slices.Equal(got, slices.Sorted(slices.Values(want))) {
			return fmt.Errorf("H5App %s holds versions %v, want %v", h5AppID, got, want)
		}
		return nil
	}
}

// expectApp checks the H5App's name, through the client.
func (a *accTarget) expectApp(h5AppID, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		app, err := a.client.FindApp(context.Background(), h5AppID)
		if err != nil {
			return err
		}
		if app == nil || app.Name != name {
			return fmt.Errorf("H5App %s is %+v, want it named %q", h5AppID, app, name)
		}
		return nil
	}
}

func TestAccPortable_h5AppLifecycle(t *testing.T) {
	target := newAccTarget(t)
	config := func(name string) string {
		return target.config(fmt.Sprintf(`
resource "mpaas_h5app" "app" {
  h5app_id = %q
  name     = %q
}
`, portableH5AppID, name))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             target.checkAppGone(portableH5AppID),
		Steps: []resource.TestStep{
			{
				Config: config("tf-acc portable"),
				Check:  target.expectApp(portableH5AppID, "tf-acc portable"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_h5app.app", tfjsonpath.New("id"), knownvalue.StringExact(portableH5AppID)),
					statecheck.ExpectKnownValue("mpaas_h5app.app", tfjsonpath.New("resource_type"), knownvalue.Null()),
				},
			},
			{
				ResourceName:      "mpaas_h5app.app",
				ImportState:       true,
				ImportStateId:     portableH5AppID,
				ImportStateVerify: true,
			},
			{
				Config: config("tf-acc portable renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_h5app.app", plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: target.expectApp(portableH5AppID, "tf-acc portable renamed"),
			},
		},
	})
}

func TestAccPortable_offlinePackageReplaceImport(t *testing.T) {
	target := newAccTarget(t)
	dir := t.TempDir()
	first := writeZip(t, dir, "v1.zip", map[string]string{portablePackageID + "/www/index.html": "portable v1"})
	second := writeZip(t, dir, "v2.zip", map[string]string{portablePackageID + "/www/index.html": "portable v2"})
	config := func(source string) string {
		return target.config(portableApp(portablePackageID, "tf-acc portable packages") + portablePackage(source))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             target.checkAppGone(portablePackageID),
		Steps: []resource.TestStep{
			{
				Config: config(first),
				Check:  target.expectVersions(portablePackageID, "0.0.0.1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.1")),
					statecheck.ExpectKnownValue("mpaas_h5app.app", tfjsonpath.New("resource_type"), knownvalue.Null()),
				},
			},
			{
				// Changed files: a replacement, i.e. a new version beside the old one.
				Config: config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mpaas_offline_package.pkg", plancheck.ResourceActionReplace)},
				},
				Check: target.expectVersions(portablePackageID, "0.0.0.1", "0.0.0.2"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package.pkg", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.2")),
					statecheck.ExpectKnownValue("mpaas_h5app.app", tfjsonpath.New("resource_type"), knownvalue.StringExact(string(mpaas.ResourceTypeNormal))),
				},
			},
			{
				ResourceName:            "mpaas_offline_package.pkg",
				ImportState:             true,
				ImportStateId:           portablePackageID + "/0.0.0.2",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"source", "source_sha256", "content_sha256"},
			},
		},
	})
}

func TestAccPortable_releaseOfficial(t *testing.T) {
	target := newAccTarget(t)
	source := writeZip(t, t.TempDir(), "site.zip", map[string]string{portableReleaseID + "/www/index.html": "portable release"})
	config := target.config(portableApp(portableReleaseID, "tf-acc portable release") + portablePackage(source) + `
resource "mpaas_offline_package_release" "ga" {
  package_id = mpaas_offline_package.pkg.id
  memo       = "tf-acc portable official release"
  type       = "official"
}
`)
	var taskID int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(target.checkAppGone(portableReleaseID), func(*terraform.State) error {
			return target.expectTaskGoneOrEnded(taskID)
		}),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					var err error
					if taskID, err = parseID("release task id", s.RootModule().Resources["mpaas_offline_package_release.ga"].Primary.ID); err != nil {
						return err
					}
					return target.expectTask(taskID, mpaas.ReleaseTypeOfficial, mpaas.ReleaseStatusActive)
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mpaas_offline_package_release.ga", tfjsonpath.New("version"), knownvalue.StringExact("0.0.0.1")),
					statecheck.ExpectKnownValue("mpaas_offline_package_release.ga", tfjsonpath.New("h5app_id"), knownvalue.StringExact(portableReleaseID)),
				},
			},
			{
				ResourceName:            "mpaas_offline_package_release.ga",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"created_at"},
			},
		},
	})
}

// expectTask checks a release task's type and status, through the client.
func (a *accTarget) expectTask(id int64, releaseType mpaas.ReleaseType, status mpaas.ReleaseStatus) error {
	release, err := a.client.GetRelease(context.Background(), id)
	if err != nil {
		return err
	}
	if release == nil || release.Type != releaseType || release.Status != status {
		return fmt.Errorf("release task %d is %+v, want %s and %s", id, release, releaseType, status)
	}
	return nil
}

// expectTaskGoneOrEnded checks, after destroy, that the task was ended or
// went with its H5App.
func (a *accTarget) expectTaskGoneOrEnded(id int64) error {
	release, err := a.client.GetRelease(context.Background(), id)
	if err != nil || release == nil {
		return err
	}
	if release.Status != mpaas.ReleaseStatusEnded {
		return fmt.Errorf("release task %d is %s after destroy, want ended or gone", id, release.Status)
	}
	return nil
}
