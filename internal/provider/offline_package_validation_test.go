package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// onAttribute matches an error with the given summary reported on the
// configuration line that sets the attribute (Terraform prints that line
// under the summary).
func onAttribute(summary, attributeLine string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + regexp.QuoteMeta(summary) + `.*\d+:\s+` + regexp.QuoteMeta(attributeLine))
}

// onNested matches an error on an attribute nested in android or ios: shown
// on the configuration line that sets it (see nestedAttributePath), with the
// detail naming the attribute.
func onNested(summary, attributeLine, attribute string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + regexp.QuoteMeta(summary) + `.*\d+:\s+` + regexp.QuoteMeta(attributeLine) + `.*` + regexp.QuoteMeta(attribute))
}

// TestAccOfflinePackage_planTimeRules runs one plan per console rule, each
// failing with an error on the attribute that breaks it.
func TestAccOfflinePackage_planTimeRules(t *testing.T) {
	env := newTestEnv(t)
	env.createAppOutOfBand("12345678", "normal app")
	env.createPackageOutOfBand("12345678", "1.0.0.1", "normal")
	env.createAppOutOfBand("23456789", "empty app")

	dir := t.TempDir()
	good := writeZip(t, dir, "good.zip", map[string]string{"23456789/www/index.html": "ok"})
	normalInGlobalApp := writeZip(t, dir, "normal.zip", map[string]string{"12345678/www/index.html": "ok"})
	globalForNormalApp := writeZip(t, dir, "global-ok.zip", map[string]string{"12345678/mcube-prod.mpaascloud.com/ONEX_default/a.js": "ok"})
	globalWrongHost := writeZip(t, dir, "global-bad.zip", map[string]string{"23456789/static/app.js": "x"})
	globalPartly := writeZip(t, dir, "global-partly.zip", map[string]string{
		"23456789/mcube-prod.mpaascloud.com/ONEX_default/a.js": "ok", "23456789/static/app.js": "x"})
	longPath := "/" + strings.Repeat("a", 95) + "/x.js" // 101 characters
	globalLongPath := writeZip(t, dir, "global-long.zip", map[string]string{"23456789/mcube-prod.mpaascloud.com" + longPath: "x"})
	outside := writeZip(t, dir, "outside.zip", map[string]string{"23456789/www/index.html": "ok", "other/evil.js": "x"})
	slip := writeZip(t, dir, "slip.zip", map[string]string{"23456789/../../evil.sh": "x"})
	notZip := filepath.Join(dir, "not-a-zip.zip")
	if err := os.WriteFile(notZip, []byte("this is text, not a zip archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	tarball := filepath.Join(dir, "pkg.tar.gz")
	if err := os.WriteFile(tarball, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	pkg := func(h5AppID, source, body string) string {
		return env.config(pkgBlock("pkg", h5AppID, source, body))
	}
	cases := []struct {
		name   string
		config string
		want   *regexp.Regexp
	}{
		{"R6 type fixed by the first package", pkg("12345678", globalForNormalApp, `
  resource_type = "global"
  android       = { min_version = "1.0" }`), onAttribute("H5App 12345678 holds normal packages", `resource_type = "global"`)},
		{"R7 global second-level folder", pkg("23456789", globalPartly, `
  resource_type = "global"
  android       = { min_version = "1.0" }`), onAttribute("Invalid offline package (R7)", `source   =`)},
		{"R7 normal files in a global package", pkg("23456789", globalWrongHost, `
  resource_type = "global"
  android       = { min_version = "1.0" }`), onAttribute("Invalid offline package (R7)", `resource_type = "global"`)},
		{"R7 global path length", pkg("23456789", globalLongPath, `
  resource_type = "global"
  android       = { min_version = "1.0" }`), expectError("Invalid offline package (R7)", "100 characters")},
		{"R8 version format", pkg("23456789", good, androidOnly+`
  version = "1.0.0"`), onAttribute("Invalid version (R8)", `version = "1.0.0"`)},
		{"R9 not a zip name", pkg("23456789", tarball, androidOnly), onAttribute("The package must be a .zip file (R9)", `source   =`)},
		{"R9 not zip content", pkg("23456789", notZip, androidOnly), onAttribute("Invalid offline package (R9)", `source   =`)},
		{"R10 client version format", pkg("23456789", good, `
  resource_type = "normal"
  android       = { min_version = "ten" }`), onNested("Invalid client version (R10)", `android       = { min_version = "ten" }`, "android.min_version")},
		{"R11 at least one platform", pkg("23456789", good, `
  resource_type = "normal"`), regexp.MustCompile(`No client platform \(R11\)`)},
		{"R12 max strategy", pkg("23456789", good, `
  resource_type = "normal"
  android       = { min_version = "1.0", max_version = "9.0" }
  ios           = { min_version = "1.0" }`), onNested("Different max_version strategies (R12)", `ios           = { min_version = "1.0" }`, "ios.max_version")},
		{"R12 both maximums set and different", pkg("23456789", good, `
  resource_type = "normal"
  android       = { min_version = "1.0", max_version = "9.0" }
  ios           = { min_version = "1.0", max_version = "9.1" }`), regexp.MustCompile(onNested("Different max_version strategies (R12)",
			`ios           = { min_version = "1.0", max_version = "9.1" }`, "ios.max_version").String() + `.*android\s+has\s+"9\.0"\s+and\s+ios\s+has\s+"9\.1"`)},
		{"min above max", pkg("23456789", good, `
  resource_type = "normal"
  android       = { min_version = "10.2", max_version = "10.1.99" }`), onNested("max_version below min_version", `android       = { min_version = "10.2", max_version = "10.1.99" }`, "android.max_version")},
		{"R15 main_url syntax", pkg("23456789", good, androidOnly+`
  main_url = "www/index.html"`), onAttribute("Invalid main_url (R15)", `main_url = "www/index.html"`)},
		{"R15 main_url missing from zip", pkg("23456789", good, androidOnly+`
  main_url = "/www/missing.html"`), onAttribute("Invalid offline package (R15)", `main_url = "/www/missing.html"`)},
		{"R16 asyncReqRate range", pkg("23456789", good, androidOnly+`
  extend_info = { asyncReqRate = "86401" }`), onAttribute("Invalid asyncReqRate (R16)", `extend_info = { asyncReqRate = "86401" }`)},
		{"R16 asyncReqRate integer", pkg("23456789", good, androidOnly+`
  extend_info = { asyncReqRate = "1.5" }`), onAttribute("Invalid asyncReqRate (R16)", `extend_info = { asyncReqRate = "1.5" }`)},
		{"R17 download policy", pkg("23456789", good, androidOnly+`
  download_policy = "sometimes"`), onAttribute("Invalid Attribute Value Match", `download_policy = "sometimes"`)},
		{"R18 install policy", pkg("23456789", good, androidOnly+`
  install_policy = "later"`), onAttribute("Invalid Attribute Value Match", `install_policy = "later"`)},
		{"R19 pinned version exists", pkg("12345678", normalInGlobalApp, androidOnly+`
  version = "1.0.0.1"`), onAttribute("Version 1.0.0.1 already exists", `version = "1.0.0.1"`)},
		{"layout entries outside the H5App folder", pkg("23456789", outside, androidOnly), onAttribute("Invalid offline package", `source   =`)},
		{"layout zip slip", pkg("23456789", slip, androidOnly), expectError("Invalid offline package", "..")},
		{"zip top folder names another app", pkg("23456789", normalInGlobalApp, androidOnly), onAttribute("Invalid offline package", `source   =`)},
		{"missing file", pkg("23456789", filepath.Join(dir, "nope.zip"), androidOnly), onAttribute("Cannot read the package file", `source   =`)},
		{"configured hash mismatch", pkg("23456789", good, androidOnly+`
  source_sha256 = "`+strings.Repeat("0", 64)+`"`), onAttribute("source_sha256 does not match the file", `source_sha256 =`)},
		{"R2 H5App ID", pkg("1234567", good, androidOnly), onAttribute("Invalid H5App ID (R2)", `h5app_id = "1234567"`)},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{Config: tc.config, PlanOnly: true, ExpectError: tc.want})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}

func (e *testEnv) createAppOutOfBand(h5AppID, name string) {
	e.t.Helper()
	if err := e.client.CreateApp(context.Background(), h5AppID, name); err != nil {
		e.t.Fatalf("create app %s: %v", h5AppID, err)
	}
}

// TestAccOfflinePackage_maxVersionWarnsButPlans runs terraform plan as a user
// does (terraform-plugin-testing does not show warnings): the same maximum on
// both platforms is allowed (R12) and warned about once per platform, on the
// line that sets it (R13); the plan and the apply go through, and the
// emulator holds the package with that maximum for both platforms.
func TestAccOfflinePackage_maxVersionWarnsButPlans(t *testing.T) {
	const h5AppID = "67890123"
	env := newTestEnv(t)
	cli := newCLIRun(t)
	if err := buildZip(cli.path("pkg.zip"), map[string]string{h5AppID + "/www/index.html": "ok"}); err != nil {
		t.Fatal(err)
	}
	cli.write("main.tf", env.config(pkgBlock("pkg", h5AppID, "pkg.zip", `
  resource_type           = "normal"
  android                 = { min_version = "10.1", max_version = "11.0" }
  ios                     = { min_version = "10.3", max_version = "11.0" }
  create_h5app_if_missing = true`)))
	cli.init()
	// The human view folds warnings with the same summary into "(and one
	// more similar warning elsewhere)"; the JSON view lists each one.
	out := cli.must(0, "plan", "-json")
	warnings := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		var message struct {
			Diagnostic *struct {
				Severity, Summary, Detail string
				Snippet                   struct{ Code string }
			}
		}
		if err := json.Unmarshal([]byte(line), &message); err != nil || message.Diagnostic == nil {
			continue
		}
		d := message.Diagnostic
		if d.Severity != "warning" || d.Summary != "A maximum client version cuts off future clients (R13)" {
			t.Errorf("unexpected diagnostic: %+v", *d)
			continue
		}
		for _, platform := range []string{"android", "ios"} {
			if strings.HasPrefix(d.Detail, platform+".max_version: clients of "+platform+" upgraded past 11.0 ") &&
				strings.HasPrefix(strings.TrimSpace(d.Snippet.Code), fmt.Sprintf(`%-23s = { min_version = "`, platform)) {
				warnings[platform]++
			}
		}
	}
	if warnings["android"] != 1 || warnings["ios"] != 1 {
		t.Fatalf("want one R13 warning on android.max_version and one on ios.max_version (on its line), got %v:\n%s", warnings, out)
	}
	mustContain(t, out, "Plan: 1 to add, 0 to change, 0 to destroy.")

	cli.must(0, "apply", "-auto-approve")
	packages, err := env.client.ListPackages(context.Background(), h5AppID)
	if err != nil || len(packages) != 1 {
		t.Fatalf("packages of %s: %+v, %v; want one", h5AppID, packages, err)
	}
	want := mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1", Max: "11.0"}, IOS: &mpaas.VersionRange{Min: "10.3", Max: "11.0"}}
	if got := packages[0].Targets; !reflect.DeepEqual(got, want) {
		t.Fatalf("the emulator holds targets android %+v, ios %+v; want %+v, %+v", got.Android, got.IOS, want.Android, want.IOS)
	}
}

func TestWarnMaxVersionsOncePerPlatformOnItsPath(t *testing.T) {
	ctx := context.Background()
	android, diags := types.ObjectValue(platformAttrTypes, map[string]attr.Value{"min_version": types.StringValue("1.0"), "max_version": types.StringValue("2.0")})
	if diags.HasError() {
		t.Fatal(diags)
	}
	m := &offlinePackageModel{Android: android, IOS: types.ObjectNull(platformAttrTypes)}
	var got diag.Diagnostics
	warnMaxVersions(ctx, m, &got)
	if got.HasError() || got.WarningsCount() != 1 || !strings.Contains(got.Warnings()[0].Summary(), "R13") {
		t.Fatalf("want one R13 warning, got %v", got)
	}
	withPath, ok := got.Warnings()[0].(diag.DiagnosticWithPath)
	if !ok || !withPath.Path().Equal(nestedAttributePath("android", "max_version")) {
		t.Fatalf("the warning must be on android.max_version, got %v", got.Warnings()[0])
	}
	// The static checks, run by terraform validate and again at plan, do not repeat it.
	var static diag.Diagnostics
	checkPlatforms(decodePlatform(ctx, "android", android, &static), platformArg{name: "ios", known: true}, &static)
	if len(static) != 0 {
		t.Fatalf("checkPlatforms must not warn: %v", static)
	}
}

func TestPackageSettingsFromModel(t *testing.T) {
	ctx := context.Background()
	platform := func(minVersion string) types.Object {
		return types.ObjectValueMust(platformAttrTypes, map[string]attr.Value{"min_version": types.StringValue(minVersion), "max_version": types.StringNull()})
	}
	m := offlinePackageModel{
		H5AppID: types.StringValue("12345678"), ResourceType: types.StringValue("global"), Version: types.StringUnknown(),
		Android: platform("10.1.0"), IOS: types.ObjectNull(platformAttrTypes), MainURL: types.StringValue("/www/index.html"),
		Vhost: types.StringUnknown(), DownloadPolicy: types.StringValue("all_networks"), InstallPolicy: types.StringValue("preload"),
		ExtendInfo: types.MapValueMust(types.StringType, map[string]attr.Value{"z": types.StringValue("1"), "asyncReqRate": types.StringValue("1800")}),
		H5AppName:  types.StringNull(),
	}
	in, err := m.createInput(ctx, "https://oss/k.zip", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := mpaas.PackageSettings{
		ResourceType: mpaas.ResourceTypeGlobal, Targets: mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1.0"}},
		MainURL: "/www/index.html", ExtendInfo: map[string]string{"asyncReqRate": "1800", "z": "1"},
		DownloadPolicy: mpaas.DownloadPolicyAllNetworks, InstallPolicy: mpaas.InstallPolicyPreload,
	}
	if !reflect.DeepEqual(in.PackageSettings, want) || in.H5AppID != "12345678" || in.H5AppName != "12345678" || in.Version != "" ||
		in.FileURL != "https://oss/k.zip" {
		t.Fatalf("createInput = %+v, want settings %+v, the H5App ID as name and no version (assigned at apply)", in, want)
	}
}
