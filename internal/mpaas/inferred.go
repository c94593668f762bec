package mpaas

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The client's guesses about the live service's wire protocol, each marked
// [INFERRED] with its reason (DESIGN.md section 6.1 lists them; section 6.2
// says, per field, what is verified against the official SDK, documented,
// or inferred): the codes, keys, labels, formats and defaults.
// grey_config.go, targets_wire.go and service_times.go apply them at
// length but take every guessed value from here, so a correction against
// the live service is a change here only (doc.go says what is verified and
// where). The emulator speaks the same guesses; its own (business-error
// shape, cascade on delete, list order, paging defaults) are marked
// [INFERRED] where it implements them.

// onexFlagResource is the OnexFlag sent with CreateMcubeNebulaResource.
// [INFERRED]: documented as "fixed value true" only for GetMcubeFileToken
// and UploadMcubeRsaKey; the resource action has the same parameter.
const onexFlagResource = "true"

// paramListTasksPackageID is the parameter of ListMcubeNebulaTasks that
// names the package whose tasks are listed. [INFERRED]: the action's only
// ID parameter is "Id"; the sibling mini-program and Cube-card task lists
// take the package's ID there.
const paramListTasksPackageID = "Id"

// classify decides what to do with an error answer: retry says another
// attempt may succeed, ambiguous that a write may have been carried out.
// [INFERRED]: generic gateway semantics, not documented for mPaaS: a
// throttling code, 429 or 503 is refused before any processing (safe to
// retry for every action); a read may be retried on any 5xx; a write
// answered 500, 502 or 504 may have been carried out.
func classify(read bool, status int, code string) (retry, ambiguous bool) {
	switch {
	case isThrottlingCode(code), code == CodeServiceUnavailable,
		status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		// Rejected before any processing: safe for every action.
		return true, false
	case read && status >= 500:
		return true, false
	case !read && (status == http.StatusInternalServerError || status == http.StatusBadGateway || status == http.StatusGatewayTimeout):
		return false, true
	}
	return false, false
}

// objectURL is the FileUrl of an uploaded object: Host + "/" + key, every
// path segment of key escaped, so that the URL is well formed whatever the
// token's Dir holds. [INFERRED]: the reference shows no FileUrl; this is the
// OSS convention for an object's URL, and the SDK examples of sibling
// actions have that shape.
func objectURL(host, key string) string {
	segments := strings.Split(key, "/")
	for i, segment := range segments {
		segments[i] = url.PathEscape(segment)
	}
	return strings.TrimRight(host, "/") + "/" + strings.Join(segments, "/")
}

// fileTokenReuseMargin is how long before its Expire a file token stops
// being reused for new uploads (UploadFile). [INFERRED]: the token's
// lifetime is undocumented (the emulator gives 30 minutes); Expire is the
// policy's expiration, which OSS checks when the upload arrives, so a token
// is safe to reuse until shortly before it. The margin covers clock skew
// between this machine and the service and an upload that starts late; a
// token refused anyway is replaced (grantRefused).
const fileTokenReuseMargin = 2 * time.Minute

// tokenExpiry reads a file token's Expire: Unix seconds as a string (the
// documented form) or a number; milliseconds when the value is too large to
// be seconds. ok is false when there is no readable value, and the token
// then serves one upload only. [INFERRED]: documented only by one example,
// "1584327372".
func tokenExpiry(raw json.RawMessage) (time.Time, bool) {
	text := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	if n > 1e12 {
		return time.UnixMilli(n), true
	}
	return time.Unix(n, 0), true
}

// grantRefused reports whether an upload failed because OSS refused the
// token's grant (HTTP 403: an expired policy, a signature or key it does not
// accept), so that a new token may succeed. [INFERRED]: OSS answers a
// PostObject it does not authorise with 403 AccessDenied (and codes such as
// InvalidAccessKeyId, SignatureDoesNotMatch); other statuses are not about
// the grant.
func grantRefused(err error) bool {
	var upErr *UploadError
	return errors.As(err, &upErr) && upErr.HTTPStatus == http.StatusForbidden
}

// encodeExtendInfo sends extend info as a JSON object of strings, keys
// sorted. [INFERRED] from the console's example {"asyncReqRate":"1800"}: the
// API types ExtendInfo as a plain string.
func encodeExtendInfo(values map[string]string) (string, error) {
	if values == nil {
		return "", nil
	}
	encoded, err := json.Marshal(values) // encoding/json sorts map keys
	return string(encoded), err
}

// decodeExtendInfo reads ExtendInfo back as a map of strings; numbers and
// booleans become their JSON text, nested values their compact JSON, so a
// service that echoes {"asyncReqRate":1800} reads as what was sent.
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

// ReportedSizeMatches reports whether a FileSize the service reported can
// be that of a zip of size bytes: the same number of bytes, or the size in
// KB (1024 bytes; rounded down, up or to the nearest). A size only rules a
// package out; the MD5 decides. [INFERRED]: the SDK types FileSize as a
// string without a unit, and the published examples of the sibling hotpatch
// actions (528, 117 for whole packages) look like KB.
func ReportedSizeMatches(reported, size int64) bool {
	if reported < 0 || size < 0 {
		return false
	}
	if reported == size {
		return true
	}
	const kb = 1024
	down, up, nearest := size/kb, (size+kb-1)/kb, (size+kb/2)/kb
	return reported == down || reported == up || reported == nearest
}

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
	// GmtCreate, the only time format the reference shows. It has no zone:
	// see DefaultServiceTimeZone.
	GreyEndtimeLayout = "2006-01-02 15:04:05"
	// BizTypeOfflinePackage is sent as BizType, which is undocumented. [INFERRED]
	// from the wire name of offline packages: the sibling
	// UpdateMcubeHotpatchTaskStatus sends "hotpatch", its product's name.
	BizTypeOfflinePackage = "nebula"
	// GmtLayout is the format of GmtCreate/GmtModified. [INFERRED] from
	// sibling APIs. It has no zone: see DefaultServiceTimeZone. Read back,
	// every time is also taken as epoch milliseconds (a number or a numeric
	// string; the published examples of the sibling hotpatch actions show
	// GmtCreate 1751594649000) or RFC 3339: serviceTimes.decode.
	GmtLayout = "2006-01-02 15:04:05"
	// FileTokenUploadMaxBytes is the upper bound a file token's policy
	// grants. [INFERRED]: the reference shows no policy document.
	FileTokenUploadMaxBytes = 1 << 30
)

// DefaultServiceTimeZone is the zone the service's zone-less times
// (GreyEndtimeData sent, GmtCreate and GreyEndtimeData read) are taken in
// when Config.ServiceTimeZone is nil. [INFERRED]: the reference states no
// zone; the service runs in mainland China (every region is served by
// mpaas.aliyuncs.com), and its console and sibling APIs show these times in
// China Standard Time. A wrong zone shifts a time window, and created_at,
// by the difference (8 hours against UTC).
const DefaultServiceTimeZone = "Asia/Shanghai"

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

// Not-found classification: the one place that decides whether an answer
// means "the object asked for does not exist" (IsNotFound, GetPackage,
// GetRelease, FindApp, FindRelease). Each signal is marked documented (the
// reference states it, DESIGN.md section 6.2) or [INFERRED] (section 6.1):
//
//  1. A complete listing without the object: FindApp, FindRelease and the
//     provider's package list. Documented: the List* actions return the
//     objects of their scope. The strongest signal; relied on first.
//  2. Success=true with no result object, or a zero one (Id 0), on a Get*
//     action. The shape is documented (success says whether the query
//     succeeded); reading an empty object as absence is [INFERRED].
//  3. notFoundCodes. [INFERRED]: the reference names no not-found code for
//     the Nebula actions (their failures are only "a ResultCode other than
//     OK" and success=false with a resultMsg); these are the emulator's.
//  4. Codes shaped like the convention of other Alibaba Cloud APIs for a
//     missing resource: <Name>.NotFound, NotFound.<Name>, EntityNotExist.<Name>,
//     <NAME>_NOT_FOUND, <NAME>_NOT_EXIST. [INFERRED].
//
// Never absence, although shaped like (4): requestNotFoundCodes, the API
// gateway's documented codes for a request it cannot route or authenticate.
// A wrong action, version, product, region or access key must fail a read,
// never empty the state.
const (
	CodeTaskNotFound     = "TASK_NOT_FOUND"     // [INFERRED] the emulator's
	CodeResourceNotFound = "RESOURCE_NOT_FOUND" // [INFERRED] the emulator's
	CodeAppNotFound      = "H5APP_NOT_FOUND"    // [INFERRED] the emulator's
)

// notFoundCodes are the codes of signal 3. [INFERRED]
var notFoundCodes = map[string]bool{CodeTaskNotFound: true, CodeResourceNotFound: true, CodeAppNotFound: true}

// requestNotFoundCodes are documented gateway codes about the request, not
// the object: never absence.
var requestNotFoundCodes = map[string]bool{
	"InvalidAction.NotFound":      true,
	"InvalidApi.NotFound":         true,
	"InvalidAccessKeyId.NotFound": true,
	"InvalidProduct.NotFound":     true,
	"InvalidRegionId.NotFound":    true,
	"InvalidVersion.NotFound":     true,
	"InvalidPath.NotFound":        true,
}

// IsNotFound reports whether err is an answer saying the object asked for
// does not exist (signals 3 and 4 above; a transient failure never is).
func IsNotFound(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || IsTransient(err) {
		return false
	}
	code := apiErr.Code
	switch {
	case requestNotFoundCodes[code]:
		return false
	case notFoundCodes[code]:
		return true
	}
	return looksLikeNotFound(code)
}

// looksLikeNotFound matches signal 4. [INFERRED]
func looksLikeNotFound(code string) bool {
	for _, part := range strings.Split(strings.ToLower(code), ".") {
		for _, marker := range []string{"notfound", "notexist", "not_found", "not_exist"} {
			if strings.HasSuffix(part, marker) {
				return true
			}
		}
	}
	return false
}

// isZeroID reports whether a Get* answer's object is empty (signal 2).
func isZeroID(id int64) bool { return id == 0 }

// morePages decides, after one page of a List* answer, whether another page
// must be read. [INFERRED]: the reference names HasMore, TotalCount and
// PageSize but not which of them the service fills, so none is relied on
// alone and a list never ends early:
//
//   - an empty page, or one that brings no item not seen before, ends it;
//   - HasMore, when the answer has it, decides;
//   - else TotalCount, when it is present and not below what was listed;
//   - else PageSize as answered: a full page means there may be more;
//   - else a page shorter than the largest one so far ends it (so a list
//     with no paging keys at all costs one empty page more).
func morePages(p pageAnswer) bool {
	switch {
	case p.items == 0 || p.fresh == 0:
		return false
	case p.HasMore.set:
		return p.HasMore.value
	case p.TotalCount.set && p.TotalCount.value >= int64(p.listed):
		return p.TotalCount.value > int64(p.listed)
	case p.PageSize.value > 0:
		return p.items >= int(p.PageSize.value)
	}
	return p.items >= p.largest
}

// The two-platform encoding (targets_wire.go). [INFERRED] The API has one
// Platform and one min/max pair, while the console lets each platform have
// its own range (with the same max strategy, R12, which is why one max field
// suffices). For both platforms we send Platform "all" and, when the
// minimums differ, label them "Android:<min>,iOS:<min>" (sibling APIs use
// comma lists of platforms).
//
// Platform wire values. [INFERRED]: "Android" and "iOS" as the console
// spells them; "all" because package URLs of both platforms contain
// "<version>_all" (no source either way: sibling create actions write
// comma lists, "iOS,Android" and "Android,iOS", which a read would have to
// accept if the service echoes one).
const (
	PlatformAndroid         = "Android"
	PlatformIOS             = "iOS"
	PlatformAll             = "all"
	platformLabelSeparator  = ","
	platformLabelAssignment = ":"
)

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

// ruleOperatorWords are the operator words a normalised rule may carry,
// lower case without separators. [INFERRED]: the sibling release APIs spell
// operators as words; these cover the spellings of the console, of our
// own names and of the usual English.
var ruleOperatorWords = map[string]string{
	"contains": RuleContains, "contain": RuleContains, "include": RuleContains, "includes": RuleContains, "in": RuleContains,
	"excludes": RuleExcludes, "exclude": RuleExcludes, "notcontains": RuleExcludes, "notcontain": RuleExcludes,
	"notinclude": RuleExcludes, "notin": RuleExcludes,
	"inrange": RuleInRange, "range": RuleInRange, "between": RuleInRange, "within": RuleInRange,
	"outofrange": RuleOutOfRange, "notinrange": RuleOutOfRange, "notbetween": RuleOutOfRange, "outside": RuleOutOfRange,
	"vlimitin": RuleInRange, "vlimitnotin": RuleOutOfRange, "vlimitout": RuleOutOfRange,
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

// greyConfigOperatorAnd is the one group operator a rule list means [INFERRED].
const greyConfigOperatorAnd = "and"

// successResultCodes are the envelope ResultCodes of an accepted request.
// Documented: "OK" ("resultCode is OK normally; other values mean the API
// request is abnormal"). [INFERRED] "100": three published response examples
// of the sibling hotpatch actions carry it with Success=true. The official
// SDK does not look at ResultCode at all, so an answer without one is
// judged by its result object alone (transport.go); a code outside this set
// is a failure.
var successResultCodes = map[string]bool{resultCodeOK: true, "100": true}

// isSuccessResultCode reports whether an envelope's ResultCode accepts the
// request ("" counts: the result object's Success decides).
func isSuccessResultCode(code string) bool {
	return code == "" || successResultCodes[code]
}

// Visibility of a package just registered. [INFERRED]: no source says
// whether ListMcubeNebulaResources lists a package as soon as
// CreateMcubeNebulaResource has answered (lists are often served from an
// index that lags the write). So where only a listing can find a package
// (after an ambiguous create, whose answer with the ID was lost, or when
// GetMcubeNebulaResource by the ID fails), its absence is not believed at
// once: the lookup is repeated with a doubling wait, from
// listingLagFirstWait up to listingLagMaxWait, until listingLagBound of
// waiting has passed. The bound is a guess at "much longer than any index
// lag a console user would notice", short enough that a package that never
// appears fails the apply within a minute.
const (
	listingLagFirstWait = 250 * time.Millisecond
	listingLagMaxWait   = 4 * time.Second
	listingLagBound     = 30 * time.Second
)

// Cube-form rule operators: the words the service echoes in a task's
// GreyConfigInfo, {"operator":"and","subRules":[{"operator":<word>,
// "left":<values>,"right":<element>}]} (DESIGN.md section 6.1). "contains"
// and "vLimitIn" (with left {"lower","upper"}) are in the Cube-card listTasks
// example; [INFERRED] "notContains" and "vLimitNotIn" for the two negations,
// by analogy (no example shows them). The decoder also reads the other
// spellings of ruleOperatorWords; the emulator echoes these.
var CubeRuleOperators = map[string]string{
	RuleContains:   "contains",
	RuleExcludes:   "notContains",
	RuleInRange:    "vLimitIn",
	RuleOutOfRange: "vLimitNotIn",
}

// Keys of the Cube form that tell a rule from a group and name a range's
// bounds (Cube-card listTasks example, DESIGN.md section 6.1).
const (
	cubeKeySubRules = "subRules"
	cubeKeyRight    = "right"
	cubeKeyLower    = "lower"
	cubeKeyUpper    = "upper"
)

// Whitelists (whitelists.go applies these). [INFERRED] unless noted; the
// actions, keys and types are the official SDK's (DESIGN.md section 6.1):
//   - WhitelistType codes: unpublished; the console names the types Normal
//     and Regular expression, so the codes are taken as "normal" and "regex".
//   - OnexFlag on UpdateMcubeWhitelist: required by the SDK model, value
//     unstated; true as on GetMcubeFileToken, where it is documented.
//   - Values go in KeyIds (the console's comma-separated form) while a request
//     stays small: at most whitelistInlineValues values, whitelistInlineBytes
//     bytes joined, none with a comma (a regex such as a{2,3} has one);
//     otherwise as a file of one value per line, LF-terminated, uploaded like
//     a package (the console takes a file for large sets) and named by OssUrl.
//   - A regex member matches a user ID in full (as Java's String.matches):
//     it is wrapped in whitelistPatternPrefix and whitelistPatternSuffix.
const (
	whitelistInlineValues  = 200
	whitelistInlineBytes   = 8 << 10
	onexFlagWhitelist      = "true"
	whitelistPatternPrefix = `^(?:`
	whitelistPatternSuffix = `)$`
)

var whitelistTypeCodes = map[WhitelistType]string{WhitelistNormal: "normal", WhitelistRegex: "regex"}
