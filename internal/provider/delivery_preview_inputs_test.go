package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// seedApp creates an H5App through the API.
func (e *testEnv) seedApp(h5AppID string) {
	e.t.Helper()
	if err := e.client.CreateApp(context.Background(), h5AppID, "seeded "+h5AppID); err != nil {
		e.t.Fatalf("create app %s: %v", h5AppID, err)
	}
}

// seedPackage uploads a package through the API with the given wire targets
// (the service's platform, min and max fields, decoded by
// mpaas.DecodeTargets) and returns its id.
func (e *testEnv) seedPackage(h5AppID, version, platform, minVersion, maxVersion string) int64 {
	e.t.Helper()
	ctx := context.Background()
	targets, err := mpaas.DecodeTargets(platform, minVersion, maxVersion)
	if err != nil {
		e.t.Fatal(err)
	}
	zipPath := normalPackageZip(e.t, h5AppID)
	info, err := os.Stat(zipPath)
	if err != nil {
		e.t.Fatal(err)
	}
	fileURL, err := e.client.UploadFile(ctx, h5AppID+".zip", info.Size(), func() (io.ReadCloser, error) { return os.Open(zipPath) })
	if err != nil {
		e.t.Fatalf("upload: %v", err)
	}
	pkg, _, err := e.client.CreatePackage(ctx, mpaas.CreatePackageInput{
		H5AppID: h5AppID, H5AppName: "seeded " + h5AppID, Version: version, FileURL: fileURL, Content: mpaas.FileContent(zipPath, info.Size()),
		PackageSettings: mpaas.PackageSettings{ResourceType: mpaas.ResourceTypeNormal, Targets: targets, MainURL: "/www/index.html",
			DownloadPolicy: mpaas.DownloadPolicyWifiOnly, InstallPolicy: mpaas.InstallPolicyOnOpen},
	})
	if err != nil {
		e.t.Fatalf("create package %s %s: %v", h5AppID, version, err)
	}
	return pkg.ID
}

// seedRelease creates a release task through the API and sets its status
// when it is not active.
func (e *testEnv) seedRelease(in mpaas.CreateReleaseInput, status mpaas.ReleaseStatus) {
	e.t.Helper()
	ctx := context.Background()
	if in.Memo == "" {
		in.Memo = "seeded"
	}
	release, err := e.client.CreateRelease(ctx, in)
	if err != nil {
		e.t.Fatalf("create release for package %d: %v", in.PackageID, err)
	}
	if status != mpaas.ReleaseStatusActive {
		if err := e.client.ChangeReleaseStatus(ctx, release.ID, in.PackageID, status); err != nil {
			e.t.Fatalf("change release %d: %v", release.ID, err)
		}
	}
}

func officialTask(packageID int64) mpaas.CreateReleaseInput {
	return mpaas.CreateReleaseInput{PackageID: packageID, Type: mpaas.ReleaseTypeOfficial}
}

func whitelistTask(packageID int64, users string, rules ...mpaas.ReleaseRule) mpaas.CreateReleaseInput {
	return mpaas.CreateReleaseInput{PackageID: packageID, Type: mpaas.ReleaseTypeGrayscale, WhitelistIDs: mpaas.SplitWhitelist(users), Rules: rules}
}

func windowTask(packageID int64, end time.Time, rules ...mpaas.ReleaseRule) mpaas.CreateReleaseInput {
	return mpaas.CreateReleaseInput{PackageID: packageID, Type: mpaas.ReleaseTypeGrayscale,
		Window: &mpaas.TimeWindow{End: end, MaxUsers: 100}, Rules: rules}
}

// apiCalls returns how many calls of each action fn made.
func (e *testEnv) apiCalls(fn func()) map[string]int64 {
	before := e.emulator.Stats()
	fn()
	delta := map[string]int64{}
	for action, n := range e.emulator.Stats() {
		if n != before[action] && !strings.HasPrefix(action, "signature:") { // which algorithm signed: not a call
			delta[action] = n - before[action]
		}
	}
	return delta
}

func TestPreviewInput_listsTasksDownToTheDeliveringVersion(t *testing.T) {
	env := newTestEnvWithoutDeliveryEndpoint(t)
	env.seedApp("12345678")
	v1 := env.seedPackage("12345678", "1.0.0.1", mpaas.PlatformAndroid, "10.0", "")
	v2 := env.seedPackage("12345678", "1.0.0.2", mpaas.PlatformAndroid, "10.0", "")
	env.seedPackage("12345678", "1.0.0.3", mpaas.PlatformAndroid, "10.0", "")
	env.seedRelease(officialTask(v1), mpaas.ReleaseStatusActive)
	env.seedRelease(officialTask(v2), mpaas.ReleaseStatusActive)
	env.seedApp("23456789")
	gray := env.seedPackage("23456789", "1.0.0.1", mpaas.PlatformAndroid, "10.0", "")
	env.seedRelease(whitelistTask(gray, "alice", mpaas.ReleaseRule{Element: mpaas.RuleCity, Operator: mpaas.RuleContains, Values: []string{"Hangzhou"}}), mpaas.ReleaseStatusActive)
	env.seedRelease(whitelistTask(gray, "bob"), mpaas.ReleaseStatusPaused)

	data := newProviderData(env.client)
	preview := func(client delivery.Client) (result delivery.Result, calls map[string]int64) {
		calls = env.apiCalls(func() {
			in, err := previewInput(context.Background(), data, client, "", time.Now())
			if err != nil {
				t.Fatalf("previewInput: %v", err)
			}
			result = delivery.Preview(in)
		})
		return result, calls
	}

	result, calls := preview(delivery.Client{Platform: delivery.Android, Version: "10.1", UserID: "alice", City: "hangzhou"})
	if len(result.Deliveries) != 1 || result.Deliveries[0].Version != "1.0.0.2" || result.Deliveries[0].PackageID != v2 ||
		len(result.Skipped) != 1 || result.Skipped[0].H5AppID != "23456789" ||
		result.Skipped[0].Reason != "release paused" {
		t.Fatalf("deliveries %+v, skipped %+v", result.Deliveries, result.Skipped)
	}
	// 1.0.0.3 (no task) and 1.0.0.2 (delivers) of the first app; 1.0.0.1 of
	// the second, whose active grayscale task is read in full, the paused one not.
	if calls[mpaas.ActionListNebulaTasks] != 3 || calls[mpaas.ActionGetNebulaTaskDetail] != 1 || calls[mpaas.ActionListNebulaApps] != 1 {
		t.Fatalf("calls %v", calls)
	}

	result, calls = preview(delivery.Client{Platform: delivery.IOS, Version: "10.1"})
	want := []delivery.Skip{{H5AppID: "12345678", Reason: "package 1.0.0.2 does not target ios"}, {H5AppID: "23456789", Reason: "package 1.0.0.1 does not target ios"}}
	if len(result.Deliveries) != 0 || fmt.Sprint(result.Skipped) != fmt.Sprint(want) {
		t.Fatalf("deliveries %+v, skipped %+v", result.Deliveries, result.Skipped)
	}
	// Nothing delivers: every version's tasks are listed.
	if calls[mpaas.ActionListNebulaTasks] != 4 {
		t.Fatalf("calls %v", calls)
	}
}

// previewClient is one client of the agreement matrix.
type previewClient struct {
	name                                          string
	platform, version                             string
	userID, city, network, osVersion, deviceModel string
}

func (c previewClient) block() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\ndata \"mpaas_delivery_preview\" %q {\n  platform       = %q\n  client_version = %q\n", c.name, c.platform, c.version)
	for _, attr := range []struct{ name, value string }{
		{"user_id", c.userID}, {"city", c.city}, {"network", c.network}, {"os_version", c.osVersion}, {"device_model", c.deviceModel},
	} {
		if attr.value != "" {
			fmt.Fprintf(&b, "  %s = %q\n", attr.name, attr.value)
		}
	}
	return b.String() + "}\n"
}

func (c previewClient) query() url.Values {
	q := url.Values{"app_id": {testAppID}, "workspace_id": {testWorkspaceID}, "tenant_id": {testTenantID},
		"platform": {c.platform}, "client_version": {c.version}}
	for name, value := range map[string]string{
		"user_id": c.userID, "city": c.city, "network": c.network, "os_version": c.osVersion, "device_model": c.deviceModel,
	} {
		if value != "" {
			q.Set(name, value)
		}
	}
	return q
}

// seedDeliveryWorkspace fills the emulator with H5Apps that exercise every
// outcome: versions above each other, both platforms, a maximum, whitelist
// and time-window releases with rules, paused and ended releases, an
// unreleased package and an H5App without packages.
func (e *testEnv) seedDeliveryWorkspace() {
	e.t.Helper()
	city := mpaas.ReleaseRule{Element: mpaas.RuleCity, Operator: mpaas.RuleContains, Values: []string{"Hangzhou", "Beijing"}}
	os12to14 := mpaas.ReleaseRule{Element: mpaas.RuleOSVersion, Operator: mpaas.RuleInRange, Values: []string{"12", "14"}}
	no2g := mpaas.ReleaseRule{Element: mpaas.RuleNetwork, Operator: mpaas.RuleExcludes, Values: []string{"2g"}}
	pixel := mpaas.ReleaseRule{Element: mpaas.RuleDeviceModel, Operator: mpaas.RuleContains, Values: []string{"Pixel 8"}}
	oldOS := mpaas.ReleaseRule{Element: mpaas.RuleOSVersion, Operator: mpaas.RuleOutOfRange, Values: []string{"15", "99"}}
	end := time.Now().Add(48 * time.Hour)

	// Official for everyone, and a higher grayscale version for some.
	e.seedApp("11111111")
	e.seedRelease(officialTask(e.seedPackage("11111111", "1.0.0.1", mpaas.PlatformAll, "Android:10.1.0,iOS:10.2.0", "")), mpaas.ReleaseStatusActive)
	e.seedRelease(whitelistTask(e.seedPackage("11111111", "1.0.0.2", mpaas.PlatformAndroid, "10.1.5", ""), "alice,carol", city, os12to14), mpaas.ReleaseStatusActive)
	e.seedPackage("11111111", "1.0.0.3", mpaas.PlatformAndroid, "10.0", "")
	// A time window up to a maximum client version.
	e.seedApp("22222222")
	e.seedRelease(windowTask(e.seedPackage("22222222", "2.0.0.1", mpaas.PlatformAndroid, "10.0", "11.0"), end, no2g), mpaas.ReleaseStatusActive)
	// An ended official release followed by a time window with two rules.
	e.seedApp("33333333")
	both := e.seedPackage("33333333", "1.0.0.1", mpaas.PlatformAll, "10.0", "12.0")
	e.seedRelease(officialTask(both), mpaas.ReleaseStatusEnded)
	e.seedRelease(windowTask(both, end, pixel, oldOS), mpaas.ReleaseStatusActive)
	e.seedApp("44444444")
	// Only a grayscale whitelist release.
	e.seedApp("55555555")
	e.seedRelease(whitelistTask(e.seedPackage("55555555", "1.0.0.1", mpaas.PlatformAndroid, "10.0", ""), "alice,carol", city, os12to14), mpaas.ReleaseStatusActive)
	e.seedApp("77777777")
	e.seedRelease(officialTask(e.seedPackage("77777777", "1.0.0.1", mpaas.PlatformIOS, "9", "")), mpaas.ReleaseStatusPaused)
	e.seedApp("88888888")
	e.seedRelease(officialTask(e.seedPackage("88888888", "1.0.0.1", mpaas.PlatformAll, "1.0", "")), mpaas.ReleaseStatusEnded)
}

func TestAccDeliveryPreview_agreesWithEmulatorEndpoint(t *testing.T) {
	env := newTestEnv(t)
	env.seedDeliveryWorkspace()
	clients := []previewClient{
		{name: "android_old", platform: "android", version: "10.0.9"},
		{name: "android_plain", platform: "android", version: "10.1.0"},
		{name: "alice_hangzhou", platform: "android", version: "10.1.5", userID: "alice", city: "Hangzhou", osVersion: "13"},
		{name: "alice_shanghai", platform: "android", version: "10.1.5", userID: "alice", city: "Shanghai", osVersion: "13"},
		{name: "carol_new_os", platform: "android", version: "10.2", userID: "carol", city: "beijing", osVersion: "15"},
		{name: "bob", platform: "android", version: "10.1.5", userID: "bob", city: "Hangzhou", osVersion: "13", network: "wifi"},
		{name: "android_2g", platform: "android", version: "10.1.5", network: "2G"},
		{name: "android_above_max", platform: "android", version: "11.0.1", network: "wifi"},
		{name: "pixel_old_os", platform: "android", version: "11.0", deviceModel: "Pixel 8", osVersion: "14.2"},
		{name: "pixel_new_os", platform: "android", version: "11.0", deviceModel: "pixel 8", osVersion: "15.1"},
		{name: "ios_old", platform: "ios", version: "10.1.9"},
		{name: "ios_pixel", platform: "ios", version: "10.2.0", deviceModel: "Pixel 8", osVersion: "13"},
		{name: "ios_new", platform: "ios", version: "13", userID: "alice", city: "Hangzhou"},
	}
	var blocks strings.Builder
	for _, c := range clients {
		blocks.WriteString(c.block())
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(blocks.String()),
			Check:  env.expectPreviewsAgree(clients),
		}},
	})
}

// expectPreviewsAgree compares each client's data source with the answer of
// GET /emulator/delivery for the same client, and checks that the matrix
// meets the outcomes it is built for.
func (e *testEnv) expectPreviewsAgree(clients []previewClient) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		reasons := map[string]bool{}
		for _, c := range clients {
			got, err := previewFromState(s, "data.mpaas_delivery_preview."+c.name)
			if err != nil {
				return err
			}
			want, err := e.previewFromEndpoint(c.query())
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			// The matrix's whitelist IDs name no whitelist: the endpoint finds
			// them missing, the data source cannot read members at all.
			got = unknownMembership.ReplaceAllString(got, "user $1 is not in the grayscale whitelist")
			if got != want {
				return fmt.Errorf("%s: the data source says\n%s\nthe emulator endpoint says\n%s", c.name, got, want)
			}
			for _, line := range strings.Split(got, "\n") {
				if _, reason, ok := strings.Cut(line, ": "); ok {
					reasons[reason] = true
				}
			}
		}
		for _, reason := range []string{
			"official release", "grayscale time window and rules",
			"release paused", "release ended", "no package",
			"client 10.0.9 is below min 10.1.5", "client 11.0.1 is above max 11.0",
			"package 2.0.0.1 does not target ios", "package 1.0.0.1 does not target android",
			"user bob is not in the grayscale whitelist", "grayscale whitelist release and no user_id given",
			// The whitelist releases' rules are never reached: no user is in those whitelists.
			`rule network excludes 2g does not match network "2G"`, `rule device_model contains Pixel 8 does not match device_model ""`,
			`rule os_version out_of_range 15,99 does not match os_version "15.1"`,
		} {
			if !reasons[reason] {
				return fmt.Errorf("no client of the matrix got %q; reasons seen: %v", reason, reasons)
			}
		}
		return nil
	}
}

var unknownMembership = regexp.MustCompile(`the members of whitelist .* cannot be read, so whether user (\S+) is in it is unknown`)

// previewFromState renders a data source's packages and skipped lists, one
// H5App a line.
func previewFromState(s *terraform.State, address string) (string, error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", address)
	}
	a := rs.Primary.Attributes
	var lines []string
	for i := 0; i < atoiOrZero(a["packages.#"]); i++ {
		p := func(key string) string { return a[fmt.Sprintf("packages.%d.%s", i, key)] }
		lines = append(lines, fmt.Sprintf("delivered %s %s package %s from %s: %s", p("h5app_id"), p("version"), p("package_id"), p("download_url"), p("reason")))
	}
	for i := 0; i < atoiOrZero(a["skipped.#"]); i++ {
		lines = append(lines, fmt.Sprintf("skipped %s: %s", a[fmt.Sprintf("skipped.%d.h5app_id", i)], a[fmt.Sprintf("skipped.%d.reason", i)]))
	}
	return strings.Join(lines, "\n"), nil
}

func atoiOrZero(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// previewFromEndpoint renders the emulator endpoint's answer like previewFromState.
func (e *testEnv) previewFromEndpoint(query url.Values) (string, error) {
	resp, err := http.Get(e.server.URL + "/emulator/delivery?" + query.Encode())
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	var answer emulator.DeliveryResponse
	if err := json.Unmarshal(body, &answer); err != nil {
		return "", err
	}
	var lines []string
	for _, d := range answer.Deliveries {
		lines = append(lines, fmt.Sprintf("delivered %s %s package %s from %s: %s", d.H5Id, d.H5Version, d.PackageId, d.DownloadUrl, d.Reason))
	}
	for _, skip := range answer.Skipped {
		lines = append(lines, fmt.Sprintf("skipped %s: %s", skip.H5Id, skip.Reason))
	}
	return strings.Join(lines, "\n"), nil
}
