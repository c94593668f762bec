package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

const (
	asyncReqRateKey = "asyncReqRate"
	maxAsyncReqRate = 86400
	// maxExtendInfoBytes caps the JSON sent as ExtendInfo; the service
	// documents no limit, so this is a conservative guard against mistakes.
	maxExtendInfoBytes = 4096
)

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidateConfig applies the rules that need neither the disk nor the API,
// so terraform validate works before the packages are built.
func (r *offlinePackageResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config offlinePackageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkPackageArguments(ctx, &config, &resp.Diagnostics)
	checkSourceArguments(&config, &resp.Diagnostics)
}

// ModifyPlan works out what the package's content is (reading each zip or
// folder at most once, and not at all while its stamp is unchanged), checks
// it against the package rules, decides whether it is a new version, and,
// for a package about to be created, checks what the H5App already holds.
func (r *offlinePackageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: the version stays in mPaaS (see Delete)
	}
	var plan, config offlinePackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *offlinePackageModel
	if !req.State.Raw.IsNull() {
		state = &offlinePackageModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	warnMaxVersions(ctx, &plan, &resp.Diagnostics)
	planner := contentPlanner{plan: &plan, config: &config, state: state, private: req.Private, diags: &resp.Diagnostics, digests: r.data.caches()}
	if planner.run(ctx) && state != nil {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("content_sha256"))
	}
	if state != nil && recordedGone(ctx, req.Private) {
		planGoneVersion(&plan, state, resp)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if state != nil && len(resp.RequiresReplace) > 0 {
		checkPinnedVersionReplaced(&config, state, &resp.Diagnostics)
	}
	if state != nil {
		checkNewVersionHasContent(&plan, state, &resp.Diagnostics)
		r.warnH5AppNameIgnored(ctx, &plan, state, &resp.Diagnostics)
	}
	if state == nil && !plan.H5AppID.IsUnknown() && requireClient(r.data, &resp.Diagnostics) {
		r.checkAgainstApp(ctx, &plan, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkPinnedVersionReplaced refuses a replacement (a new version) that
// keeps the pinned version of the package it replaces (R19).
func checkPinnedVersionReplaced(config, state *offlinePackageModel, diags *diag.Diagnostics) {
	pinned := config.Version
	if !isKnown(pinned) || !pinned.Equal(state.Version) {
		return
	}
	diags.AddAttributeError(path.Root("version"), "Version "+pinned.ValueString()+" already exists",
		fmt.Sprintf("This change makes a new package version of H5App %s, but version is pinned to %s, which that H5App already "+
			"holds; a package version cannot be changed after upload (R19). Bump version (for example to %s) or remove it to "+
			"have versions assigned automatically.", state.H5AppID.ValueString(), pinned.ValueString(), nextFreeVersion([]string{pinned.ValueString()})))
}

// checkNewVersionHasContent refuses a change that makes a new version of a
// package that has neither source nor source_dir, such as an imported one
// whose settings were edited: there is nothing to upload. (The create half
// of a replacement is planned without the state, so it is caught here.)
func checkNewVersionHasContent(plan, state *offlinePackageModel, diags *diag.Diagnostics) {
	if !plan.Source.IsNull() || !plan.SourceDir.IsNull() {
		return
	}
	changed := newVersionChanges(plan, state)
	if len(changed) == 0 {
		return
	}
	diags.AddAttributeError(path.Root("source"), "Nothing to upload for the new version",
		fmt.Sprintf("The change to %s makes a new package version of H5App %s, because a version cannot be changed after "+
			"upload (R19), but neither source nor source_dir is set, so there is no zip to upload. Set source or source_dir "+
			"to the new version's files, or undo the change to keep version %s as it is.",
			strings.Join(changed, ", "), state.H5AppID.ValueString(), state.Version.ValueString()))
}

// newVersionChanges names the planned changes to the arguments whose change
// replaces the package (their RequiresReplace plan modifiers, which the
// resource's ModifyPlan does not see).
func newVersionChanges(plan, state *offlinePackageModel) []string {
	var changed []string
	for _, field := range newVersionFields(plan, state) {
		if !field.planned.Equal(field.prior) {
			changed = append(changed, field.name)
		}
	}
	return changed
}

type fieldChange struct {
	name           string
	planned, prior attr.Value
}

// newVersionFields pairs the planned and prior values of every argument
// that has a RequiresReplace plan modifier in the schema
// (TestNewVersionFieldsMatchSchema checks the list).
func newVersionFields(plan, state *offlinePackageModel) []fieldChange {
	return []fieldChange{
		{"h5app_id", plan.H5AppID, state.H5AppID},
		{"resource_type", plan.ResourceType, state.ResourceType},
		{"version", plan.Version, state.Version},
		{"android", plan.Android, state.Android},
		{"ios", plan.IOS, state.IOS},
		{"main_url", plan.MainURL, state.MainURL},
		{"vhost", plan.Vhost, state.Vhost},
		{"extend_info", plan.ExtendInfo, state.ExtendInfo},
		{"download_policy", plan.DownloadPolicy, state.DownloadPolicy},
		{"install_policy", plan.InstallPolicy, state.InstallPolicy},
	}
}

// warnMaxVersions warns once per plan for each platform with a maximum
// client version (R13).
func warnMaxVersions(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) {
	var ignored diag.Diagnostics
	for _, platform := range []platformArg{decodePlatform(ctx, "android", m.Android, &ignored), decodePlatform(ctx, "ios", m.IOS, &ignored)} {
		if platform.value == nil || !isKnown(platform.value.MaxVersion) {
			continue
		}
		diags.AddAttributeWarning(nestedAttributePath(platform.name, "max_version"), "A maximum client version cuts off future clients (R13)",
			fmt.Sprintf("%[1]s.max_version: clients of %[1]s upgraded past %[2]s will stop receiving this package. Leave max_version unset "+
				"to reach all future client versions unless you mean to retire the package.", platform.name, platform.value.MaxVersion.ValueString()))
	}
}

// checkAgainstApp applies the rules that depend on the H5App as it exists:
// its type (R6) and a pinned version's uniqueness (R8, R19). An H5App that
// does not exist is not an error here (it may be created by this apply);
// appExists says whether it does. A failed lookup is an error: the checks
// it would have made cannot be skipped.
func (r *offlinePackageResource) checkAgainstApp(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) (appExists bool) {
	h5AppID := m.H5AppID.ValueString()
	app, err := r.data.findApp(ctx, h5AppID)
	if err != nil {
		diags.AddAttributeError(path.Root("h5app_id"), "Cannot look up H5App "+h5AppID, apiErrorDetail(err))
		return false
	}
	if app == nil {
		return false
	}
	packages, err := r.data.listPackages(ctx, h5AppID)
	if err != nil {
		diags.AddAttributeError(path.Root("h5app_id"), "Cannot list the packages of H5App "+h5AppID, apiErrorDetail(err))
		return true
	}
	checkAppType(m, h5AppID, packages, diags)
	if isKnown(m.Version) {
		checkPinnedVersion(ctx, m, packages, mpaas.PackageVersions(packages), diags)
	}
	return true
}

// checkPinnedVersion fails the plan when the pinned version exists, unless
// that version is exactly this package (same content and settings), which the
// apply adopts: an earlier apply registered it without recording it.
func checkPinnedVersion(ctx context.Context, m *offlinePackageModel, packages []mpaas.Package, versions []string, diags *diag.Diagnostics) {
	pinned := m.Version.ValueString()
	for _, existing := range versions {
		if same, err := offlinepkg.CompareVersionStrings(existing, pinned); err != nil || same != 0 {
			continue
		}
		if identicalToExisting(ctx, m, packages) {
			diags.AddAttributeWarning(path.Root("version"), "Version "+pinned+" already exists and will be adopted",
				"H5App "+m.H5AppID.ValueString()+" already holds version "+existing+" with this content and these settings, "+
					"most likely from an earlier apply that was interrupted. The apply records it instead of uploading it again.")
			return
		}
		diags.AddAttributeError(path.Root("version"), "Version "+pinned+" already exists",
			fmt.Sprintf("H5App %s already holds version %s, and a package version cannot be changed after upload (R19). "+
				"Bump version (the next free one is %s), or remove it to have versions assigned automatically.",
				m.H5AppID.ValueString(), existing, nextFreeVersion(versions)))
		return
	}
}

// identicalToExisting reports whether the pinned version in packages has the
// planned content and the planned settings.
func identicalToExisting(ctx context.Context, m *offlinePackageModel, packages []mpaas.Package) bool {
	content := plannedFileContent(m)
	if content == nil {
		return false
	}
	settings, err := m.settings(ctx)
	return err == nil && mpaas.Adoptable(packages, m.Version.ValueString(), settings, content) != nil
}

func checkAppType(m *offlinePackageModel, h5AppID string, packages []mpaas.Package, diags *diag.Diagnostics) {
	if len(packages) == 0 || m.ResourceType.IsUnknown() {
		return
	}
	appType := string(packages[0].ResourceType)
	if appType == "" || appType == m.ResourceType.ValueString() { // "": the type could not be read
		return
	}
	diags.AddAttributeError(path.Root("resource_type"), "H5App "+h5AppID+" holds "+appType+" packages",
		fmt.Sprintf("The first package of an H5App fixes its resource type forever (R6): H5App %s is %q, so resource_type "+
			"must be %q. To publish a %s package, use another H5App.", h5AppID, appType, appType, m.ResourceType.ValueString()))
}

func nextFreeVersion(versions []string) string {
	next, err := offlinepkg.NextVersion(versions)
	if err != nil {
		return "a higher one"
	}
	return next
}

// checkPackageArguments applies every rule that needs neither the disk nor
// the API, so that terraform validate works before the zips are built.
// Unknown values are skipped; Create calls it again when everything is known.
func checkPackageArguments(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) {
	android := decodePlatform(ctx, "android", m.Android, diags)
	ios := decodePlatform(ctx, "ios", m.IOS, diags)
	checkPlatforms(android, ios, diags)
	if isKnown(m.Version) {
		if _, err := offlinepkg.ParseVersion(m.Version.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("version"), "Invalid version (R8)", err.Error()+".")
		}
	}
	if isKnown(m.MainURL) {
		for _, violation := range offlinepkg.CheckMainURL(m.MainURL.ValueString()) {
			diags.AddAttributeError(path.Root("main_url"), "Invalid main_url (R15)", violation.Message)
		}
	}
	checkExtendInfo(ctx, m.ExtendInfo, diags)
}

// checkSourceArguments allows at most one of source and source_dir (neither
// adopts an existing version as it is: see contentPlanner), a .zip name for
// source (R9), and source_sha256 only beside source.
func checkSourceArguments(m *offlinePackageModel, diags *diag.Diagnostics) {
	if m.Source.IsUnknown() || m.SourceDir.IsUnknown() {
		return
	}
	switch {
	case !m.Source.IsNull() && !m.SourceDir.IsNull():
		diags.AddAttributeError(path.Root("source_dir"), "Both source and source_dir set",
			"A package comes either from a .zip file (source) or from a folder (source_dir). Remove one of them.")
	case !m.SourceDir.IsNull() && !m.SourceSHA256.IsNull():
		diags.AddAttributeError(path.Root("source_sha256"), "source_sha256 needs source",
			"source_sha256 is the SHA-256 of a .zip given in source; with source_dir the provider builds the zip itself. Remove source_sha256.")
	case m.Source.IsNull() && !m.SourceSHA256.IsNull():
		diags.AddAttributeError(path.Root("source_sha256"), "source_sha256 needs source",
			"source_sha256 is the SHA-256 of the .zip given in source, and source is not set. Set source to that file "+
				"(such as \"dist/12345678.zip\") or remove source_sha256.")
	case !m.Source.IsNull() && !offlinepkg.IsZipName(m.Source.ValueString()):
		diags.AddAttributeError(path.Root("source"), "The package must be a .zip file (R9)",
			fmt.Sprintf("source %q does not end in .zip. Offline packages are uploaded as zip archives; point source at a .zip "+
				"file, or use source_dir for a folder.", m.Source.ValueString()))
	}
}

func checkPlatforms(android, ios platformArg, diags *diag.Diagnostics) {
	if android.known && ios.known && android.value == nil && ios.value == nil {
		diags.AddAttributeError(path.Root("android"), "No client platform (R11)",
			"A package must target at least one platform: set android = { min_version = \"...\" }, ios = { ... }, or both.")
	}
	for _, platform := range []platformArg{android, ios} {
		checkPlatformRange(platform, diags)
	}
	if android.value == nil || ios.value == nil {
		return
	}
	androidMax, iosMax := android.value.MaxVersion, ios.value.MaxVersion
	if androidMax.IsUnknown() || iosMax.IsUnknown() {
		return
	}
	if androidMax.IsNull() != iosMax.IsNull() || androidMax.ValueString() != iosMax.ValueString() {
		diags.AddAttributeError(nestedAttributePath("ios", "max_version"), "Different max_version strategies (R12)",
			fmt.Sprintf("ios.max_version: with both platforms, max_version must be unset on both (all future client versions) or the same on both; "+
				"android has %s and ios has %s.", describeMax(androidMax), describeMax(iosMax)))
	}
}

func describeMax(value types.String) string {
	if value.IsNull() {
		return "none"
	}
	return strconv.Quote(value.ValueString())
}

func checkPlatformRange(platform platformArg, diags *diag.Diagnostics) {
	if platform.value == nil {
		return
	}
	minPath := nestedAttributePath(platform.name, "min_version")
	maxPath := nestedAttributePath(platform.name, "max_version")
	var minVersion, maxVersion offlinepkg.ClientVersion
	var err error
	if value := platform.value.MinVersion; isKnown(value) {
		if minVersion, err = offlinepkg.ParseClientVersion(value.ValueString()); err != nil {
			diags.AddAttributeError(minPath, "Invalid client version (R10)", platform.name+".min_version: "+err.Error()+".")
		}
	}
	value := platform.value.MaxVersion
	if !isKnown(value) {
		return
	}
	if maxVersion, err = offlinepkg.ParseClientVersion(value.ValueString()); err != nil {
		diags.AddAttributeError(maxPath, "Invalid client version (R10)", platform.name+".max_version: "+err.Error()+".")
		return
	}
	if minVersion != nil && minVersion.Compare(maxVersion) > 0 {
		diags.AddAttributeError(maxPath, "max_version below min_version",
			fmt.Sprintf("%s.max_version %s is lower than min_version %s: no client could receive the package. Raise max_version or lower min_version.",
				platform.name, value.ValueString(), platform.value.MinVersion.ValueString()))
	}
}

func checkExtendInfo(ctx context.Context, extendInfo types.Map, diags *diag.Diagnostics) {
	if !isKnown(extendInfo) {
		return
	}
	values := map[string]types.String{}
	diags.Append(extendInfo.ElementsAs(ctx, &values, false)...)
	known := map[string]string{}
	for key, value := range values {
		keyPath := path.Root("extend_info").AtMapKey(key)
		if msg := validators.CheckPrintable(key, 128); msg != "" {
			diags.AddAttributeError(keyPath, "Invalid extend_info key", msg)
		}
		if value.IsUnknown() {
			continue
		}
		known[key] = value.ValueString()
		if key == asyncReqRateKey {
			checkAsyncReqRate(keyPath, value.ValueString(), diags)
		}
	}
	if encoded, _ := json.Marshal(known); len(encoded) > maxExtendInfoBytes {
		diags.AddAttributeError(path.Root("extend_info"), "extend_info is too large",
			fmt.Sprintf("extend_info encodes to %d bytes of JSON; keep it within %d bytes.", len(encoded), maxExtendInfoBytes))
	}
}

func checkAsyncReqRate(keyPath path.Path, value string, diags *diag.Diagnostics) {
	seconds, err := strconv.Atoi(value)
	if err != nil || seconds < 0 || seconds > maxAsyncReqRate {
		diags.AddAttributeError(keyPath, "Invalid asyncReqRate (R16)",
			fmt.Sprintf("asyncReqRate is the update-check interval in seconds and must be a whole number from 0 to %d "+
				"(0 removes the limit); got %q.", maxAsyncReqRate, value))
	}
}

// Versions only rise. mPaaS clients never install a version below the one
// they hold, so a package uploaded again (a replacement, or a version whose
// H5App was deleted and re-created) must get a version above every one it
// had: the H5App's highest is not enough once the H5App is new and empty.
// Terraform replaces a package by destroying the old object, then planning
// the new one again without any state and creating it, all in one apply and
// one provider process; the framework gives Create no private state. So
// Delete records the version it removes in versionFloors, per H5App, and
// Create assigns above it. A version found missing by Read stays in the
// state, marked gone, so that the next plan replaces it (and its Delete
// records its version) instead of creating it anew at 0.0.0.1.

// privateGoneKey marks a package that Read no longer found in mPaaS.
const privateGoneKey = "gone"

// versionFloors holds, per H5App, the highest version that a package
// destroyed in this process had.
type versionFloors struct {
	mu     sync.Mutex
	floors map[string]offlinepkg.Version
}

func newVersionFloors() *versionFloors {
	return &versionFloors{floors: map[string]offlinepkg.Version{}}
}

// raise records that a package of h5AppID had version.
func (f *versionFloors) raise(h5AppID types.String, version types.String) {
	if f == nil || !isKnown(h5AppID) || !isKnown(version) {
		return
	}
	parsed, err := offlinepkg.ParseVersion(version.ValueString())
	if err != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if current, ok := f.floors[h5AppID.ValueString()]; !ok || parsed.Compare(current) > 0 {
		f.floors[h5AppID.ValueString()] = parsed
	}
}

// above is the version a new version of h5AppID must exceed, "" for none.
func (f *versionFloors) above(h5AppID string) string {
	if f == nil {
		return ""
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if floor, ok := f.floors[h5AppID]; ok {
		return floor.String()
	}
	return ""
}

func markGone(ctx context.Context, private privateSetter, gone bool) diag.Diagnostics {
	var value []byte
	if gone {
		value = []byte("true")
	}
	return private.SetKey(ctx, privateGoneKey, value)
}

func recordedGone(ctx context.Context, private privateGetter) bool {
	if private == nil {
		return false
	}
	raw, diags := private.GetKey(ctx, privateGoneKey)
	return !diags.HasError() && string(raw) == "true"
}

// planGoneVersion replaces a version that no longer exists in mPaaS (its
// H5App was deleted, or deleted and re-created): the apply uploads the
// content again, above the version clients may still hold.
func planGoneVersion(plan, state *offlinePackageModel, resp *resource.ModifyPlanResponse) {
	plan.ID = types.StringUnknown() // the create half of the replacement plans the rest
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("id"))
	resp.Diagnostics.AddAttributeWarning(path.Root("id"), fmt.Sprintf("Version %s of H5App %s no longer exists in mPaaS",
		state.Version.ValueString(), state.H5AppID.ValueString()),
		fmt.Sprintf("Package %s (version %s) is not in H5App %s any more: the H5App was deleted, or deleted and created again "+
			"(a new name replaces an H5App). This plan uploads the content again as a version above %s, because clients that "+
			"hold %s never install a lower one.", state.ID.ValueString(), state.Version.ValueString(), state.H5AppID.ValueString(),
			state.Version.ValueString(), state.Version.ValueString()))
}

// warnH5AppNameIgnored says what a changed h5app_name does when the H5App
// exists: nothing in mPaaS, which cannot rename an H5App; the plan records
// it only.
func (r *offlinePackageResource) warnH5AppNameIgnored(ctx context.Context, plan, state *offlinePackageModel, diags *diag.Diagnostics) {
	if plan.H5AppName.Equal(state.H5AppName) || !isKnown(plan.H5AppID) || r.data == nil || r.data.client == nil {
		return
	}
	h5AppID := plan.H5AppID.ValueString()
	app, err := r.data.findApp(ctx, h5AppID)
	if err != nil || app == nil {
		return // a missing H5App is created with the new name
	}
	diags.AddAttributeWarning(path.Root("h5app_name"), "h5app_name does not rename H5App "+h5AppID,
		fmt.Sprintf("H5App %s already exists, named %q. h5app_name only names an H5App that create_h5app_if_missing creates, "+
			"and the mPaaS API cannot rename one, so this change is only recorded in the Terraform state. To rename the H5App, "+
			"manage it with an mpaas_h5app resource (a new name replaces the H5App).", h5AppID, app.Name))
}
