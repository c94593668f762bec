package provider

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// The portable acceptance tests (TestAccPortable_*) run against the
// in-process emulator, like every other test, or, with MPAAS_LIVE=1 and the
// provider's credentials and IDs in the environment, against the live mPaaS
// service (make testacc-live, CONTRIBUTING.md). Live, they use only H5App IDs
// from a reserved range, which the sweeper empties.

// liveEnvVar set to 1 sends the portable tests to the live service.
const liveEnvVar = "MPAAS_LIVE"

// The reserved H5App ID range of the live suite. Every ID in it is valid
// (R2: 8 digits; R3: none of the reserved IDs; R4: starts with neither 666666
// nor 20000), and the sweeper deletes every H5App in it, so it must never
// hold a real H5App.
const (
	liveRangeFirst = 39990000
	liveRangeLast  = 39999999
)

// The H5Apps of the portable tests, one per test so they can run in parallel.
const (
	portableH5AppID   = "39990001"
	portablePackageID = "39990002"
	portableReleaseID = "39990003"
)

// liveTest says what one portable test creates in the live service.
type liveTest struct {
	name     string
	h5AppIDs []string
	creates  string
}

// liveSuite is every portable test, for -live.plan and the documentation.
var liveSuite = []liveTest{
	{"TestAccPortable_h5AppLifecycle", []string{portableH5AppID},
		"1 H5App: created, imported, renamed (a replacement: deleted and created again), destroyed"},
	{"TestAccPortable_offlinePackageReplaceImport", []string{portablePackageID},
		"1 H5App (force_destroy) with 2 package versions (0.0.0.1, then 0.0.0.2 from a changed zip; under 1 KB each, " +
			"for Android clients 99.0.0 and later, so no real client receives them), imported, destroyed with the H5App"},
	{"TestAccPortable_releaseOfficial", []string{portableReleaseID},
		"1 H5App (force_destroy), 1 package version (Android 99.0.0 and later), 1 official release task, " +
			"ended at destroy, then the H5App deleted"},
}

// liveCostNote is printed with the plan and repeated in CONTRIBUTING.md.
const liveCostNote = "Cost: about 80 API calls (as counted by the emulator) and 3 uploads of under 1 KB to the workspace's OSS bucket; nothing is " +
	"downloaded by clients (every package targets Android 99.0.0 and later). The calls count against the account's API " +
	"quota and are billed as your mPaaS plan bills API calls and storage; check the plan before the first run. " +
	"Run one live suite at a time per workspace."

var livePlan = flag.Bool("live.plan", false,
	"print what the live acceptance suite (MPAAS_LIVE=1, make testacc-live) would create, without calling the API")

// TestLivePlan prints the live suite's plan with -live.plan; without it,
// it checks that every ID the suite uses is a valid ID of the reserved range.
func TestLivePlan(t *testing.T) {
	for _, test := range liveSuite {
		for _, id := range test.h5AppIDs {
			if ok, reason := offlinepkg.ValidH5AppID(id); !ok || !inLiveRange(id) {
				t.Errorf("%s uses H5App %s, which is not a valid ID of the reserved range %d-%d: %s", test.name, id, liveRangeFirst, liveRangeLast, reason)
			}
		}
	}
	if !*livePlan {
		return
	}
	fmt.Printf("The live acceptance suite (%s=1) runs against the mPaaS workspace of MPAAS_APP_ID/MPAAS_WORKSPACE_ID "+
		"and creates, per test, then destroys:\n", liveEnvVar)
	for _, test := range liveSuite {
		fmt.Printf("  %s (H5App %s): %s\n", test.name, strings.Join(test.h5AppIDs, ", "), test.creates)
	}
	fmt.Printf("Reserved H5App IDs: %d-%d. Before and after the tests, the sweeper (go test ./internal/provider -sweep=<region>) "+
		"deletes every H5App in that range, with its package versions and release tasks.\n%s\n", liveRangeFirst, liveRangeLast, liveCostNote)
}

func inLiveRange(h5AppID string) bool {
	n, err := strconv.Atoi(h5AppID)
	return err == nil && len(h5AppID) == 8 && n >= liveRangeFirst && n <= liveRangeLast
}

// liveRequested reports whether MPAAS_LIVE=1 asks for the live service.
func liveRequested() bool { return os.Getenv(liveEnvVar) == "1" }

// liveClientFromEnv builds a client from the environment variables the
// provider reads (first found wins), for the live tests and the sweeper.
// region "" takes the environment's, else the provider's default.
func liveClientFromEnv(region string) (*mpaas.Client, error) {
	values := map[string]string{}
	var missing []string
	for _, setting := range providerSettings {
		values[setting.attribute] = resolveSetting(types.StringNull(), setting.envVars)
		if setting.required && values[setting.attribute] == "" {
			missing = append(missing, strings.Join(setting.envVars, " or "))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("set %s", strings.Join(missing, ", "))
	}
	if region == "" {
		region = values["region"]
	}
	endpoint := values["endpoint"]
	if endpoint == "" {
		var err error
		if endpoint, err = mpaas.EndpointForRegion(region); err != nil {
			return nil, err
		}
	}
	return mpaas.New(mpaas.Config{
		Endpoint: endpoint, AccessKeyID: values["access_key"], AccessKeySecret: values["secret_key"],
		SecurityToken: values["security_token"], AppID: values["app_id"], WorkspaceID: values["workspace_id"],
		TenantID: values["tenant_id"], MaxRetries: defaultMaxRetries, UserAgent: "terraform-provider-mpaas/acc-live",
	})
}

// accTarget is where a portable test runs: the in-process emulator or the
// live service. Checks go through client, which talks to either.
type accTarget struct {
	t      *testing.T
	emu    *testEnv // nil against the live service
	client *mpaas.Client
}

// newAccTarget returns the emulator, or with MPAAS_LIVE=1 the live service
// (the test skips, saying what is missing, without credentials).
func newAccTarget(t *testing.T) *accTarget {
	t.Helper()
	if !liveRequested() {
		env := newTestEnv(t)
		return &accTarget{t: t, emu: env, client: env.client}
	}
	client, err := liveClientFromEnv("")
	if err != nil {
		t.Skipf("%s=1 runs this test against the live mPaaS service, which needs credentials: %v", liveEnvVar, err)
	}
	return &accTarget{t: t, client: client}
}

// config prepends the provider block: the emulator's, or an empty one that
// takes the live credentials from the environment.
func (a *accTarget) config(body string) string {
	if a.emu != nil {
		return a.emu.config(body)
	}
	return requiredProviders + "\nprovider \"mpaas\" {}\n" + body
}

// checkAppGone is CheckDestroy: the H5App no longer exists.
func (a *accTarget) checkAppGone(h5AppID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		app, err := a.client.FindApp(context.Background(), h5AppID)
		if err != nil {
			return err
		}
		if app != nil {
			return fmt.Errorf("H5App %s still exists after destroy", h5AppID)
		}
		return nil
	}
}

// The sweeper deletes what a failed live run left in the reserved range:
// go test ./internal/provider -sweep=<region> (make testacc-live runs it
// before and after the tests).
func init() {
	resource.AddTestSweepers("mpaas_h5app", &resource.Sweeper{
		Name: "mpaas_h5app",
		F: func(region string) error {
			client, err := liveClientFromEnv(region)
			if err != nil {
				return fmt.Errorf("the mpaas_h5app sweeper needs credentials: %w", err)
			}
			deleted, err := sweepLiveRange(context.Background(), client)
			if len(deleted) == 0 {
				deleted = []string{"none"}
			}
			fmt.Printf("mpaas_h5app sweeper: H5Apps of the reserved range %d-%d deleted: %s\n",
				liveRangeFirst, liveRangeLast, strings.Join(deleted, ", "))
			return err
		},
	})
}

// sweepLiveRange deletes every H5App of the reserved range, and with it its
// package versions and release tasks (deleting an H5App deletes what it
// holds), and returns the IDs it deleted.
func sweepLiveRange(ctx context.Context, client *mpaas.Client) ([]string, error) {
	apps, err := client.ListApps(ctx, "")
	if err != nil {
		return nil, err
	}
	var deleted []string
	var errs []error
	for _, app := range apps {
		if !inLiveRange(app.H5AppID) {
			continue
		}
		if err := client.DeleteApp(ctx, app.H5AppID); err != nil {
			errs = append(errs, fmt.Errorf("H5App %s: %w", app.H5AppID, err))
			continue
		}
		deleted = append(deleted, app.H5AppID)
	}
	return deleted, errors.Join(errs...)
}

// The sweeper deletes the H5Apps of the reserved range, packages included,
// and nothing else.
func TestSweepLiveRange(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	for _, id := range []string{"39990001", "39999999", "39989999", "12345678"} {
		if err := env.client.CreateApp(ctx, id, "sweep "+id); err != nil {
			t.Fatal(err)
		}
	}
	env.createPackageOutOfBand("39990001", "1.0.0.1", "normal")
	deleted, err := sweepLiveRange(ctx, env.client)
	slices.Sort(deleted)
	if err != nil || !slices.Equal(deleted, []string{"39990001", "39999999"}) {
		t.Fatalf("sweepLiveRange deleted %v, %v; want 39990001 and 39999999", deleted, err)
	}
	apps, err := env.client.ListApps(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, app := range apps {
		left = append(left, app.H5AppID)
	}
	slices.Sort(left)
	if !slices.Equal(left, []string{"12345678", "39989999"}) {
		t.Fatalf("H5Apps left: %v, want 12345678 and 39989999", left)
	}
	if deleted, err := sweepLiveRange(ctx, env.client); err != nil || len(deleted) != 0 {
		t.Fatalf("a second sweep deleted %v, %v; want nothing", deleted, err)
	}
}
