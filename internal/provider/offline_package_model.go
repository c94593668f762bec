package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

type offlinePackageModel struct {
	ID                   types.String   `tfsdk:"id"`
	H5AppID              types.String   `tfsdk:"h5app_id"`
	ResourceType         types.String   `tfsdk:"resource_type"`
	Version              types.String   `tfsdk:"version"`
	Source               types.String   `tfsdk:"source"`
	SourceDir            types.String   `tfsdk:"source_dir"`
	SourceSHA256         types.String   `tfsdk:"source_sha256"`
	ContentSHA256        types.String   `tfsdk:"content_sha256"`
	Android              types.Object   `tfsdk:"android"`
	IOS                  types.Object   `tfsdk:"ios"`
	MainURL              types.String   `tfsdk:"main_url"`
	Vhost                types.String   `tfsdk:"vhost"`
	ExtendInfo           types.Map      `tfsdk:"extend_info"`
	DownloadPolicy       types.String   `tfsdk:"download_policy"`
	InstallPolicy        types.String   `tfsdk:"install_policy"`
	CreateH5AppIfMissing types.Bool     `tfsdk:"create_h5app_if_missing"`
	H5AppName            types.String   `tfsdk:"h5app_name"`
	DownloadURL          types.String   `tfsdk:"download_url"`
	FileSize             types.Int64    `tfsdk:"file_size"`
	FileMD5              types.String   `tfsdk:"file_md5"`
	CreatedAt            types.String   `tfsdk:"created_at"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

type platformModel struct {
	MinVersion types.String `tfsdk:"min_version"`
	MaxVersion types.String `tfsdk:"max_version"`
}

var platformAttrTypes = map[string]attr.Type{"min_version": types.StringType, "max_version": types.StringType}

// platformArg is one of the android/ios arguments, decoded.
type platformArg struct {
	name  string
	value *platformModel // nil when null or unknown
	known bool
}

func decodePlatform(ctx context.Context, name string, object types.Object, diags *diag.Diagnostics) platformArg {
	arg := platformArg{name: name, known: !object.IsUnknown()}
	if !isKnown(object) {
		return arg
	}
	var value platformModel
	diags.Append(object.As(ctx, &value, basetypes.ObjectAsOptions{})...)
	arg.value = &value
	return arg
}

func (arg platformArg) versionRange() *mpaas.VersionRange {
	if arg.value == nil {
		return nil
	}
	return &mpaas.VersionRange{Min: arg.value.MinVersion.ValueString(), Max: arg.value.MaxVersion.ValueString()}
}

// h5AppName is the name of an H5App created with the package: h5app_name,
// or the H5App ID.
func (m *offlinePackageModel) h5AppName() string {
	if name := m.H5AppName.ValueString(); name != "" {
		return name
	}
	return m.H5AppID.ValueString()
}

// settings is what the planned package is created with.
func (m *offlinePackageModel) settings(ctx context.Context) (mpaas.PackageSettings, error) {
	var diags diag.Diagnostics
	targets := mpaas.Targets{
		Android: decodePlatform(ctx, "android", m.Android, &diags).versionRange(),
		IOS:     decodePlatform(ctx, "ios", m.IOS, &diags).versionRange(),
	}
	var extendInfo map[string]string
	if isKnown(m.ExtendInfo) {
		extendInfo = map[string]string{}
		diags.Append(m.ExtendInfo.ElementsAs(ctx, &extendInfo, false)...)
	}
	if diags.HasError() {
		return mpaas.PackageSettings{}, fmt.Errorf("decoding the arguments: %v", diags)
	}
	return mpaas.PackageSettings{
		ResourceType:   mpaas.ResourceType(m.ResourceType.ValueString()),
		Targets:        targets,
		MainURL:        m.MainURL.ValueString(),
		Vhost:          m.Vhost.ValueString(), // "" when unknown: the service fills it in (R5)
		ExtendInfo:     extendInfo,
		DownloadPolicy: mpaas.DownloadPolicy(m.DownloadPolicy.ValueString()),
		InstallPolicy:  mpaas.InstallPolicy(m.InstallPolicy.ValueString()),
	}, nil
}

// createInput is the planned package, to register from the zip uploaded to
// fileURL.
func (m *offlinePackageModel) createInput(ctx context.Context, fileURL string, content *mpaas.Content) (mpaas.CreatePackageInput, error) {
	settings, err := m.settings(ctx)
	if err != nil {
		return mpaas.CreatePackageInput{}, err
	}
	in := mpaas.CreatePackageInput{H5AppID: m.H5AppID.ValueString(), H5AppName: m.h5AppName(), PackageSettings: settings,
		FileURL: fileURL, Content: content}
	if !m.Version.IsUnknown() {
		in.Version = m.Version.ValueString()
	}
	return in, nil
}

// applyPackage copies what the API reports about a package into the model.
// What it reports in a form the provider cannot read keeps the model's
// earlier value, with a warning (keepUndecodedPackage).
func applyPackage(ctx context.Context, m *offlinePackageModel, pkg *mpaas.Package) diag.Diagnostics {
	var diags diag.Diagnostics
	earlier := *m
	m.ID = types.StringValue(formatID(pkg.ID))
	m.H5AppID = types.StringValue(pkg.H5AppID)
	m.ResourceType = types.StringValue(string(pkg.ResourceType))
	m.Version = types.StringValue(pkg.Version)
	m.Android = platformObject(ctx, pkg.Targets.Android, &diags)
	m.IOS = platformObject(ctx, pkg.Targets.IOS, &diags)
	m.MainURL = nullIfEmpty(pkg.MainURL)
	m.Vhost = nullIfEmpty(pkg.Vhost) // "" is no host name: generated configuration must not carry it
	m.ExtendInfo = extendInfoValue(ctx, pkg.ExtendInfo, &diags)
	m.DownloadPolicy = types.StringValue(string(pkg.DownloadPolicy))
	m.InstallPolicy = types.StringValue(string(pkg.InstallPolicy))
	m.DownloadURL = types.StringValue(pkg.DownloadURL)
	m.FileSize = fileSizeValue(pkg.FileSize)
	if pkg.MD5 != "" || m.FileMD5.IsUnknown() { // GetPackage does not report the MD5: keep the one recorded
		m.FileMD5 = nullIfEmpty(strings.ToLower(pkg.MD5))
	}
	m.CreatedAt = types.StringValue(pkg.CreatedAt)
	if !isKnown(m.CreateH5AppIfMissing) {
		m.CreateH5AppIfMissing = types.BoolValue(false)
	}
	keepUndecodedPackage(m, &earlier, pkg, &diags)
	return diags
}

func platformObject(ctx context.Context, r *mpaas.VersionRange, diags *diag.Diagnostics) types.Object {
	if r == nil {
		return types.ObjectNull(platformAttrTypes)
	}
	object, d := types.ObjectValueFrom(ctx, platformAttrTypes, platformModel{MinVersion: types.StringValue(r.Min), MaxVersion: nullIfEmpty(r.Max)})
	diags.Append(d...)
	return object
}

func extendInfoValue(ctx context.Context, values map[string]string, diags *diag.Diagnostics) types.Map {
	if len(values) == 0 {
		return types.MapNull(types.StringType)
	}
	value, d := types.MapValueFrom(ctx, types.StringType, values)
	diags.Append(d...)
	return value
}

// fileSizeValue is null when the service did not report the size (-1).
func fileSizeValue(size int64) types.Int64 {
	if size < 0 {
		return types.Int64Null()
	}
	return types.Int64Value(size)
}

// keepUndecodedPackage restores, in m, what a package read could not
// understand, from earlier (the state before the read, or the plan).
func keepUndecodedPackage(m, earlier *offlinePackageModel, pkg *mpaas.Package, diags *diag.Diagnostics) {
	object := fmt.Sprintf("package %d (H5App %s version %s)", pkg.ID, pkg.H5AppID, pkg.Version)
	imported := earlier.ResourceType.IsNull() // required: null only before the first read of an import
	for _, field := range mpaas.UndecodedFields(pkg.DecodeError) {
		var kept keptValue
		switch field.Field {
		case mpaas.FieldResourceType:
			m.ResourceType, kept = keepString("resource_type", earlier.ResourceType, field.Code)
		case mpaas.FieldAutoInstall:
			m.DownloadPolicy, kept = keepString("download_policy", earlier.DownloadPolicy, field.Code)
		case mpaas.FieldInstallType:
			m.InstallPolicy, kept = keepString("install_policy", earlier.InstallPolicy, field.Code)
		case mpaas.FieldPlatform:
			m.Android, m.IOS = earlier.Android, earlier.IOS
			warnUndecoded(diags, object, field, imported, keptValue{"android", m.Android}, keptValue{"ios", m.IOS})
			continue
		case mpaas.FieldExtendInfo:
			m.ExtendInfo = earlier.ExtendInfo
			kept = keptValue{"extend_info", m.ExtendInfo}
		case mpaas.FieldFileSize:
			m.FileSize = earlier.FileSize
			kept = keptValue{"file_size", m.FileSize}
		}
		warnUndecoded(diags, object, field, imported, kept)
	}
}
