package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
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
	app, err := r.data.client.FindApp(ctx, h5AppID)
	if err != nil {
		diags.AddAttributeError(path.Root("h5app_id"), "Cannot look up H5App "+h5AppID, apiErrorDetail(err))
		return false
	}
	if app == nil {
		return false
	}
	packages, err := r.data.client.ListPackages(ctx, h5AppID)
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
	app, err := r.data.client.FindApp(ctx, h5AppID)
	if err != nil || app == nil {
		return // a missing H5App is created with the new name
	}
	diags.AddAttributeWarning(path.Root("h5app_name"), "h5app_name does not rename H5App "+h5AppID,
		fmt.Sprintf("H5App %s already exists, named %q. h5app_name only names an H5App that create_h5app_if_missing creates, "+
			"and the mPaaS API cannot rename one, so this change is only recorded in the Terraform state. To rename the H5App, "+
			"manage it with an mpaas_h5app resource (a new name replaces the H5App).", h5AppID, app.Name))
}

// privateSourceStampKey is the private-state key holding a sourceStamp.
const privateSourceStampKey = "source_stamp"

// sourceStamp records which version of the source file produced the digests
// in the state, so a plan reuses them while the file is untouched instead of
// reading every package again.
type sourceStamp struct {
	Stamp   offlinepkg.FileStamp `json:"stamp"`
	SHA256  string               `json:"sha256"`
	Content string               `json:"content,omitempty"`
}

// contentPlanner plans content_sha256 and source_sha256 of one package.
type contentPlanner struct {
	plan, config *offlinePackageModel
	state        *offlinePackageModel // nil for a create
	private      privateGetter
	diags        *diag.Diagnostics
	digests      offlinepkg.DigestCaches
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// plannedContent is what the plan knows of the package's content: its
// content digest and the SHA-256 of the zip to upload (unknown for a folder,
// whose zip is built at apply).
type plannedContent struct {
	content, fileSHA256 types.String
	none                bool // neither source nor source_dir: nothing to upload
}

// run plans the digests and reports whether the content differs from the
// state's (a new version).
func (p *contentPlanner) run(ctx context.Context) (changed bool) {
	planned, ok := p.read(ctx)
	if !ok {
		return false
	}
	if planned.none {
		p.keepExisting()
		return false
	}
	if p.state != nil && p.sameAsState(planned) {
		p.plan.ContentSHA256 = knownOr(planned.content, p.state.ContentSHA256)
		// An imported version matched through a folder has no SHA-256 of its zip until one is uploaded.
		p.plan.SourceSHA256 = firstKnown(p.config.SourceSHA256, p.state.SourceSHA256, planned.fileSHA256, p.state.SourceSHA256)
		return false
	}
	p.plan.ContentSHA256 = planned.content
	// The content is the plan's promise; the bytes are free until apply (a
	// pipeline may build the zip again, with other times or compression,
	// before it applies a saved plan), so source_sha256 becomes the SHA-256
	// of what the apply uploads, unless configured.
	p.plan.SourceSHA256 = firstKnown(p.config.SourceSHA256, types.StringUnknown())
	return true
}

// read finds the content of source or source_dir; ok is false after an error.
func (p *contentPlanner) read(ctx context.Context) (plannedContent, bool) {
	unknown := plannedContent{content: types.StringUnknown(), fileSHA256: types.StringUnknown()}
	switch {
	case p.plan.Source.IsUnknown() || p.plan.SourceDir.IsUnknown():
		return unknown, true
	case !p.plan.SourceDir.IsNull():
		return p.readFolder()
	case !p.plan.Source.IsNull():
		return p.readZip(ctx)
	}
	return plannedContent{none: true}, true
}

// keepExisting plans a package without source or source_dir: the version
// that exists (imported, or created from a source since removed) is kept as
// it is, with the digests in the state, and nothing is uploaded. A package
// that does not exist yet cannot be created from nothing.
func (p *contentPlanner) keepExisting() {
	if p.state == nil {
		p.diags.AddAttributeError(path.Root("source"), "Nothing to upload",
			"This plan creates a new offline package version, but neither source nor source_dir is set, so there is no zip "+
				"to upload. Set source to the package's .zip (such as \"dist/12345678.zip\") or source_dir to its folder. "+
				"Only a version that already exists in mPaaS, imported with an import block or terraform import, can be "+
				"managed without them; if this resource was imported, the version it tracked no longer exists.")
		return
	}
	p.plan.ContentSHA256 = p.state.ContentSHA256
	p.plan.SourceSHA256 = p.state.SourceSHA256
}

func (p *contentPlanner) readZip(ctx context.Context) (plannedContent, bool) {
	source := p.plan.Source.ValueString()
	stamp, err := offlinepkg.StampFile(source)
	if err != nil {
		return p.missingZip(source, err)
	}
	digest, reused := p.recordedDigest(ctx, stamp)
	if !reused {
		if digest, err = p.digests.Zips.HashFile(source); err != nil {
			p.diags.AddAttributeError(path.Root("source"), "Cannot read the package file", cannotReadSource(source, err))
			return plannedContent{}, false
		}
	}
	if configured := p.config.SourceSHA256; isKnown(configured) && configured.ValueString() != digest.SHA256 {
		p.diags.AddAttributeError(path.Root("source_sha256"), "source_sha256 does not match the file",
			fmt.Sprintf("The SHA-256 of %q is %s, not %s. Fix source_sha256 (or remove it: the provider hashes the file itself) "+
				"or point source at the intended file.", source, digest.SHA256, configured.ValueString()))
		return plannedContent{}, false
	}
	if !reused || p.settingsChanged() {
		if !inspectPackage(p.plan, packageFiles{zip: source}, p.diags) {
			return plannedContent{}, false
		}
		if digest.Content == "" {
			p.diags.AddAttributeError(path.Root("source"), "Invalid offline package (R9)",
				fmt.Sprintf("The entries of %q cannot be read back (damaged data or a failed checksum). Re-create the archive with a standard zip tool.", source))
			return plannedContent{}, false
		}
	}
	return plannedContent{content: types.StringValue(digest.Content), fileSHA256: types.StringValue(digest.SHA256)}, true
}

// missingZip handles a source that cannot be read at plan: an error, unless
// source_sha256 is configured because the file is made during apply.
func (p *contentPlanner) missingZip(source string, err error) (plannedContent, bool) {
	configured := p.config.SourceSHA256
	if configured.IsNull() {
		p.diags.AddAttributeError(path.Root("source"), "Cannot read the package file", cannotReadSource(source, err))
		return plannedContent{}, false
	}
	planned := plannedContent{content: types.StringUnknown(), fileSHA256: configured}
	if p.state != nil && configured.Equal(p.state.SourceSHA256) {
		planned.content = p.state.ContentSHA256
	}
	return planned, true
}

// recordedDigest returns the digests the state holds when the file is the
// very version (by stamp) that produced them.
func (p *contentPlanner) recordedDigest(ctx context.Context, current offlinepkg.FileStamp) (offlinepkg.Digest, bool) {
	if p.state == nil || p.private == nil || !current.Trustworthy() {
		return offlinepkg.Digest{}, false
	}
	raw, diags := p.private.GetKey(ctx, privateSourceStampKey)
	var recorded sourceStamp
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &recorded) != nil {
		return offlinepkg.Digest{}, false
	}
	if recorded.Stamp != current || recorded.SHA256 != p.state.SourceSHA256.ValueString() ||
		recorded.Content == "" || recorded.Content != p.state.ContentSHA256.ValueString() {
		return offlinepkg.Digest{}, false
	}
	return offlinepkg.Digest{SHA256: recorded.SHA256, Size: current.Size, Content: recorded.Content}, true
}

// settingsChanged reports whether an argument the package rules read
// changed since the state, so unchanged content must be checked again.
func (p *contentPlanner) settingsChanged() bool {
	return p.state == nil || !p.plan.H5AppID.Equal(p.state.H5AppID) || !p.plan.ResourceType.Equal(p.state.ResourceType) ||
		!p.plan.MainURL.Equal(p.state.MainURL)
}

func (p *contentPlanner) readFolder() (plannedContent, bool) {
	dir := p.plan.SourceDir.ValueString()
	folder, err := offlinepkg.ReadFolder(dir) // one walk for the digest and the rules
	if err != nil {
		p.diags.AddAttributeError(path.Root("source_dir"), "Cannot read the package folder", cannotReadFolder(dir, err))
		return plannedContent{}, false
	}
	planned := plannedContent{content: types.StringUnknown(), fileSHA256: types.StringUnknown()}
	if p.plan.H5AppID.IsUnknown() {
		return planned, true // the zip's names start with the H5App ID
	}
	content, err := folder.Content(p.plan.H5AppID.ValueString(), p.digests.Files)
	if err != nil {
		p.diags.AddAttributeError(path.Root("source_dir"), "Cannot read the package folder", cannotReadFolder(dir, err))
		return plannedContent{}, false
	}
	if !inspectPackage(p.plan, packageFiles{dir: dir, folder: &folder}, p.diags) {
		return plannedContent{}, false
	}
	planned.content = types.StringValue(content)
	return planned, true
}

// sameAsState reports whether the planned content is the state's. An
// imported package has no content digest: the zip's size and MD5, compared
// with what mPaaS reports, decide for it.
func (p *contentPlanner) sameAsState(planned plannedContent) bool {
	state := p.state
	if planned.content.IsUnknown() {
		return !planned.fileSHA256.IsUnknown() && planned.fileSHA256.Equal(state.SourceSHA256)
	}
	if !state.ContentSHA256.IsNull() {
		return planned.content.Equal(state.ContentSHA256)
	}
	content := plannedFileContent(p.plan) // a folder through the zip the provider builds from it
	return content != nil && content.Holds(reportedFile(state))
}

// reportedFile is the package as the state records what mPaaS reported of
// its zip: the MD5 and, when known, the size.
func reportedFile(state *offlinePackageModel) *mpaas.Package {
	reported := &mpaas.Package{FileSize: -1}
	if isKnown(state.FileSize) {
		reported.FileSize = state.FileSize.ValueInt64()
	}
	if isKnown(state.FileMD5) {
		reported.MD5 = state.FileMD5.ValueString()
	}
	return reported
}

// packageFiles is where a package's files are: a zip or a folder (with its
// walk, when the caller already made it).
type packageFiles struct {
	zip, dir string
	folder   *offlinepkg.Folder
}

// inspectPackage applies the zip layout rules (R7, R9, R15, names, bombs)
// and reports each violation on its attribute; ok is false when there is any.
func inspectPackage(m *offlinePackageModel, files packageFiles, diags *diag.Diagnostics) (ok bool) {
	opts := offlinepkg.InspectOptions{}
	if !m.H5AppID.IsUnknown() {
		opts.H5AppID = m.H5AppID.ValueString()
	}
	if !m.ResourceType.IsUnknown() {
		opts.ResourceType = m.ResourceType.ValueString()
	}
	if !m.MainURL.IsUnknown() {
		opts.MainURL = m.MainURL.ValueString()
	}
	var violations []offlinepkg.Violation
	var err error
	contentAttribute := "source"
	switch {
	case files.folder != nil:
		contentAttribute = "source_dir"
		violations = files.folder.Inspect(opts)
	case files.dir != "":
		contentAttribute = "source_dir"
		violations, err = offlinepkg.InspectDir(files.dir, opts)
	default:
		_, violations, err = offlinepkg.InspectFile(files.zip, opts)
	}
	if err != nil {
		diags.AddAttributeError(path.Root(contentAttribute), "Cannot read the package", err.Error())
		return false
	}
	reported := false
	for _, violation := range violations {
		if violation.Attribute == "main_url" && len(offlinepkg.CheckMainURL(opts.MainURL)) > 0 {
			continue // the syntax error is reported by ValidateConfig
		}
		attribute := violation.Attribute
		if attribute == "" || attribute == "source" {
			attribute = contentAttribute
		}
		diags.AddAttributeError(path.Root(attribute), violationSummary(violation), violation.Message)
		reported = true
	}
	return !reported
}

func violationSummary(v offlinepkg.Violation) string {
	if len(v.Rule) > 1 && v.Rule[0] == 'R' {
		return "Invalid offline package (" + v.Rule + ")"
	}
	return "Invalid offline package (" + v.Rule + " rules)"
}

// cannotReadSource explains, for a source file that cannot be read, what
// to change.
func cannotReadSource(file string, err error) string {
	if os.IsNotExist(err) {
		return fmt.Sprintf("The file %q does not exist. Build the package before terraform plan (terraform validate does not "+
			"need it), point source at an existing .zip file, or use source_dir to have the provider zip a folder. If another "+
			"resource creates the file during apply, set source_sha256 to its SHA-256 so the plan can go ahead without it.", file)
	}
	return fmt.Sprintf("The file %q cannot be read: %v.", file, err)
}

func cannotReadFolder(dir string, err error) string {
	if os.IsNotExist(err) {
		return fmt.Sprintf("The folder %q does not exist. Build the package before terraform plan (terraform validate does not "+
			"need it) or point source_dir at the folder whose files go below the H5App folder of the zip.", dir)
	}
	return fmt.Sprintf("The folder %q cannot be used: %v.", dir, err)
}

// plannedFileContent is the content of the planned source or source_dir;
// nil when it cannot be known at plan time.
func plannedFileContent(m *offlinePackageModel) *mpaas.Content {
	switch {
	case isKnown(m.SourceDir) && !m.H5AppID.IsUnknown():
		dir, h5AppID := m.SourceDir.ValueString(), m.H5AppID.ValueString()
		return mpaas.NewContent(-1, func() (int64, string, error) { return offlinepkg.ZipFolderMD5(dir, h5AppID) })
	case isKnown(m.Source):
		info, err := os.Stat(m.Source.ValueString())
		if err != nil {
			return nil
		}
		return mpaas.FileContent(m.Source.ValueString(), info.Size())
	}
	return nil
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func setSourceStamp(ctx context.Context, private privateSetter, stamp offlinepkg.FileStamp, sha256, content string) diag.Diagnostics {
	raw, err := json.Marshal(sourceStamp{Stamp: stamp, SHA256: sha256, Content: content})
	if err != nil {
		return nil
	}
	return private.SetKey(ctx, privateSourceStampKey, raw)
}
