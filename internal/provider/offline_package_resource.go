package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/planmodifiers"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ resource.Resource                   = (*offlinePackageResource)(nil)
	_ resource.ResourceWithConfigure      = (*offlinePackageResource)(nil)
	_ resource.ResourceWithImportState    = (*offlinePackageResource)(nil)
	_ resource.ResourceWithValidateConfig = (*offlinePackageResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*offlinePackageResource)(nil)
	_ resource.ResourceWithIdentity       = (*offlinePackageResource)(nil)
)

// NewOfflinePackageResource is the constructor of mpaas_offline_package.
func NewOfflinePackageResource() resource.Resource { return &offlinePackageResource{} }

type offlinePackageResource struct {
	data *providerData
}

func (r *offlinePackageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_offline_package"
}

func platformSchema(name string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Deliver the package to " + name + " clients whose app version is within this range (R10). " +
			"At least one of `android` and `ios` is required (R11). Changing it creates a new version.",
		Attributes: map[string]schema.Attribute{
			"min_version": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Lowest client app version that receives the package, dot-separated numbers such as `10.1.68`.",
			},
			"max_version": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Highest client app version that receives the package. Leave it unset (recommended) to reach " +
					"all future client versions (R13: a set maximum gets a plan warning, because clients upgraded past it stop " +
					"receiving the package). With both platforms, both maximums must be unset or equal (R12).",
			},
		},
		PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
	}
}

func (r *offlinePackageResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One offline package version of an H5App, uploaded from a `.zip` (console: Offline package " +
			"management, Add offline package). A package version cannot be changed once submitted (R19), so every argument " +
			"change plans a replacement, which uploads a new version. The API cannot delete a package version: destroy only " +
			"removes it from the Terraform state, with a warning. A version that already exists (imported by " +
			"`<h5app_id>/<version>` or by identity) needs neither `source` nor `source_dir`: it is kept as it is and " +
			"tracked by the size and MD5 that mPaaS reports.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The package's numeric ID assigned by mPaaS (`NebulaResourceId`).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"h5app_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The H5App that receives the package. Reference a managed H5App as " +
					"`mpaas_h5app.<name>.h5app_id` (or `.id`, the same value, known at plan): Terraform then creates the H5App first, and " +
					"every check of the zip runs at plan. An H5App that does not exist yet at plan is not an error; the checks that need " +
					"its packages (R6, R8) run once it exists, and again at apply.",
				Validators:    []validator.String{validators.H5AppID()},
				PlanModifiers: replace,
			},
			"resource_type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`normal` or `global`. The first package of an H5App fixes its type forever (R6): a value " +
					"that differs from the H5App's type is a plan-time error.",
				Validators:    []validator.String{stringvalidator.OneOf(enumNames(mpaas.ResourceTypes)...)},
				PlanModifiers: []planmodifier.String{planmodifiers.ReplaceUnlessRawCode(mpaas.ResourceTypes)},
			},
			"version": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Four dot-separated numbers such as `1.0.0.1` (R8). When omitted it is assigned at apply " +
					"(R24): `0.0.0.1` in an H5App with no package, otherwise the highest existing version with its last part " +
					"incremented (`provider::mpaas::next_version` of it); every replacement gets the next one. Versions only rise: " +
					"a replacement is also above the version it replaces, even in an H5App created again empty (a rename), because " +
					"clients never install a version below the one they hold. A pinned version that already exists in the H5App is a plan-time error.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"source": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of the `.zip` to upload (R9). Every entry must sit under a top-level folder named after " +
					"the H5App ID. Set at most one of `source` and `source_dir`; a new version needs one of them. Without either, " +
					"an existing (imported) version is kept as it is and nothing is uploaded. Only the package's content matters: a zip " +
					"rebuilt from the same files (other timestamps, compression or entry order) or moved elsewhere updates this value in " +
					"place and uploads nothing. Added to an imported version, a zip with the same bytes (size and MD5 as mPaaS " +
					"reports them) is recorded in place; any other zip plans a new version. `terraform validate` does not read it; " +
					"`terraform plan` does.",
			},
			"source_dir": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a folder whose files make the package: the provider zips them itself, below the " +
					"H5App folder (`www/index.html` becomes `<h5app_id>/www/index.html`), sorted and with fixed times, so the same " +
					"files always make the same zip. It streams the zip to a temporary file at apply, never into memory. The same " +
					"checks as for `source` run at plan. A folder with the files of an uploaded zip is the same content: switching " +
					"between them uploads nothing. Symbolic links are refused.",
			},
			"content_sha256": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Digest of the package's content: the SHA-256 over every file's name, size and SHA-256, sorted " +
					"by name. Folder entries, timestamps, compression and entry order do not count. A new value plans a replacement " +
					"(a new version); the same files zipped again plan no change.",
			},
			"source_sha256": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Lowercase hex SHA-256 of the zip uploaded for this version. Computed at plan time for `source` " +
					"(read again while the bytes upload; the apply fails if the file changed since the plan) and at apply for " +
					"`source_dir`. A zip rebuilt with the same content keeps the value of the zip that was uploaded. Set it only with " +
					"`source`, and only when the file does not exist at plan time (another resource makes it during apply): the plan " +
					"then trusts it and the file is checked at apply.",
				Validators: []validator.String{stringvalidator.RegexMatches(sha256Pattern, "must be 64 lowercase hexadecimal characters")},
			},
			"android": platformSchema("Android"),
			"ios":     platformSchema("iOS"),
			"main_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Main entrance URL: the absolute path of a file inside the package below the H5App folder, " +
					"such as `/www/index.html` (R15). It must exist in the zip as `<h5app_id>/www/index.html`.",
				PlanModifiers: replace,
			},
			"vhost": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Virtual domain of the package. When omitted, mPaaS fills it from the workspace's virtual " +
					"domain (R5, `mpaas_virtual_domain`) at apply.",
				Validators:    []validator.String{validators.HostName()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"extend_info": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Extended information: page-loading key/value parameters, sent as a JSON object (R16). The key " +
					"`asyncReqRate` sets this package's update-check interval in seconds, a whole number from 0 to 86400 (0 removes the limit).",
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"download_policy": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(string(mpaas.DownloadPolicyWifiOnly)),
				MarkdownDescription: "When clients download the package (R17): `wifi_only` (default, in the background on Wi-Fi) " +
					"or `all_networks` (also on mobile data, without asking; use with care).",
				Validators:    []validator.String{stringvalidator.OneOf(enumNames(mpaas.DownloadPolicies)...)},
				PlanModifiers: []planmodifier.String{planmodifiers.ReplaceUnlessRawCode(mpaas.DownloadPolicies)},
			},
			"install_policy": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(string(mpaas.InstallPolicyOnOpen)),
				MarkdownDescription: "When clients install the package (R18): `on_open` (default, not preloaded: installed when " +
					"the user first opens it) or `preload` (installed as soon as the download finishes).",
				Validators:    []validator.String{stringvalidator.OneOf(enumNames(mpaas.InstallPolicies)...)},
				PlanModifiers: []planmodifier.String{planmodifiers.ReplaceUnlessRawCode(mpaas.InstallPolicies)},
			},
			"create_h5app_if_missing": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Create the H5App at apply when it does not exist (R23, batch import). The H5App is not owned " +
					"by this resource: destroying the package leaves it. Without it, an H5App that still does not exist at apply (and " +
					"that no `mpaas_h5app` of the configuration created first) is an apply error, before anything is uploaded.",
			},
			"h5app_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Name of an H5App created by `create_h5app_if_missing`; defaults to the H5App ID.",
				Validators:          []validator.String{validators.PrintableText(maxH5AppNameLength)},
			},
			"download_url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "URL of the generated package (`.amr`) that clients download.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"file_size": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Size in bytes of the uploaded zip, as mPaaS reports it.",
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"file_md5": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Lowercase hex MD5 of the uploaded zip, as mPaaS reports it (the only digest the API " +
					"reports). With `file_size` it identifies an imported version's zip when `source` or `source_dir` is added.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When mPaaS registered the package, RFC 3339 in UTC.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"timeouts": timeoutsSchema(ctx, "60m", "", "uploading and registering the package"),
		},
	}
}

func (r *offlinePackageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *offlinePackageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan offlinePackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultPackageCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	// Values unknown at plan are known now: check everything again.
	checkPackageArguments(ctx, &plan, &resp.Diagnostics)
	if plan.Source.IsNull() && plan.SourceDir.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("source"), "Nothing to upload",
			"source and source_dir are both null, so there is no zip to upload and nothing was created. Set one of them.")
		return
	}
	if resp.Diagnostics.HasError() {
		return
	}
	known, createApp, ok := r.prepareApp(ctx, &plan, &resp.Diagnostics)
	if !ok {
		return
	}
	// A missing H5App is created while the zip is read and uploaded: neither
	// needs the other, so a new package in a new H5App waits one round trip
	// less. It is awaited before any return.
	newApp := startAppCreate(ctx, createApp)
	file, uploaded, uploadOK := r.packageAndUpload(ctx, &plan, &resp.Diagnostics)
	defer file.remove()
	app, err := newApp.wait(known)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("h5app_id"), "Cannot create H5App "+plan.H5AppID.ValueString(), apiErrorDetail(err))
	}
	if !uploadOK || err != nil {
		return
	}
	pkg, adopted, err := r.register(ctx, &plan, uploaded, r.data.floors.above(plan.H5AppID.ValueString()), app)
	var taken *mpaas.VersionExistsError
	if errors.As(err, &taken) {
		resp.Diagnostics.AddAttributeError(path.Root("version"), fmt.Sprintf("Version %s already exists in H5App %s", taken.Version, taken.H5AppID),
			fmt.Sprintf("Another writer registered version %s in H5App %s after the plan, and a version cannot be reused (R19). "+
				"Pin a higher version, such as provider::mpaas::next_version(\"%s\"), or omit version to get the next free one.\n\n%s",
				taken.Version, taken.H5AppID, taken.Version, apiErrorDetail(taken.Err)))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the offline package in H5App "+plan.H5AppID.ValueString(), apiErrorDetail(err))
		return
	}
	if adopted {
		resp.Diagnostics.AddWarning("Existing identical package adopted",
			fmt.Sprintf("H5App %s already holds version %s (package %d) with the same content and settings, most likely "+
				"registered by an earlier apply that was interrupted before Terraform recorded it. It was adopted instead of "+
				"uploading a duplicate version.", plan.H5AppID.ValueString(), pkg.Version, pkg.ID))
	}
	plan.SourceSHA256 = types.StringValue(uploaded.digest.SHA256)
	plan.ContentSHA256 = types.StringValue(file.content)
	resp.Diagnostics.Append(applyPackage(ctx, &plan, &pkg)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setPackageIdentity(ctx, resp.Identity, &plan)...)
	if file.built == "" {
		resp.Diagnostics.Append(setSourceStamp(ctx, resp.Private, uploaded.stamp, uploaded.digest.SHA256, file.content)...)
	}
}

func (r *offlinePackageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state offlinePackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Recorded before the look-up: the framework wants an identity even when the package is gone.
	resp.Diagnostics.Append(setPackageIdentity(ctx, resp.Identity, &state)...)
	pkg, found, err := r.findPackage(ctx, state.H5AppID.ValueString(), func(pkg *mpaas.Package) bool {
		return formatID(pkg.ID) == state.ID.ValueString()
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot read offline package "+state.ID.ValueString(), apiErrorDetail(err))
		return
	}
	if !found {
		// Kept, marked gone: the next plan uploads it again above its old
		// version (versionFloors, offline_package_plan.go). A package without a
		// version to exceed has nothing to keep.
		if !isKnown(state.Version) {
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(markGone(ctx, resp.Private, true)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	resp.Diagnostics.Append(markGone(ctx, resp.Private, false)...)
	resp.Diagnostics.Append(applyPackage(ctx, &state, pkg)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setPackageIdentity(ctx, resp.Identity, &state)...)
}

// findPackage lists the app's packages and returns the first match; found is
// false when the app or the package no longer exists.
func (r *offlinePackageResource) findPackage(ctx context.Context, h5AppID string, match func(*mpaas.Package) bool) (*mpaas.Package, bool, error) {
	packages, err := r.data.client.ListPackages(ctx, h5AppID)
	if err != nil {
		if r.data.client.AppGone(ctx, h5AppID) {
			return nil, false, nil
		}
		return nil, false, err
	}
	for i := range packages {
		if match(&packages[i]) {
			return &packages[i], true, nil
		}
	}
	return nil, false, nil
}

// Update only records arguments that do not describe the package: a moved
// or rebuilt source, or a source_dir, with the same content, and the H5App
// creation flags.
func (r *offlinePackageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state offlinePackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Source.IsNull() {
		source := plan.Source.ValueString()
		stamp, stampErr := offlinepkg.StampFile(source)
		digest, err := r.data.caches().Zips.HashFile(source)
		if stampErr != nil || err != nil || digest.Content != plan.ContentSHA256.ValueString() {
			addChangedSincePlan(&resp.Diagnostics, path.Root("source"), source)
			return
		}
		resp.Diagnostics.Append(setSourceStamp(ctx, resp.Private, stamp, plan.SourceSHA256.ValueString(), digest.Content)...)
	}
	if !plan.SourceDir.IsNull() {
		dir := plan.SourceDir.ValueString()
		content, err := offlinepkg.DirContent(dir, plan.H5AppID.ValueString(), r.data.caches().Files)
		if err != nil || content != plan.ContentSHA256.ValueString() {
			addChangedSincePlan(&resp.Diagnostics, path.Root("source_dir"), dir)
			return
		}
	}
	state.Source = plan.Source
	state.SourceDir = plan.SourceDir
	state.SourceSHA256 = plan.SourceSHA256
	state.ContentSHA256 = plan.ContentSHA256
	state.CreateH5AppIfMissing = plan.CreateH5AppIfMissing
	state.H5AppName = plan.H5AppName
	// These differ only where the state held a raw code (planmodifiers.ReplaceUnlessRawCode).
	state.ResourceType = plan.ResourceType
	state.DownloadPolicy = plan.DownloadPolicy
	state.InstallPolicy = plan.InstallPolicy
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setPackageIdentity(ctx, resp.Identity, &state)...)
}

func (r *offlinePackageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state offlinePackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	// A replacement's new version, created next in this apply, goes above.
	r.data.floors.raise(state.H5AppID, state.Version)
	if recordedGone(ctx, req.Private) {
		return
	}
	// One summary for every package, so Terraform shows it once with a count.
	resp.Diagnostics.AddWarning("Offline package versions stay in mPaaS",
		fmt.Sprintf("The mPaaS API cannot delete a package version: version %s of H5App %s left the Terraform state only. "+
			"Deleting an H5App (force_destroy = true) deletes its versions.", state.Version.ValueString(), state.H5AppID.ValueString()))
}

// ImportState imports a version by "<h5app_id>/<version>" or by identity.
func (r *offlinePackageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	h5AppID, version, ok := strings.Cut(req.ID, "/")
	if req.ID == "" && req.Identity != nil {
		var identity packageIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		h5AppID, version, ok = identity.H5AppID.ValueString(), identity.Version.ValueString(), true
	}
	const usage = "Import an offline package as <h5app_id>/<version>, such as 12345678/1.0.0.1, or by identity = { h5app_id = \"12345678\", version = \"1.0.0.1\" }"
	if valid, reason := validH5AppIDForImport(h5AppID); !ok || !valid {
		resp.Diagnostics.AddError("Invalid import ID", usage+". "+reason)
		return
	}
	if _, err := offlinepkg.ParseVersion(version); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", usage+": "+err.Error())
		return
	}
	pkg, found, err := r.findPackage(ctx, h5AppID, func(pkg *mpaas.Package) bool {
		same, cmpErr := offlinepkg.CompareVersionStrings(pkg.Version, version)
		return cmpErr == nil && same == 0
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot import offline package "+h5AppID+"/"+version, apiErrorDetail(err))
		return
	}
	if !found {
		resp.Diagnostics.AddError("Offline package not found", fmt.Sprintf("H5App %s has no package version %s.", h5AppID, version))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), formatID(pkg.ID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("h5app_id"), h5AppID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("create_h5app_if_missing"), false)...)
	resp.Diagnostics.Append(setPackageIdentity(ctx, resp.Identity, &offlinePackageModel{
		H5AppID: types.StringValue(h5AppID), Version: types.StringValue(pkg.Version)})...)
}

// packageIdentityModel is the identity of a package version: its H5App and
// version, what an import names.
type packageIdentityModel struct {
	H5AppID types.String `tfsdk:"h5app_id"`
	Version types.String `tfsdk:"version"`
}

func (r *offlinePackageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"h5app_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The 8-digit ID of the H5App that holds the version, such as 12345678.",
			},
			"version": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The package version, four dot-separated numbers such as 1.0.0.1.",
			},
		},
	}
}

// setPackageIdentity records the identity of the package in m.
func setPackageIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m *offlinePackageModel) diag.Diagnostics {
	return setIdentity(ctx, identity, packageIdentityModel{H5AppID: m.H5AppID, Version: m.Version})
}

// packageFile is the zip Create uploads: the file at source, or a zip built
// from source_dir into a temporary file (built is its path, to remove).
type packageFile struct {
	path       string
	uploadName string // the file name the upload is stored under
	sha256     string // the planned SHA-256 of the bytes; "" when not planned
	content    string // the content digest
	built      string
	dir        string
}

func (f packageFile) remove() {
	if f.built != "" {
		_ = os.Remove(f.built)
	}
}

func (f packageFile) attribute() path.Path {
	if f.dir != "" {
		return path.Root("source_dir")
	}
	return path.Root("source")
}

func (f packageFile) description() string {
	if f.dir != "" {
		return "the zip of " + f.dir
	}
	return f.path
}

// location is what the user configured: the folder or the zip.
func (f packageFile) location() string {
	if f.dir != "" {
		return f.dir
	}
	return f.path
}

// packageFile checks the planned content at apply (the rules again, as
// values unknown at plan are known now) and returns the zip to upload. A
// content that differs from the plan is an error before anything is sent.
func (r *offlinePackageResource) packageFile(m *offlinePackageModel, diags *diag.Diagnostics) (packageFile, error) {
	h5AppID := m.H5AppID.ValueString()
	if !m.SourceDir.IsNull() {
		dir := m.SourceDir.ValueString()
		if !inspectPackage(m, packageFiles{dir: dir}, diags) {
			return packageFile{}, errInvalidPackage
		}
		built, content, err := offlinepkg.BuildZipFile(dir, h5AppID, "")
		if err != nil {
			diags.AddAttributeError(path.Root("source_dir"), "Cannot zip the package folder", cannotReadFolder(dir, err))
			return packageFile{}, err
		}
		file := packageFile{path: built, uploadName: h5AppID + ".zip", content: content, built: built, dir: dir}
		if planned := m.ContentSHA256; !planned.IsUnknown() && planned.ValueString() != content {
			file.remove()
			addChangedSincePlan(diags, path.Root("source_dir"), dir)
			return packageFile{}, errInvalidPackage
		}
		return file, nil
	}
	source := m.Source.ValueString()
	if !inspectPackage(m, packageFiles{zip: source}, diags) {
		return packageFile{}, errInvalidPackage
	}
	digest, err := r.data.caches().Zips.HashFile(source)
	if err != nil {
		diags.AddAttributeError(path.Root("source"), "Cannot read the package file", cannotReadSource(source, err))
		return packageFile{}, err
	}
	// A configured source_sha256 pins the bytes; otherwise only the content
	// is pinned, and the bytes to upload are the ones just read.
	planned := firstKnown(m.SourceSHA256, types.StringValue(digest.SHA256)).ValueString()
	if digest.SHA256 != planned || (!m.ContentSHA256.IsUnknown() && m.ContentSHA256.ValueString() != digest.Content) {
		addChangedSincePlan(diags, path.Root("source"), source)
		return packageFile{}, errInvalidPackage
	}
	return packageFile{path: source, uploadName: filepath.Base(source), sha256: planned, content: digest.Content}, nil
}

// errInvalidPackage stops Create after the reason was added as a diagnostic.
var errInvalidPackage = errors.New("invalid package")

// errChangedSincePlan is an upload whose bytes are not the ones checked.
var errChangedSincePlan = errors.New("the package changed since the plan")

// addChangedSincePlan is the one answer to a package whose files differ
// from what the plan (or the apply's own check, moments before) read:
// nothing is registered, and the next plan shows the new content.
func addChangedSincePlan(diags *diag.Diagnostics, attribute path.Path, location string) {
	diags.AddAttributeError(attribute, "The package changed since the plan",
		fmt.Sprintf("The files of %q are not the ones the plan read (another build wrote them during the apply), so nothing "+
			"was registered. Run terraform plan again to review the new content, then apply it.", location))
}

// uploadedFile is a zip uploaded to the file store, with the digest of the
// bytes that were actually sent.
type uploadedFile struct {
	path    string
	fileURL string
	digest  offlinepkg.Digest
	stamp   offlinepkg.FileStamp // the file version uploaded, taken before and checked after
}

// upload streams the package's zip to the file store, hashing what it
// sends, and fails when the bytes are not the ones planned.
func (r *offlinePackageResource) upload(ctx context.Context, file packageFile) (uploadedFile, error) {
	stamp, err := offlinepkg.StampFile(file.path)
	if err != nil {
		return uploadedFile{}, fmt.Errorf("cannot read %q: %w", file.path, err)
	}
	var last *offlinepkg.HashingReader
	open := func() (io.ReadCloser, error) {
		opened, err := os.Open(file.path)
		if err != nil {
			return nil, err
		}
		last = offlinepkg.NewUploadHashingReader(opened)
		return readCloser{Reader: last, Closer: opened}, nil
	}
	fileURL, err := r.data.client.UploadFile(ctx, file.uploadName, stamp.Size, open)
	if err != nil {
		return uploadedFile{}, fmt.Errorf("uploading %q failed: %s", file.description(), apiErrorDetail(err))
	}
	// The bytes sent are the bytes whose content was checked when their
	// SHA-256 is the one read then: the content check costs no second read.
	digest := last.Digest()
	after, err := offlinepkg.StampFile(file.path)
	if err != nil || after != stamp || digest.Size != stamp.Size || (file.sha256 != "" && digest.SHA256 != file.sha256) {
		return uploadedFile{}, errChangedSincePlan
	}
	return uploadedFile{path: file.path, fileURL: fileURL, digest: digest, stamp: stamp}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// register creates the package from the uploaded zip (see
// mpaas.Client.CreatePackage), or adopts an identical one.
// above is the version an assigned version must exceed ("" for none); app
// is what prepareApp learnt of the H5App's packages.
func (r *offlinePackageResource) register(ctx context.Context, m *offlinePackageModel, file uploadedFile, above string, app appPackages) (mpaas.Package, bool, error) {
	input, err := m.createInput(ctx, file.fileURL, mpaas.UploadedContent(file.path, file.digest))
	if err != nil {
		return mpaas.Package{}, false, err
	}
	input.Above = above
	input.Listed, input.Packages = app.listed, app.packages
	return r.data.client.CreatePackage(ctx, input)
}

// appPackages is what the apply learnt of an H5App's packages while it
// checked the app: the list it read (listed), or, for an H5App it just
// created, that there are none. The register call then assigns the
// version without listing the H5App again (DESIGN.md, round trips).
type appPackages struct {
	listed   bool
	packages []mpaas.Package
}

// prepareApp runs the H5App checks again and returns what they learnt of
// its packages; when the H5App is missing and create_h5app_if_missing allows
// it, createApp creates it (and says what it then holds). ok is false after
// an error.
func (r *offlinePackageResource) prepareApp(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) (
	known appPackages, createApp func(context.Context) (appPackages, error), ok bool) {
	h5AppID := m.H5AppID.ValueString()
	appExists := r.checkAgainstApp(ctx, m, diags)
	if diags.HasError() {
		return appPackages{}, nil, false
	}
	if appExists {
		// The list checkAgainstApp read, shared within the run: no second call.
		packages, err := r.data.client.ListPackages(ctx, h5AppID)
		return appPackages{listed: err == nil, packages: packages}, nil, true
	}
	if !m.CreateH5AppIfMissing.ValueBool() {
		diags.AddAttributeError(path.Root("h5app_id"), "H5App "+h5AppID+" does not exist",
			"No H5App with ID "+h5AppID+" exists in this workspace, and nothing was uploaded. Either declare it with an "+
				"mpaas_h5app resource and reference it (h5app_id = mpaas_h5app.<name>.h5app_id), so that Terraform creates it "+
				"before the package, or set create_h5app_if_missing = true to create it with the package.")
		return appPackages{}, nil, false
	}
	name := m.h5AppName()
	return appPackages{}, func(ctx context.Context) (appPackages, error) {
		// The run's listing of H5Apps did not show it: create it without a
		// search. Several packages of one new app may ensure it in the same apply.
		created, err := r.data.client.EnsureUnlistedApp(ctx, h5AppID, name)
		// A new H5App holds no package but the ones this client registers
		// in it, which CreatePackage adds itself.
		return appPackages{listed: created}, err
	}, true
}

// appCreate is an H5App create running beside the upload (nil: none).
type appCreate struct {
	done chan struct{}
	app  appPackages
	err  error
}

func startAppCreate(ctx context.Context, create func(context.Context) (appPackages, error)) *appCreate {
	if create == nil {
		return nil
	}
	c := &appCreate{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.app, c.err = create(ctx)
	}()
	return c
}

// wait returns what the create learnt of the new H5App, or known when
// there was nothing to create.
func (c *appCreate) wait(known appPackages) (appPackages, error) {
	if c == nil {
		return known, nil
	}
	<-c.done
	return c.app, c.err
}

// packageAndUpload checks the zip to upload against the plan and uploads
// it; ok is false after an error, reported in diags. The returned file is
// to be removed whatever the outcome.
func (r *offlinePackageResource) packageAndUpload(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) (packageFile, uploadedFile, bool) {
	file, err := r.packageFile(m, diags)
	if err != nil || diags.HasError() {
		return file, uploadedFile{}, false
	}
	uploaded, err := r.upload(ctx, file)
	if errors.Is(err, errChangedSincePlan) {
		addChangedSincePlan(diags, file.attribute(), file.location())
		return file, uploadedFile{}, false
	}
	if err != nil {
		diags.AddAttributeError(file.attribute(), "Cannot upload the package", err.Error())
		return file, uploadedFile{}, false
	}
	return file, uploaded, true
}
