package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

var (
	_ resource.Resource                   = (*offlinePackageResource)(nil)
	_ resource.ResourceWithConfigure      = (*offlinePackageResource)(nil)
	_ resource.ResourceWithImportState    = (*offlinePackageResource)(nil)
	_ resource.ResourceWithValidateConfig = (*offlinePackageResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*offlinePackageResource)(nil)
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

func (r *offlinePackageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One offline package version of an H5App, uploaded from a `.zip` (console: Offline package " +
			"management, Add offline package). A package version cannot be changed once submitted (R19), so every argument " +
			"change plans a replacement, which uploads a new version. The API cannot delete a package version: destroy only " +
			"removes it from the Terraform state, with a warning.",
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
				Validators:    []validator.String{stringvalidator.OneOf(mpaas.ResourceTypeNormal, mpaas.ResourceTypeGlobal)},
				PlanModifiers: replace,
			},
			"version": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Four dot-separated numbers such as `1.0.0.1` (R8). When omitted it is assigned at apply " +
					"(R24): `0.0.0.1` in an H5App with no package, otherwise the highest existing version with its last part " +
					"incremented; every replacement gets the next one. A pinned version that already exists in the H5App is a plan-time error.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"source": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of the `.zip` to upload (R9). Every entry must sit under a top-level folder named after " +
					"the H5App ID. Exactly one of `source` and `source_dir` is required. Only the package's content matters: a zip " +
					"rebuilt from the same files (other timestamps, compression or entry order) or moved elsewhere updates this value in " +
					"place and uploads nothing. `terraform validate` does not read it; `terraform plan` does.",
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
				Default:  stringdefault.StaticString(mpaas.DownloadPolicyWifiOnly),
				MarkdownDescription: "When clients download the package (R17): `wifi_only` (default, in the background on Wi-Fi) " +
					"or `all_networks` (also on mobile data, without asking; use with care).",
				Validators:    []validator.String{stringvalidator.OneOf(mpaas.DownloadPolicyWifiOnly, mpaas.DownloadPolicyAllNetworks)},
				PlanModifiers: replace,
			},
			"install_policy": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(mpaas.InstallPolicyOnOpen),
				MarkdownDescription: "When clients install the package (R18): `on_open` (default, not preloaded: installed when " +
					"the user first opens it) or `preload` (installed as soon as the download finishes).",
				Validators:    []validator.String{stringvalidator.OneOf(mpaas.InstallPolicyOnOpen, mpaas.InstallPolicyPreload)},
				PlanModifiers: replace,
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
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When mPaaS registered the package, RFC 3339 in UTC.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *offlinePackageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

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

// checkAgainstApp applies the rules that depend on the H5App as it exists:
// its type (R6) and a pinned version's uniqueness (R8, R19). An H5App that
// does not exist is not an error here (it may be created by this apply);
// appExists says whether it does. A failed lookup is an error: the checks
// it would have made cannot be skipped.
func (r *offlinePackageResource) checkAgainstApp(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) (appExists bool) {
	h5AppID := m.H5AppID.ValueString()
	app, err := r.data.client.FindNebulaApp(ctx, h5AppID)
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
	if !m.Version.IsNull() && !m.Version.IsUnknown() {
		checkPinnedVersion(ctx, m, packages, packageVersions(packages), diags)
	}
	return true
}

// checkPinnedVersion fails the plan when the pinned version exists, unless
// that version is exactly this package (same content and settings), which the
// apply adopts: an earlier apply registered it without recording it.
func checkPinnedVersion(ctx context.Context, m *offlinePackageModel, packages []mpaas.NebulaResourceListItem, versions []string, diags *diag.Diagnostics) {
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
func identicalToExisting(ctx context.Context, m *offlinePackageModel, packages []mpaas.NebulaResourceListItem) bool {
	content := plannedFileContent(m)
	if content == nil {
		return false
	}
	input, err := createInput(ctx, m, "", "")
	return err == nil && adoptable(packages, m.Version.ValueString(), input, content) != nil
}

func checkAppType(m *offlinePackageModel, h5AppID string, packages []mpaas.NebulaResourceListItem, diags *diag.Diagnostics) {
	if len(packages) == 0 || m.ResourceType.IsUnknown() {
		return
	}
	appType, err := mpaas.ResourceTypeName(packages[0].ResourceType)
	if err != nil || appType == m.ResourceType.ValueString() {
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

func (r *offlinePackageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan offlinePackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Values unknown at plan are known now: check everything again.
	checkPackageArguments(ctx, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !r.prepareApp(ctx, &plan, &resp.Diagnostics) {
		return
	}
	file, err := r.packageFile(&plan, &resp.Diagnostics)
	if err != nil || resp.Diagnostics.HasError() {
		return
	}
	defer file.remove()
	uploaded, err := r.upload(ctx, file)
	if err != nil {
		resp.Diagnostics.AddAttributeError(file.attribute(), "Cannot upload the package", err.Error())
		return
	}
	item, adopted, err := r.register(ctx, &plan, uploaded)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the offline package in H5App "+plan.H5AppID.ValueString(), apiErrorDetail(err))
		return
	}
	if adopted {
		resp.Diagnostics.AddWarning("Existing identical package adopted",
			fmt.Sprintf("H5App %s already holds version %s (package %d) with the same content and settings, most likely "+
				"registered by an earlier apply that was interrupted before Terraform recorded it. It was adopted instead of "+
				"uploading a duplicate version.", plan.H5AppID.ValueString(), item.H5Version, item.Id))
	}
	plan.SourceSHA256 = types.StringValue(uploaded.digest.SHA256)
	plan.ContentSHA256 = types.StringValue(file.content)
	resp.Diagnostics.Append(applyPackage(&plan, item)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setPrivateMD5(ctx, resp.Private, item.Md5)...)
	if file.built == "" {
		resp.Diagnostics.Append(setSourceStamp(ctx, resp.Private, uploaded.stamp, uploaded.digest.SHA256, file.content)...)
	}
}

// prepareApp runs the H5App checks again and creates a missing H5App when
// create_h5app_if_missing allows it; ok is false after an error.
func (r *offlinePackageResource) prepareApp(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) (ok bool) {
	h5AppID := m.H5AppID.ValueString()
	appExists := r.checkAgainstApp(ctx, m, diags)
	if diags.HasError() {
		return false
	}
	if appExists {
		return true
	}
	if !m.CreateH5AppIfMissing.ValueBool() {
		diags.AddAttributeError(path.Root("h5app_id"), "H5App "+h5AppID+" does not exist",
			"No H5App with ID "+h5AppID+" exists in this workspace, and nothing was uploaded. Either declare it with an "+
				"mpaas_h5app resource and reference it (h5app_id = mpaas_h5app.<name>.h5app_id), so that Terraform creates it "+
				"before the package, or set create_h5app_if_missing = true to create it with the package.")
		return false
	}
	if err := r.ensureApp(ctx, m); err != nil {
		diags.AddAttributeError(path.Root("h5app_id"), "Cannot create H5App "+h5AppID, apiErrorDetail(err))
		return false
	}
	return true
}

func (r *offlinePackageResource) ensureApp(ctx context.Context, m *offlinePackageModel) error {
	h5AppID := m.H5AppID.ValueString()
	name := m.H5AppName.ValueString()
	if name == "" {
		name = h5AppID
	}
	// Several packages of one new app may be created in the same apply.
	lock := r.data.appLock(h5AppID)
	lock.Lock()
	defer lock.Unlock()
	defer r.data.packages.invalidate(h5AppID)
	existing, err := r.data.client.FindNebulaApp(ctx, h5AppID)
	if err != nil || existing != nil {
		return err
	}
	return createIdempotently(
		func() error { return r.data.client.CreateNebulaApp(ctx, h5AppID, name) },
		func() (bool, error) {
			found, err := r.data.client.FindNebulaApp(ctx, h5AppID)
			return found != nil, err
		})
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
	open := func() (ioReadCloser, error) {
		opened, err := os.Open(file.path)
		if err != nil {
			return nil, err
		}
		last = offlinepkg.NewHashingReader(opened)
		return readCloser{Reader: last, Closer: opened}, nil
	}
	fileURL, err := r.data.client.UploadFile(ctx, file.uploadName, stamp.Size, open)
	if err != nil {
		return uploadedFile{}, fmt.Errorf("uploading %q failed: %s", file.description(), apiErrorDetail(err))
	}
	digest := last.Digest()
	after, err := offlinepkg.StampFile(file.path)
	if err != nil || after != stamp || digest.Size != stamp.Size || (file.sha256 != "" && digest.SHA256 != file.sha256) {
		return uploadedFile{}, fmt.Errorf("the file %q changed since the plan; run plan again (planned SHA-256 %s, uploaded %s)",
			file.path, file.sha256, digest.SHA256)
	}
	return uploadedFile{path: file.path, fileURL: fileURL, digest: digest, stamp: stamp}, nil
}

// register creates the package under the app lock, assigning the next
// version when none is pinned, and returns it as the API lists it. adopted
// is true when an identical package was already there (see adoptable).
func (r *offlinePackageResource) register(ctx context.Context, m *offlinePackageModel, file uploadedFile) (item *mpaas.NebulaResourceListItem, adopted bool, err error) {
	h5AppID := m.H5AppID.ValueString()
	lock := r.data.appLock(h5AppID)
	lock.Lock()
	defer lock.Unlock()
	defer r.data.packages.invalidate(h5AppID)

	packages, err := r.data.client.ListAllNebulaResources(ctx, h5AppID)
	if err != nil {
		return nil, false, err
	}
	input, err := createInput(ctx, m, "", file.fileURL)
	if err != nil {
		return nil, false, err
	}
	content := newFileContent(file.path, file.digest.Size)
	if existing := adoptable(packages, m.Version.ValueString(), input, content); existing != nil {
		return existing, true, nil
	}
	input.H5Version = m.Version.ValueString()
	if m.Version.IsUnknown() || m.Version.IsNull() {
		if input.H5Version, err = offlinepkg.NextVersion(packageVersions(packages)); err != nil {
			return nil, false, err
		}
	}
	// After an ambiguous failure the package counts as created when the app
	// holds this version with the size and MD5 of the uploaded bytes.
	var created *mpaas.NebulaResourceListItem
	findUploaded := func() (bool, error) {
		packages, err := r.data.client.ListAllNebulaResources(ctx, h5AppID)
		if err != nil {
			return false, err
		}
		for i := range packages {
			if packages[i].H5Version == input.H5Version && sameContent(&packages[i], content) {
				created = &packages[i]
				return true, nil
			}
		}
		return false, nil
	}
	var id string
	ambiguous := false
	err = createIdempotently(
		func() (err error) {
			id, err = r.data.client.CreateNebulaResource(ctx, input)
			if mpaas.IsAmbiguous(err) {
				ambiguous = true
			}
			return err
		}, findUploaded)
	if err != nil && ambiguous && mpaas.ErrorCode(err) != "" {
		// A create resent after an ambiguous attempt may be refused because
		// the first one went through (the version exists): look once more.
		if found, lookupErr := lookUp(findUploaded); lookupErr == nil && found {
			return created, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	if created != nil {
		return created, false, nil
	}
	return r.readBack(ctx, h5AppID, id, input, file, findUploaded, &created)
}

// readBack returns the package just created, as the list shows it (with its
// MD5). When the list cannot be read, it falls back to GetMcubeNebulaResource
// and finally to what was sent, so a created package is always recorded.
func (r *offlinePackageResource) readBack(ctx context.Context, h5AppID, id string, input mpaas.CreateResourceInput, file uploadedFile,
	findUploaded func() (bool, error), created **mpaas.NebulaResourceListItem) (*mpaas.NebulaResourceListItem, bool, error) {
	found, err := lookUp(findUploaded)
	if err == nil && !found {
		return nil, false, fmt.Errorf("package %s was created but is missing from the list of H5App %s", id, h5AppID)
	}
	if found {
		return *created, false, nil
	}
	item := &mpaas.NebulaResourceListItem{}
	if info, getErr := r.data.client.GetNebulaResource(ctx, id); getErr == nil && info != nil {
		item.NebulaResourceInfo = *info
		return item, false, nil
	}
	numericID, parseErr := strconv.ParseInt(id, 10, 64)
	if parseErr != nil {
		return nil, false, err
	}
	resourceTypeCode, _ := mpaas.ResourceTypeCode(input.ResourceType)
	item.NebulaResourceInfo = mpaas.NebulaResourceInfo{
		Id: numericID, H5Id: input.H5ID, H5Name: input.H5Name, H5Version: input.H5Version,
		ResourceType: strconv.Itoa(int(resourceTypeCode)), Platform: input.Platform,
		ClientVersionMin: input.ClientVersionMin, ClientVersionMax: input.ClientVersionMax,
		MainUrl: input.MainURL, Vhost: input.Vhost, ExtendInfo: input.ExtendInfo,
		AutoInstall: input.AutoInstall, InstallType: input.InstallType,
		FileSize: strconv.FormatInt(file.digest.Size, 10),
	}
	return item, false, nil
}

// adoptable returns an existing package that is exactly what this resource
// would create, so that an apply retried after a failure (the package was
// registered but Terraform never recorded it) does not upload a duplicate
// version: with a pinned version, that version; otherwise the app's highest
// version. Content (size and MD5) and every setting must match.
func adoptable(packages []mpaas.NebulaResourceListItem, pinnedVersion string, input mpaas.CreateResourceInput, content *fileContent) *mpaas.NebulaResourceListItem {
	var candidate *mpaas.NebulaResourceListItem
	for i := range packages {
		item := &packages[i]
		if pinnedVersion != "" {
			if same, err := offlinepkg.CompareVersionStrings(item.H5Version, pinnedVersion); err == nil && same == 0 {
				candidate = item
			}
			continue
		}
		if candidate == nil {
			candidate = item
		} else if newer, err := offlinepkg.CompareVersionStrings(item.H5Version, candidate.H5Version); err == nil && newer > 0 {
			candidate = item
		}
	}
	if candidate == nil || !sameSettings(candidate, input) || !sameContent(candidate, content) {
		return nil
	}
	return candidate
}

// sameSettings compares what CreateMcubeNebulaResource would record.
func sameSettings(item *mpaas.NebulaResourceListItem, input mpaas.CreateResourceInput) bool {
	resourceType, err := mpaas.ResourceTypeName(item.ResourceType)
	if err != nil || resourceType != input.ResourceType {
		return false
	}
	existingInfo, err1 := decodeExtendInfo(item.ExtendInfo)
	wantedInfo, err2 := decodeExtendInfo(input.ExtendInfo)
	return err1 == nil && err2 == nil && fmt.Sprint(existingInfo) == fmt.Sprint(wantedInfo) &&
		strings.EqualFold(item.Platform, input.Platform) &&
		item.ClientVersionMin == input.ClientVersionMin && item.ClientVersionMax == input.ClientVersionMax &&
		item.MainUrl == input.MainURL && item.AutoInstall == input.AutoInstall && item.InstallType == input.InstallType &&
		(input.Vhost == "" || item.Vhost == input.Vhost)
}

// fileContent identifies the zip to upload for comparison with a
// registered package: its size, and its MD5 (the only hash the API
// reports), both computed on first use because a comparison rarely gets past
// the size, and a folder's zip has to be built to know either.
type fileContent struct {
	knownSize int64 // -1 until measured
	once      sync.Once
	measure   func() (size int64, md5 string, err error)
	size      int64
	md5       string
	err       error
}

// newFileContent is the content of the zip at path, of the given size.
func newFileContent(path string, size int64) *fileContent {
	return &fileContent{knownSize: size, measure: func() (int64, string, error) {
		md5, err := offlinepkg.MD5File(path)
		return size, md5, err
	}}
}

// plannedFileContent is the content of the planned source or source_dir;
// nil when it cannot be known at plan time.
func plannedFileContent(m *offlinePackageModel) *fileContent {
	switch {
	case !m.SourceDir.IsNull() && !m.SourceDir.IsUnknown() && !m.H5AppID.IsUnknown():
		dir, h5AppID := m.SourceDir.ValueString(), m.H5AppID.ValueString()
		return &fileContent{knownSize: -1, measure: func() (int64, string, error) { return offlinepkg.ZipFolderMD5(dir, h5AppID) }}
	case !m.Source.IsNull() && !m.Source.IsUnknown():
		info, err := os.Stat(m.Source.ValueString())
		if err != nil {
			return nil
		}
		return newFileContent(m.Source.ValueString(), info.Size())
	}
	return nil
}

func (c *fileContent) measured() bool {
	c.once.Do(func() { c.size, c.md5, c.err = c.measure() })
	return c.err == nil
}

func sameContent(item *mpaas.NebulaResourceListItem, content *fileContent) bool {
	if content.knownSize >= 0 && item.FileSize != strconv.FormatInt(content.knownSize, 10) {
		return false
	}
	return content.measured() && item.FileSize == strconv.FormatInt(content.size, 10) && item.Md5 != "" &&
		strings.EqualFold(item.Md5, content.md5)
}

func packageVersions(packages []mpaas.NebulaResourceListItem) []string {
	versions := make([]string, len(packages))
	for i, item := range packages {
		versions[i] = item.H5Version
	}
	return versions
}

func (r *offlinePackageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state offlinePackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	item, found, err := r.findPackage(ctx, state.H5AppID.ValueString(), func(item *mpaas.NebulaResourceListItem) bool {
		return strconv.FormatInt(item.Id, 10) == state.ID.ValueString()
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot read offline package "+state.ID.ValueString(), apiErrorDetail(err))
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(applyPackage(&state, item)...)
	fillLegacyContent(&state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setPrivateMD5(ctx, resp.Private, item.Md5)...)
}

// fillLegacyContent gives a state written before content digests existed
// its content_sha256, read from the zip at source when that is still the
// file that was uploaded, so such a state plans no change.
func fillLegacyContent(state *offlinePackageModel) {
	if !state.ContentSHA256.IsNull() || state.SourceSHA256.IsNull() || state.Source.IsNull() {
		return
	}
	digest, err := offlinepkg.DefaultZipCache.HashFile(state.Source.ValueString())
	if err == nil && digest.Content != "" && digest.SHA256 == state.SourceSHA256.ValueString() {
		state.ContentSHA256 = types.StringValue(digest.Content)
	}
}

// findPackage lists the app's packages and returns the first match; found is
// false when the app or the package no longer exists.
func (r *offlinePackageResource) findPackage(ctx context.Context, h5AppID string, match func(*mpaas.NebulaResourceListItem) bool) (*mpaas.NebulaResourceListItem, bool, error) {
	packages, err := r.data.listPackages(ctx, h5AppID)
	if err != nil {
		if isAppGone(ctx, r.data.client, h5AppID) {
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
		digest, err := offlinepkg.DefaultZipCache.HashFile(source)
		if stampErr != nil || err != nil || digest.Content != plan.ContentSHA256.ValueString() {
			resp.Diagnostics.AddAttributeError(path.Root("source"), "The package file changed",
				fmt.Sprintf("The content of %q changed since the plan; run plan again.", source))
			return
		}
		resp.Diagnostics.Append(setSourceStamp(ctx, resp.Private, stamp, plan.SourceSHA256.ValueString(), digest.Content)...)
	}
	if !plan.SourceDir.IsNull() {
		dir := plan.SourceDir.ValueString()
		content, err := offlinepkg.DirContent(dir, plan.H5AppID.ValueString(), offlinepkg.DefaultHashCache)
		if err != nil || content != plan.ContentSHA256.ValueString() {
			resp.Diagnostics.AddAttributeError(path.Root("source_dir"), "The package folder changed",
				fmt.Sprintf("The files of %q changed since the plan; run plan again.", dir))
			return
		}
	}
	state.Source = plan.Source
	state.SourceDir = plan.SourceDir
	state.SourceSHA256 = plan.SourceSHA256
	state.ContentSHA256 = plan.ContentSHA256
	state.CreateH5AppIfMissing = plan.CreateH5AppIfMissing
	state.H5AppName = plan.H5AppName
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *offlinePackageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state offlinePackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Offline package version kept in mPaaS",
		fmt.Sprintf("The mPaaS API cannot delete an offline package version, so version %s of H5App %s (package %s) was only "+
			"removed from the Terraform state and stays in the H5App. Deleting the H5App (mpaas_h5app with force_destroy = true) "+
			"deletes its packages.", state.Version.ValueString(), state.H5AppID.ValueString(), state.ID.ValueString()))
}

func (r *offlinePackageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	h5AppID, version, ok := strings.Cut(req.ID, "/")
	if valid, reason := validH5AppIDForImport(h5AppID); !ok || !valid {
		resp.Diagnostics.AddError("Invalid import ID", "Import an offline package as <h5app_id>/<version>, such as 12345678/1.0.0.1. "+reason)
		return
	}
	if _, err := offlinepkg.ParseVersion(version); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import an offline package as <h5app_id>/<version>, such as 12345678/1.0.0.1: "+err.Error())
		return
	}
	item, found, err := r.findPackage(ctx, h5AppID, func(item *mpaas.NebulaResourceListItem) bool {
		same, cmpErr := offlinepkg.CompareVersionStrings(item.H5Version, version)
		return cmpErr == nil && same == 0
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot import offline package "+req.ID, apiErrorDetail(err))
		return
	}
	if !found {
		resp.Diagnostics.AddError("Offline package not found", fmt.Sprintf("H5App %s has no package version %s.", h5AppID, version))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), strconv.FormatInt(item.Id, 10))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("h5app_id"), h5AppID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("create_h5app_if_missing"), false)...)
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

func setPrivateMD5(ctx context.Context, private privateSetter, md5 string) diag.Diagnostics {
	if md5 == "" {
		return nil
	}
	raw, _ := json.Marshal(strings.ToLower(md5))
	return private.SetKey(ctx, privateSourceMD5Key, raw)
}
