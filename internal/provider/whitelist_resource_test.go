package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

const whitelistAddr = "mpaas_whitelist.qa"

func whitelistBlock(kind, members string) string {
	return fmt.Sprintf(`
resource "mpaas_whitelist" "qa" {
  name    = "QA testers"
  type    = %q
  members = %s
}
`, kind, members)
}

// grayscaleToWhitelist is a package of 24680135 released to the whitelist qa.
func grayscaleToWhitelist(t *testing.T) string {
	return releasablePackage(t, "pkg", "24680135", `  android = { min_version = "10.1.0" }`) + releaseBlock("gray", `
  package_id    = mpaas_offline_package.pkg.id
  memo          = "QA first"
  type          = "grayscale"
  whitelist_ids = [mpaas_whitelist.qa.id]`)
}

// deliveredTo is the version of 24680135 the emulator delivers to user, or
// the reason it delivers none.
func (e *testEnv) deliveredTo(user string) (string, error) {
	q := url.Values{"app_id": {testAppID}, "workspace_id": {testWorkspaceID}, "tenant_id": {testTenantID},
		"platform": {"android"}, "client_version": {"10.1.0"}, "user_id": {user}, "h5app_id": {"24680135"}}
	answer, err := e.previewFromEndpoint(q)
	if err != nil {
		return "", err
	}
	if rest, ok := strings.CutPrefix(answer, "delivered 24680135 "); ok {
		return strings.Fields(rest)[0], nil
	}
	return answer, nil
}

// expectDelivery checks who the emulator delivers 0.0.0.1 to.
func (e *testEnv) expectDelivery(receive []string, notReceive []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, user := range receive {
			if got, err := e.deliveredTo(user); err != nil || got != "0.0.0.1" {
				return fmt.Errorf("user %s should receive 0.0.0.1, gets %q (%v)", user, got, err)
			}
		}
		for _, user := range notReceive {
			if got, err := e.deliveredTo(user); err != nil || got == "0.0.0.1" {
				return fmt.Errorf("user %s should receive nothing, gets %q (%v)", user, got, err)
			}
		}
		return nil
	}
}

// expectTaskNamesWhitelist checks that the release names the whitelist's ID.
func (e *testEnv) expectTaskNamesWhitelist() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		task, err := e.taskOf(s, "mpaas_offline_package_release.gray")
		if err != nil {
			return err
		}
		id := s.RootModule().Resources[whitelistAddr].Primary.ID
		if len(task.WhitelistIDs) != 1 || task.WhitelistIDs[0] != id {
			return fmt.Errorf("the release names whitelists %v, want [%s]", task.WhitelistIDs, id)
		}
		return nil
	}
}

// expectStats checks the emulator's call counts of the given actions.
func (e *testEnv) expectStats(want map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stats := e.emulator.Stats()
		for action, n := range want {
			if stats[action] != n {
				return fmt.Errorf("%s called %d times, want %d (all: %v)", action, stats[action], n, stats)
			}
		}
		return nil
	}
}

func TestAccWhitelist_grayscaleDeliveryFollowsMembers(t *testing.T) {
	env := newTestEnv(t)
	gray := grayscaleToWhitelist(t)
	// 300 more members go as an uploaded file rather than in the request.
	many := `toset(concat(["alice", "carol"], [for i in range(300) : "user-${i}"]))`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(whitelistBlock("normal", `["alice", "bob"]`) + gray),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whitelistAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(whitelistAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.expectTaskNamesWhitelist(),
					env.expectDelivery([]string{"alice", "bob"}, []string{"carol", "anyone"}),
					env.expectWhitelistIDIsNoUser(),
				),
			},
			{
				Config: env.config(whitelistBlock("normal", many) + gray),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(whitelistAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("mpaas_offline_package_release.gray", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whitelistAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(302)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.expectDelivery([]string{"alice", "carol", "user-299"}, []string{"bob"}),
					// One whitelist, never replaced; one removal; the package and the members file uploaded.
					env.expectStats(map[string]int64{
						mpaas.ActionCreateWhitelist: 1, mpaas.ActionDeleteWhitelistContent: 1, mpaas.ActionUpdateWhitelist: 2,
						mpaas.ActionCreateNebulaTask: 1, "oss:PostObject": 2,
					}),
				),
			},
			{
				ResourceName:            whitelistAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"members"},
			},
		},
		CheckDestroy: env.expectNoWhitelists(),
	})
}

// expectWhitelistIDIsNoUser checks that a user named like the whitelist's
// ID receives nothing: membership, not the ID, decides.
func (e *testEnv) expectWhitelistIDIsNoUser() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := s.RootModule().Resources[whitelistAddr].Primary.ID
		return e.expectDelivery(nil, []string{id})(s)
	}
}

func (e *testEnv) expectNoWhitelists() resource.TestCheckFunc {
	return func(*terraform.State) error {
		lists, err := e.client.ListWhitelists(context.Background(), "")
		if err != nil || len(lists) != 0 {
			return fmt.Errorf("after destroy the emulator lists %v (%v)", lists, err)
		}
		return nil
	}
}

func TestAccWhitelist_regexMembers(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(whitelistBlock("regex", `["qa-[0-9]+", "staff-[0-9]{2,3}"]`) + grayscaleToWhitelist(t)),
			Check:  env.expectDelivery([]string{"qa-1", "staff-42"}, []string{"qa-x", "staff-4", "xqa-1"}),
		}},
	})
}

// An imported whitelist's members are unknown: the next plan adds every
// configured member, in place, and nothing already there is removed.
func TestAccWhitelist_importThenApplyAddsConfiguredMembers(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	id, err := env.client.CreateWhitelist(ctx, "QA testers", mpaas.WhitelistNormal)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.client.AddWhitelistMembers(ctx, id, []string{"alice", "zed"}); err != nil {
		t.Fatal(err)
	}
	config := env.config(whitelistBlock("normal", `["alice", "dave"]`) + grayscaleToWhitelist(t))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             env.config(whitelistBlock("normal", `["alice", "dave"]`)),
				ResourceName:       whitelistAddr,
				ImportState:        true,
				ImportStateId:      formatID(id),
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					a := states[0].Attributes
					if a["name"] != "QA testers" || a["type"] != "normal" || a["member_count"] != "2" || a["members.#"] != "" {
						return fmt.Errorf("imported %v", a)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(whitelistAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(whitelistAddr, tfjsonpath.New("id"), knownvalue.StringExact(formatID(id))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whitelistAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(3)),
				},
				Check: env.expectDelivery([]string{"alice", "dave", "zed"}, []string{"bob"}),
			},
		},
	})
}

func TestAccWhitelist_membersCheckedAtPlan(t *testing.T) {
	env := newTestEnv(t)
	for _, tc := range []struct {
		kind, members string
		want          []string
	}{
		{"regex", `["qa-[0-9]+", "qa-("]`, []string{"Invalid regular expression", `"qa-(" is not a regular expression`, "missing closing )"}},
		{"regex", `["(?=x)"]`, []string{"Invalid regular expression", "look-arounds"}},
		{"normal", `["alice,bob"]`, []string{"Invalid whitelist member", "comma", "alice, bob"}},
		{"normal", `[" alice"]`, []string{"spaces around it"}},
		{"normal", `[""]`, []string{"must not be empty"}},
		{"vip", `["alice"]`, []string{"type"}},
	} {
		t.Run(tc.kind+tc.members, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      env.config(whitelistBlock(tc.kind, tc.members)),
					PlanOnly:    true,
					ExpectError: expectError(tc.want...),
				}},
			})
		})
	}
	if n := env.emulator.Stats()[mpaas.ActionCreateWhitelist]; n != 0 {
		t.Fatalf("an invalid configuration created %d whitelists", n)
	}
}

func TestAccWhitelists_dataSource(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	other, err := env.client.CreateWhitelist(ctx, "ops", mpaas.WhitelistRegex)
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(whitelistBlock("normal", `["alice", "bob", "carol"]`) + `
data "mpaas_whitelists" "all" {
  depends_on = [mpaas_whitelist.qa]
}
data "mpaas_whitelists" "qa" {
  depends_on = [mpaas_whitelist.qa]
  name_regex = "^QA"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.mpaas_whitelists.all", tfjsonpath.New("whitelists"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(formatID(other)), "name": knownvalue.StringExact("ops"),
						"type": knownvalue.StringExact("regex"), "member_count": knownvalue.Int64Exact(0),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.NotNull(), "name": knownvalue.StringExact("QA testers"),
						"type": knownvalue.StringExact("normal"), "member_count": knownvalue.Int64Exact(3),
					}),
				})),
				statecheck.ExpectKnownValue("data.mpaas_whitelists.qa", tfjsonpath.New("whitelists"), knownvalue.ListSizeExact(1)),
				statecheck.CompareValuePairs("data.mpaas_whitelists.qa", tfjsonpath.New("whitelists").AtSliceIndex(0).AtMapKey("id"),
					whitelistAddr, tfjsonpath.New("id"), compare.ValuesSame()),
			},
		}},
	})
}
