package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

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

type offlinePackageModel struct {
	ID                   types.String `tfsdk:"id"`
	H5AppID              types.String `tfsdk:"h5app_id"`
	ResourceType         types.String `tfsdk:"resource_type"`
	Version              types.String `tfsdk:"version"`
	Source               types.String `tfsdk:"source"`
	SourceDir            types.String `tfsdk:"source_dir"`
	SourceSHA256         types.String `tfsdk:"source_sha256"`
	ContentSHA256        types.String `tfsdk:"content_sha256"`
	Android              types.Object `tfsdk:"android"`
	IOS                  types.Object `tfsdk:"ios"`
	MainURL              types.String `tfsdk:"main_url"`
	Vhost                types.String `tfsdk:"vhost"`
	ExtendInfo           types.Map    `tfsdk:"extend_info"`
	DownloadPolicy       types.String `tfsdk:"download_policy"`
	InstallPolicy        types.String `tfsdk:"install_policy"`
	CreateH5AppIfMissing types.Bool   `tfsdk:"create_h5app_if_missing"`
	H5AppName            types.String `tfsdk:"h5app_name"`
	DownloadURL          types.String `tfsdk:"download_url"`
	FileSize             types.Int64  `tfsdk:"file_size"`
	CreatedAt            types.String `tfsdk:"created_at"`
}

type platformModel struct {
	MinVersion types.String `tfsdk:"min_version"`
	MaxVersion types.String `tfsdk:"max_version"`
}

var platformAttrTypes = map[string]attr.Type{"min_version": types.StringType, "max_version": types.StringType}

type ioReadCloser = io.ReadCloser

type readCloser struct {
	io.Reader
	io.Closer
}

// platformArg is one of the android/ios arguments, decoded.
type platformArg struct {
	name  string
	value *platformModel // nil when null or unknown
	known bool
}

func decodePlatform(ctx context.Context, name string, object types.Object, diags *diag.Diagnostics) platformArg {
	arg := platformArg{name: name, known: !object.IsUnknown()}
	if object.IsNull() || object.IsUnknown() {
		return arg
	}
	var value platformModel
	diags.Append(object.As(ctx, &value, basetypes.ObjectAsOptions{})...)
	arg.value = &value
	return arg
}

// checkPackageArguments applies every rule that needs neither the disk nor
// the API, so that terraform validate works before the zips are built.
// Unknown values are skipped; Create calls it again when everything is known.
func checkPackageArguments(ctx context.Context, m *offlinePackageModel, diags *diag.Diagnostics) {
	android := decodePlatform(ctx, "android", m.Android, diags)
	ios := decodePlatform(ctx, "ios", m.IOS, diags)
	checkPlatforms(android, ios, diags)
	if !m.Version.IsNull() && !m.Version.IsUnknown() {
		if _, err := offlinepkg.ParseVersion(m.Version.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("version"), "Invalid version (R8)", err.Error()+".")
		}
	}
	if !m.MainURL.IsNull() && !m.MainURL.IsUnknown() {
		for _, violation := range offlinepkg.CheckMainURL(m.MainURL.ValueString()) {
			diags.AddAttributeError(path.Root("main_url"), "Invalid main_url (R15)", violation.Message)
		}
	}
	checkExtendInfo(ctx, m.ExtendInfo, diags)
}

// checkSourceArguments requires exactly one of source and source_dir, a
// .zip name for source (R9), and source_sha256 only beside source.
func checkSourceArguments(m *offlinePackageModel, diags *diag.Diagnostics) {
	if m.Source.IsUnknown() || m.SourceDir.IsUnknown() {
		return
	}
	switch {
	case m.Source.IsNull() && m.SourceDir.IsNull():
		diags.AddAttributeError(path.Root("source"), "No package content",
			"Set source to the path of the package's .zip file (such as \"dist/12345678.zip\"), or source_dir to a folder "+
				"whose files the provider zips under the H5App folder (such as \"dist/12345678\").")
	case !m.Source.IsNull() && !m.SourceDir.IsNull():
		diags.AddAttributeError(path.Root("source_dir"), "Both source and source_dir set",
			"A package comes either from a .zip file (source) or from a folder (source_dir). Remove one of them.")
	case !m.SourceDir.IsNull() && !m.SourceSHA256.IsNull():
		diags.AddAttributeError(path.Root("source_sha256"), "source_sha256 needs source",
			"source_sha256 is the SHA-256 of a .zip given in source; with source_dir the provider builds the zip itself. Remove source_sha256.")
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
	if value := platform.value.MinVersion; !value.IsUnknown() && !value.IsNull() {
		if minVersion, err = offlinepkg.ParseClientVersion(value.ValueString()); err != nil {
			diags.AddAttributeError(minPath, "Invalid client version (R10)", platform.name+".min_version: "+err.Error()+".")
		}
	}
	value := platform.value.MaxVersion
	if value.IsUnknown() || value.IsNull() {
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
	if extendInfo.IsNull() || extendInfo.IsUnknown() {
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

// createInput maps the planned package to CreateMcubeNebulaResource.
func createInput(ctx context.Context, m *offlinePackageModel, version, fileURL string) (mpaas.CreateResourceInput, error) {
	var diags diag.Diagnostics
	targets := mpaas.Targets{
		Android: platformRange(decodePlatform(ctx, "android", m.Android, &diags)),
		IOS:     platformRange(decodePlatform(ctx, "ios", m.IOS, &diags)),
	}
	if diags.HasError() {
		return mpaas.CreateResourceInput{}, fmt.Errorf("decoding platforms: %v", diags)
	}
	platform, minVersion, maxVersion, err := mpaas.EncodeTargets(targets)
	if err != nil {
		return mpaas.CreateResourceInput{}, err
	}
	autoInstall, err := mpaas.AutoInstallCode(m.DownloadPolicy.ValueString())
	if err != nil {
		return mpaas.CreateResourceInput{}, err
	}
	installType, err := mpaas.InstallTypeCode(m.InstallPolicy.ValueString())
	if err != nil {
		return mpaas.CreateResourceInput{}, err
	}
	extendInfo, err := encodeExtendInfo(ctx, m.ExtendInfo)
	if err != nil {
		return mpaas.CreateResourceInput{}, err
	}
	name := m.H5AppName.ValueString()
	if name == "" {
		name = m.H5AppID.ValueString()
	}
	return mpaas.CreateResourceInput{
		H5ID:             m.H5AppID.ValueString(),
		H5Name:           name,
		H5Version:        version,
		ResourceType:     m.ResourceType.ValueString(),
		Platform:         platform,
		ClientVersionMin: minVersion,
		ClientVersionMax: maxVersion,
		FileURL:          fileURL,
		MainURL:          m.MainURL.ValueString(),
		Vhost:            m.Vhost.ValueString(), // "" when unknown: the service fills it in (R5)
		ExtendInfo:       extendInfo,
		AutoInstall:      autoInstall,
		InstallType:      installType,
	}, nil
}

func platformRange(arg platformArg) *mpaas.VersionRange {
	if arg.value == nil {
		return nil
	}
	return &mpaas.VersionRange{Min: arg.value.MinVersion.ValueString(), Max: arg.value.MaxVersion.ValueString()}
}

// encodeExtendInfo sends extend_info as a JSON object of strings, keys
// sorted, as in the console's example {"asyncReqRate":"1800"}.
func encodeExtendInfo(ctx context.Context, extendInfo types.Map) (string, error) {
	if extendInfo.IsNull() || extendInfo.IsUnknown() {
		return "", nil
	}
	values := map[string]string{}
	if diags := extendInfo.ElementsAs(ctx, &values, false); diags.HasError() {
		return "", fmt.Errorf("decoding extend_info: %v", diags)
	}
	encoded, err := json.Marshal(values) // encoding/json sorts map keys
	return string(encoded), err
}

// decodeExtendInfo reads ExtendInfo back as a map of strings; numbers and
// booleans become their JSON text, nested values their compact JSON, so a
// service that echoes {"asyncReqRate":1800} causes no diff.
func decodeExtendInfo(raw string) (map[string]string, error) {
	if raw == "" {
		return nil, nil
	}
	var object map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &object); err != nil {
		return nil, fmt.Errorf("ExtendInfo is not a JSON object: %w", err)
	}
	values := make(map[string]string, len(object))
	for key, rawValue := range object {
		var text string
		if string(rawValue) != "null" && json.Unmarshal(rawValue, &text) == nil {
			values[key] = text
			continue
		}
		values[key] = string(rawValue)
	}
	return values, nil
}

// applyPackage copies what the API reports about a package into the model.
func applyPackage(m *offlinePackageModel, item *mpaas.NebulaResourceListItem) diag.Diagnostics {
	var diags diag.Diagnostics
	resourceType, err := mpaas.ResourceTypeName(item.ResourceType)
	if err != nil {
		diags.AddError("Unexpected package data", err.Error())
		return diags
	}
	targets, err := mpaas.DecodeTargets(item.Platform, item.ClientVersionMin, item.ClientVersionMax)
	if err != nil {
		diags.AddError("Unexpected package data", err.Error())
		return diags
	}
	extendInfo, err := decodeExtendInfo(item.ExtendInfo)
	if err != nil {
		diags.AddError("Unexpected package data", err.Error())
		return diags
	}
	m.ID = types.StringValue(strconv.FormatInt(item.Id, 10))
	m.H5AppID = types.StringValue(item.H5Id)
	m.ResourceType = types.StringValue(resourceType)
	m.Version = types.StringValue(item.H5Version)
	m.Android = platformObject(targets.Android, &diags)
	m.IOS = platformObject(targets.IOS, &diags)
	m.MainURL = nullIfEmpty(item.MainUrl)
	m.Vhost = types.StringValue(item.Vhost)
	m.ExtendInfo = extendInfoValue(extendInfo, &diags)
	m.DownloadPolicy = types.StringValue(mpaas.DownloadPolicyName(item.AutoInstall))
	m.InstallPolicy = types.StringValue(mpaas.InstallPolicyName(item.InstallType))
	m.DownloadURL = types.StringValue(item.DownloadUrl)
	m.FileSize = fileSizeValue(item.FileSize)
	m.CreatedAt = types.StringValue(createdAt(item.GmtCreate))
	if m.CreateH5AppIfMissing.IsNull() || m.CreateH5AppIfMissing.IsUnknown() {
		m.CreateH5AppIfMissing = types.BoolValue(false)
	}
	return diags
}

func platformObject(r *mpaas.VersionRange, diags *diag.Diagnostics) types.Object {
	if r == nil {
		return types.ObjectNull(platformAttrTypes)
	}
	object, d := types.ObjectValue(platformAttrTypes, map[string]attr.Value{
		"min_version": types.StringValue(r.Min),
		"max_version": nullIfEmpty(r.Max),
	})
	diags.Append(d...)
	return object
}

func extendInfoValue(values map[string]string, diags *diag.Diagnostics) types.Map {
	if len(values) == 0 {
		return types.MapNull(types.StringType)
	}
	keys := make([]string, 0, len(values))
	for key := range values {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	elements := make(map[string]attr.Value, len(values))
	for _, key := range keys {
		elements[key] = types.StringValue(values[key])
	}
	value, d := types.MapValue(types.StringType, elements)
	diags.Append(d...)
	return value
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func fileSizeValue(raw string) types.Int64 {
	size, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return types.Int64Null()
	}
	return types.Int64Value(size)
}

// createdAt converts GmtCreate ("2006-01-02 15:04:05", taken as UTC) to RFC 3339.
func createdAt(gmtCreate string) string {
	parsed, err := time.ParseInLocation(mpaas.GmtLayout, gmtCreate, time.UTC)
	if err != nil {
		return gmtCreate
	}
	return parsed.UTC().Format(time.RFC3339)
}
