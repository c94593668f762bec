package mpaas

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Every guess about the live service's wire format lives in this file
// (marked [INFERRED] in DESIGN.md section 6.1): the service documents none of these codes
// (DESIGN.md section 6), so a correction against the live service is a
// change here only. The emulator speaks the same guesses.

// Resource type codes, sent as int32 ResourceType and returned as a string.
// [INFERRED]: 0 for the default (normal) type, as for every other enum of
// the request model whose zero is the console's default.
const (
	resourceTypeCodeNormal int32 = 0
	resourceTypeCodeGlobal int32 = 1
)

// resourceTypeCode maps a resource type to its wire code.
func resourceTypeCode(t ResourceType) (int32, error) {
	switch t {
	case ResourceTypeNormal:
		return resourceTypeCodeNormal, nil
	case ResourceTypeGlobal:
		return resourceTypeCodeGlobal, nil
	}
	return 0, fmt.Errorf("unknown resource type %q", t)
}

// ResourceTypeName maps a wire code (int or its string form) to a resource type.
func ResourceTypeName(code string) (ResourceType, error) {
	switch strings.TrimSpace(code) {
	case fmt.Sprint(resourceTypeCodeNormal):
		return ResourceTypeNormal, nil
	case fmt.Sprint(resourceTypeCodeGlobal):
		return ResourceTypeGlobal, nil
	}
	return "", fmt.Errorf("unknown resource type code %q", code)
}

// CodeVersionExists is the refusal of a package version the H5App already
// holds. [INFERRED]: the service documents no code; this is what the
// emulator answers. CreatePackage also confirms a collision by listing the
// H5App, so another code from the live service only changes how fast it
// is recognised.
const CodeVersionExists = "VERSION_EXISTS"

// Download policy (AutoInstall) and install policy (InstallType) codes.
// [INFERRED]: the client SDK skips its Wi-Fi listener when auto_install == 1,
// so 1 downloads on every network; install type 1 preloads by the same
// reading (0 is the console's default in both).
const (
	autoInstallWifiOnly    int32 = 0
	autoInstallAllNetworks int32 = 1
	installTypeOnOpen      int32 = 0
	installTypePreload     int32 = 1
)

func autoInstallCode(p DownloadPolicy) (int32, error) {
	switch p {
	case DownloadPolicyWifiOnly:
		return autoInstallWifiOnly, nil
	case DownloadPolicyAllNetworks:
		return autoInstallAllNetworks, nil
	}
	return 0, fmt.Errorf("unknown download policy %q", p)
}

// downloadPolicyOf reads AutoInstall back.
func downloadPolicyOf(code int32) (DownloadPolicy, error) {
	switch code {
	case autoInstallWifiOnly:
		return DownloadPolicyWifiOnly, nil
	case autoInstallAllNetworks:
		return DownloadPolicyAllNetworks, nil
	}
	return "", fmt.Errorf("unknown AutoInstall code %d", code)
}

func installTypeCode(p InstallPolicy) (int32, error) {
	switch p {
	case InstallPolicyOnOpen:
		return installTypeOnOpen, nil
	case InstallPolicyPreload:
		return installTypePreload, nil
	}
	return 0, fmt.Errorf("unknown install policy %q", p)
}

// installPolicyOf reads InstallType back.
func installPolicyOf(code int32) (InstallPolicy, error) {
	switch code {
	case installTypeOnOpen:
		return InstallPolicyOnOpen, nil
	case installTypePreload:
		return InstallPolicyPreload, nil
	}
	return "", fmt.Errorf("unknown InstallType code %d", code)
}

// Release task codes. [INFERRED] from the Cube-card release API on the same
// platform (DESIGN.md section 6), whose request model is the same.
const (
	PublishTypeGrayscale int32 = 2
	PublishTypeOfficial  int32 = 3

	PublishModeOfficial   int32 = 0
	PublishModeWhitelist  int32 = 1
	PublishModeTimeWindow int32 = 2

	TaskStatusActive int32 = 1 // releasing
	TaskStatusEnded  int32 = 2
	TaskStatusPaused int32 = 3

	// GreyEndtimeLayout is the format of GreyEndtimeData. [INFERRED] from
	// GmtCreate, the only time format the reference shows.
	GreyEndtimeLayout = "2006-01-02 15:04:05"
	// BizTypeOfflinePackage is sent as BizType, which is undocumented. [INFERRED]
	// from the wire name of offline packages.
	BizTypeOfflinePackage = "nebula"
	// GmtLayout is the format of GmtCreate/GmtModified. [INFERRED] from sibling APIs.
	GmtLayout = "2006-01-02 15:04:05"
	// FileTokenUploadMaxBytes is the upper bound a file token's policy
	// grants. [INFERRED]: the reference shows no policy document.
	FileTokenUploadMaxBytes = 1 << 30
)

func releaseTypeCode(t ReleaseType) (int32, error) {
	switch t {
	case ReleaseTypeGrayscale:
		return PublishTypeGrayscale, nil
	case ReleaseTypeOfficial:
		return PublishTypeOfficial, nil
	}
	return 0, fmt.Errorf("unknown release type %q", t)
}

func ReleaseTypeOf(code int32) (ReleaseType, error) {
	switch code {
	case PublishTypeGrayscale:
		return ReleaseTypeGrayscale, nil
	case PublishTypeOfficial:
		return ReleaseTypeOfficial, nil
	}
	return "", fmt.Errorf("unknown PublishType %d", code)
}

func releaseStatusCode(s ReleaseStatus) (int32, error) {
	switch s {
	case ReleaseStatusActive:
		return TaskStatusActive, nil
	case ReleaseStatusPaused:
		return TaskStatusPaused, nil
	case ReleaseStatusEnded:
		return TaskStatusEnded, nil
	}
	return 0, fmt.Errorf("unknown release status %q", s)
}

func ReleaseStatusOf(code int32) (ReleaseStatus, error) {
	switch code {
	case TaskStatusActive:
		return ReleaseStatusActive, nil
	case TaskStatusPaused:
		return ReleaseStatusPaused, nil
	case TaskStatusEnded:
		return ReleaseStatusEnded, nil
	}
	return "", fmt.Errorf("unknown TaskStatus %d", code)
}

// Error codes for a release task or package that does not exist.
// [INFERRED]: the service documents none; these are what the emulator answers.
const (
	CodeTaskNotFound     = "TASK_NOT_FOUND"
	CodeResourceNotFound = "RESOURCE_NOT_FOUND"
)

// Platform wire values. [INFERRED]: "Android" and "iOS" as the console
// spells them; "all" because package URLs of both platforms contain
// "<version>_all".
const (
	PlatformAndroid         = "Android"
	PlatformIOS             = "iOS"
	PlatformAll             = "all"
	platformLabelSeparator  = ","
	platformLabelAssignment = ":"
)

// encodeTargets turns per-platform ranges into the three wire fields
// Platform, ClientVersionMin and ClientVersionMax.
//
// [INFERRED] The API has one Platform and one min/max pair, while the console
// lets each platform have its own range (with the same max strategy, R12,
// which is why one max field suffices). For both platforms we send
// Platform "all" and, when the minimums differ, label them
// "Android:<min>,iOS:<min>" (sibling APIs use comma lists of platforms).
func encodeTargets(t Targets) (platform, minVersion, maxVersion string, err error) {
	switch {
	case t.Android != nil && t.IOS != nil:
		if t.Android.Max != t.IOS.Max {
			return "", "", "", fmt.Errorf("android and ios max versions must both be empty or equal, got %q and %q", t.Android.Max, t.IOS.Max)
		}
		minVersion = t.Android.Min
		if t.Android.Min != t.IOS.Min {
			minVersion = PlatformAndroid + platformLabelAssignment + t.Android.Min + platformLabelSeparator +
				PlatformIOS + platformLabelAssignment + t.IOS.Min
		}
		return PlatformAll, minVersion, t.Android.Max, nil
	case t.Android != nil:
		return PlatformAndroid, t.Android.Min, t.Android.Max, nil
	case t.IOS != nil:
		return PlatformIOS, t.IOS.Min, t.IOS.Max, nil
	}
	return "", "", "", fmt.Errorf("at least one platform (android or ios) is required")
}

// DecodeTargets is the inverse of encodeTargets.
func DecodeTargets(platform, minVersion, maxVersion string) (Targets, error) {
	switch strings.ToLower(platform) {
	case strings.ToLower(PlatformAndroid):
		return Targets{Android: &VersionRange{Min: minVersion, Max: maxVersion}}, nil
	case strings.ToLower(PlatformIOS):
		return Targets{IOS: &VersionRange{Min: minVersion, Max: maxVersion}}, nil
	case PlatformAll:
		androidMin, iosMin, err := splitLabelledMin(minVersion)
		if err != nil {
			return Targets{}, err
		}
		return Targets{
			Android: &VersionRange{Min: androidMin, Max: maxVersion},
			IOS:     &VersionRange{Min: iosMin, Max: maxVersion},
		}, nil
	}
	return Targets{}, fmt.Errorf("unknown platform %q", platform)
}

func splitLabelledMin(minVersion string) (androidMin, iosMin string, err error) {
	if !strings.Contains(minVersion, platformLabelAssignment) {
		return minVersion, minVersion, nil
	}
	for _, part := range strings.Split(minVersion, platformLabelSeparator) {
		label, value, ok := strings.Cut(part, platformLabelAssignment)
		if !ok {
			return "", "", fmt.Errorf("malformed client version minimum %q", minVersion)
		}
		switch strings.ToLower(strings.TrimSpace(label)) {
		case strings.ToLower(PlatformAndroid):
			androidMin = value
		case strings.ToLower(PlatformIOS):
			iosMin = value
		default:
			return "", "", fmt.Errorf("unknown platform label %q in %q", label, minVersion)
		}
	}
	if androidMin == "" || iosMin == "" {
		return "", "", fmt.Errorf("client version minimum %q must name both Android and iOS", minVersion)
	}
	return androidMin, iosMin, nil
}

// Grayscale rule codes in GreyConfigInfo. [INFERRED] from the Cube-card
// release API, like the task codes above.
const (
	RuleOperationContains   = 1
	RuleOperationExcludes   = 2
	RuleOperationInRange    = 3
	RuleOperationOutOfRange = 4
	RuleElementCity         = "city"
	RuleElementMobileModel  = "mobileModel"
	RuleElementNetType      = "netType"
	RuleElementOsVersion    = "osVersion"
)

var ruleElementCodes = map[string]string{
	RuleCity:        RuleElementCity,
	RuleDeviceModel: RuleElementMobileModel,
	RuleNetwork:     RuleElementNetType,
	RuleOSVersion:   RuleElementOsVersion,
}

var ruleOperationCodes = map[string]int{
	RuleContains:   RuleOperationContains,
	RuleExcludes:   RuleOperationExcludes,
	RuleInRange:    RuleOperationInRange,
	RuleOutOfRange: RuleOperationOutOfRange,
}

// greyConfigRule is one element of the GreyConfigInfo JSON array. [INFERRED]:
// the shape of the Cube-card API's rules, with a range also split into
// value1 and value2.
type greyConfigRule struct {
	RuleElement string          `json:"ruleElement"`
	Operation   json.RawMessage `json:"operation"`
	Value       string          `json:"value"`
	Value1      json.RawMessage `json:"value1,omitempty"`
	Value2      json.RawMessage `json:"value2,omitempty"`
}

// EncodeGreyConfig turns rules into the GreyConfigInfo JSON array string:
// [{"ruleElement":"city","operation":1,"value":"a,b"}] or, for ranges,
// {"ruleElement":"osVersion","operation":3,"value":"lo-hi","value1":"lo","value2":"hi"}.
// No rules give "".
func EncodeGreyConfig(rules []ReleaseRule) (string, error) {
	if len(rules) == 0 {
		return "", nil
	}
	out := make([]greyConfigRule, 0, len(rules))
	for i, r := range rules {
		element, ok := ruleElementCodes[r.Element]
		if !ok {
			return "", fmt.Errorf("rule %d: unknown element %q", i+1, r.Element)
		}
		op, ok := ruleOperationCodes[r.Operator]
		if !ok {
			return "", fmt.Errorf("rule %d: unknown operator %q", i+1, r.Operator)
		}
		g := greyConfigRule{RuleElement: element, Operation: json.RawMessage(strconv.Itoa(op))}
		if r.IsRange() {
			if len(r.Values) != 2 {
				return "", fmt.Errorf("rule %d: %s needs exactly two values, got %d", i+1, r.Operator, len(r.Values))
			}
			g.Value = r.Values[0] + "-" + r.Values[1]
			g.Value1, _ = json.Marshal(r.Values[0])
			g.Value2, _ = json.Marshal(r.Values[1])
		} else {
			g.Value = strings.Join(r.Values, ",")
		}
		out = append(out, g)
	}
	raw, err := json.Marshal(out)
	return string(raw), err
}

// DecodeGreyConfig parses a GreyConfigInfo JSON array string ("" gives none).
func DecodeGreyConfig(s string) ([]ReleaseRule, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var in []greyConfigRule
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("GreyConfigInfo is not a JSON array of rules: %w", err)
	}
	out := make([]ReleaseRule, 0, len(in))
	for i, g := range in {
		value := g.Value
		if len(g.Value1) > 0 || len(g.Value2) > 0 {
			value = unquote(g.Value1) + "-" + unquote(g.Value2)
		}
		r, err := decodeRule(g.RuleElement, unquote(g.Operation), value)
		if err != nil {
			return nil, fmt.Errorf("GreyConfigInfo rule %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// decodeRule reads one rule from its wire element, operation and value
// ("a,b", or "lo-hi" for a range).
func decodeRule(elementCode, operationCode, value string) (ReleaseRule, error) {
	var r ReleaseRule
	for name, code := range ruleElementCodes {
		if strings.EqualFold(code, strings.TrimSpace(elementCode)) {
			r.Element = name
		}
	}
	if r.Element == "" {
		return r, fmt.Errorf("unknown ruleElement %q", elementCode)
	}
	op, err := strconv.Atoi(strings.TrimSpace(operationCode))
	if err != nil {
		return r, fmt.Errorf("operation %q is not a number", operationCode)
	}
	for name, code := range ruleOperationCodes {
		if code == op {
			r.Operator = name
		}
	}
	if r.Operator == "" {
		return r, fmt.Errorf("unknown operation %d", op)
	}
	if r.IsRange() {
		lo, hi, ok := strings.Cut(value, "-")
		if !ok {
			return r, fmt.Errorf("range value %q is not lo-hi", value)
		}
		r.Values = []string{lo, hi}
	} else {
		r.Values = strings.Split(value, ",")
	}
	return r, nil
}

func unquote(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}
