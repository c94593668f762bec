// Package delivery decides which offline package each H5App delivers to one
// client, simulating the mPaaS client's update check from what the API says
// about packages and release tasks.
//
// For each H5App the highest package version wins that (1) targets the
// client's platform with min <= client version <= max (an empty max has no
// upper bound) and (2) has a release reaching the client: an active official
// release, or an active grayscale release whose whitelist holds the user
// (whitelist mode) or whose time window has not ended (time-window mode), and
// whose advanced rules all match (city, network and device_model contain or
// exclude one of the values; os_version in_range or out_of_range). Paused and
// ended releases deliver nothing. When nothing is delivered, the reason is
// the first failure met, from the highest version down.
//
// A whitelist holds the user when one of its members equals the user ID
// (normal) or one of its expressions matches it in full (regex); a caller
// that cannot read a whitelist's members (the API lists none) marks it
// Unknown, and the release then reaches nobody, saying so.
//
// What is not modelled: the number of users of a time-window release (its
// maximum is never reached here).
//
// The package has its own input types and no knowledge of the wire format:
// callers (the emulator's /emulator/delivery endpoint and the provider's
// data "mpaas_delivery_preview") map what they hold into Input.
package delivery

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// Client platforms.
const (
	Android = "android"
	IOS     = "ios"
)

// Client is the client whose update check is simulated.
type Client struct {
	Platform    string // Android or IOS
	Version     string // the client app's version, such as 10.1.68
	UserID      string
	City        string
	Network     string
	OSVersion   string
	DeviceModel string
}

// Check says what is wrong with the client description, or nil.
func (c Client) Check() error {
	if c.Platform != Android && c.Platform != IOS {
		return fmt.Errorf("platform must be %s or %s, got %q", Android, IOS, c.Platform)
	}
	if _, err := offlinepkg.ParseClientVersion(c.Version); err != nil {
		return fmt.Errorf("client_version: %w", err)
	}
	if c.OSVersion != "" {
		if _, err := offlinepkg.ParseClientVersion(c.OSVersion); err != nil {
			return fmt.Errorf("os_version: %w", err)
		}
	}
	return nil
}

// VersionRange is the client versions a package targets on one platform.
// Max "" means every later version.
type VersionRange struct {
	Min, Max string
}

// Package is one package version of an H5App with its release tasks.
type Package struct {
	ID      int64
	Version string
	Android *VersionRange // nil: Android clients are not targeted
	IOS     *VersionRange // nil: iOS clients are not targeted
	// TargetsErr says why the caller could not read the targets; such a
	// package targets no client.
	TargetsErr  error
	DownloadURL string
	Releases    []Release
}

// ReleaseType is official or grayscale.
type ReleaseType string

// Release types.
const (
	Official  ReleaseType = "official"
	Grayscale ReleaseType = "grayscale"
)

// Status is a release task's status.
type Status string

// Release statuses.
const (
	Active Status = "active"
	Paused Status = "paused"
	Ended  Status = "ended"
)

// Mode is how a grayscale release picks its clients.
type Mode string

// Grayscale modes.
const (
	ByWhitelist  Mode = "whitelist"
	ByTimeWindow Mode = "time_window"
)

// Whitelist is what the caller knows of one whitelist a release names.
type Whitelist struct {
	ID       string
	Missing  bool             // no whitelist has this ID
	Unknown  bool             // its members cannot be read
	Members  []string         // a normal whitelist's user IDs, matched exactly
	Patterns []*regexp.Regexp // a regex whitelist's expressions, matched in full
}

// Holds reports whether the whitelist holds the user.
func (w Whitelist) Holds(userID string) bool {
	for _, member := range w.Members {
		if strings.TrimSpace(member) == userID {
			return true
		}
	}
	for _, pattern := range w.Patterns {
		if pattern.MatchString(userID) {
			return true
		}
	}
	return false
}

// Release is one release task of a package. Mode, Whitelists, WindowEnd and
// Rules matter for grayscale releases only.
type Release struct {
	ID         int64 // a higher ID is a newer task
	Status     Status
	Type       ReleaseType
	Mode       Mode
	Whitelists []Whitelist // ByWhitelist: the whitelists the release names
	WindowEnd  time.Time   // ByTimeWindow: when the window ends
	Rules      []Rule
	// Unreadable says why the caller could not read the task's settings;
	// an active release that is unreadable reaches nobody.
	Unreadable error
}

// Rule elements.
const (
	City        = "city"
	DeviceModel = "device_model"
	Network     = "network"
	OSVersion   = "os_version"
)

// Rule operators.
const (
	Contains   = "contains"
	Excludes   = "excludes"
	InRange    = "in_range"
	OutOfRange = "out_of_range"
)

// Rule is one advanced grayscale rule. For InRange and OutOfRange, Values
// is [lo, hi].
type Rule struct {
	Element  string
	Operator string
	Values   []string
}

// App is an H5App with its packages.
type App struct {
	H5AppID  string
	Packages []Package
}

// Input is everything a preview decides on.
type Input struct {
	Now    time.Time
	Client Client
	Apps   []App
	// Missing are H5Apps asked for by ID that do not exist.
	Missing []string
}

// Delivery is the package an H5App delivers to the client.
type Delivery struct {
	H5AppID     string
	Version     string
	PackageID   int64
	ReleaseID   int64
	DownloadURL string
	Reason      string // such as "official release" or "grayscale whitelist and rules"
}

// Skip is an H5App that delivers nothing to the client, and why.
type Skip struct {
	H5AppID string
	Reason  string
}

// Result is a preview's answer, each list sorted by H5App ID.
type Result struct {
	Deliveries []Delivery
	Skipped    []Skip
}

// Skip reasons that name no package or release.
const (
	ReasonNoSuchApp       = "no such H5App"
	ReasonNoPackage       = "no package"
	ReasonNoActiveRelease = "no active release"
)

// Preview decides for every H5App of the input.
func Preview(in Input) Result {
	out := Result{Deliveries: []Delivery{}, Skipped: []Skip{}}
	for _, id := range in.Missing {
		out.Skipped = append(out.Skipped, Skip{H5AppID: id, Reason: ReasonNoSuchApp})
	}
	for _, app := range in.Apps {
		delivery, skip := Decide(in.Now, in.Client, app)
		if delivery != nil {
			out.Deliveries = append(out.Deliveries, *delivery)
		} else {
			out.Skipped = append(out.Skipped, *skip)
		}
	}
	sort.SliceStable(out.Deliveries, func(i, j int) bool { return out.Deliveries[i].H5AppID < out.Deliveries[j].H5AppID })
	sort.SliceStable(out.Skipped, func(i, j int) bool { return out.Skipped[i].H5AppID < out.Skipped[j].H5AppID })
	return out
}

// Decide picks what one H5App delivers to the client: the first package in
// NewestFirst order that targets the client and has a release reaching it.
// Exactly one of the results is non-nil. Packages without releases are passed
// over silently.
func Decide(now time.Time, client Client, app App) (*Delivery, *Skip) {
	if len(app.Packages) == 0 {
		return nil, &Skip{H5AppID: app.H5AppID, Reason: ReasonNoPackage}
	}
	firstReason := ""
	noteReason := func(reason string) {
		if firstReason == "" {
			firstReason = reason
		}
	}
	for _, pkg := range NewestFirst(app.Packages) {
		if len(pkg.Releases) == 0 {
			continue
		}
		if reason := targetMismatch(client, pkg); reason != "" {
			noteReason(reason)
			continue
		}
		for _, release := range newestReleasesFirst(pkg.Releases) {
			reaches, reason := releaseReaches(now, client, release)
			if reaches {
				return &Delivery{
					H5AppID: app.H5AppID, Version: pkg.Version, PackageID: pkg.ID, ReleaseID: release.ID,
					DownloadURL: pkg.DownloadURL, Reason: reason,
				}, nil
			}
			noteReason(reason)
		}
	}
	noteReason(ReasonNoActiveRelease)
	return nil, &Skip{H5AppID: app.H5AppID, Reason: firstReason}
}

// NewestFirst returns the packages in the order Decide considers them:
// highest version first; versions that do not parse come after every valid
// one, in descending string order; equal versions by descending ID.
func NewestFirst(pkgs []Package) []Package {
	sorted := append([]Package(nil), pkgs...)
	sort.SliceStable(sorted, func(i, j int) bool { return newer(sorted[i], sorted[j]) })
	return sorted
}

func newer(a, b Package) bool {
	va, errA := offlinepkg.ParseVersion(a.Version)
	vb, errB := offlinepkg.ParseVersion(b.Version)
	switch {
	case errA == nil && errB == nil:
		if c := va.Compare(vb); c != 0 {
			return c > 0
		}
	case errA == nil || errB == nil:
		return errA == nil
	case a.Version != b.Version:
		return a.Version > b.Version
	}
	return a.ID > b.ID
}

func newestReleasesFirst(releases []Release) []Release {
	sorted := append([]Release(nil), releases...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID > sorted[j].ID })
	return sorted
}

// targetMismatch says why the package does not target the client, or "".
func targetMismatch(client Client, pkg Package) string {
	if pkg.TargetsErr != nil {
		return fmt.Sprintf("package %s has unreadable targets: %v", pkg.Version, pkg.TargetsErr)
	}
	r := pkg.Android
	if client.Platform == IOS {
		r = pkg.IOS
	}
	if r == nil {
		return fmt.Sprintf("package %s does not target %s", pkg.Version, client.Platform)
	}
	cv, err := offlinepkg.ParseClientVersion(client.Version)
	if err != nil {
		return err.Error()
	}
	if lo, err := offlinepkg.ParseClientVersion(r.Min); err != nil || cv.Compare(lo) < 0 {
		return fmt.Sprintf("client %s is below min %s", client.Version, r.Min)
	}
	if r.Max != "" {
		if hi, err := offlinepkg.ParseClientVersion(r.Max); err != nil || cv.Compare(hi) > 0 {
			return fmt.Sprintf("client %s is above max %s", client.Version, r.Max)
		}
	}
	return ""
}

// releaseReaches reports whether the release delivers to the client, with
// the reason either way.
func releaseReaches(now time.Time, client Client, release Release) (bool, string) {
	switch release.Status {
	case Active:
	case Paused:
		return false, "release paused"
	case Ended:
		return false, "release ended"
	default:
		if release.Unreadable == nil {
			release.Unreadable = fmt.Errorf("unknown status %q", release.Status)
		}
	}
	if release.Unreadable != nil {
		return false, fmt.Sprintf("release %d is unreadable: %v", release.ID, release.Unreadable)
	}
	switch release.Type {
	case Official:
		return true, "official release"
	case Grayscale:
	default:
		return false, fmt.Sprintf("release %d has unknown type %q", release.ID, release.Type)
	}
	reason, reaches := grayscaleReaches(now, client, release)
	if !reaches {
		return false, reason
	}
	for _, rule := range release.Rules {
		if ok, why := ruleMatches(client, rule); !ok {
			return false, why
		}
	}
	if len(release.Rules) > 0 {
		reason += " and rules"
	}
	return true, reason
}

// grayscaleReaches applies the whitelist or the time window.
func grayscaleReaches(now time.Time, client Client, release Release) (string, bool) {
	switch release.Mode {
	case ByWhitelist:
		return whitelistReaches(client.UserID, release.Whitelists)
	case ByTimeWindow:
		if !now.Before(release.WindowEnd) {
			return "grayscale time window ended at " + release.WindowEnd.UTC().Format(time.RFC3339), false
		}
		return "grayscale time window", true
	}
	return fmt.Sprintf("grayscale release %d has unknown mode %q", release.ID, release.Mode), false
}

// whitelistReaches reports whether one of the whitelists holds the user. A
// whitelist that does not exist holds nobody; one whose members are unknown
// makes the answer unknown, and so a no, unless another holds the user.
func whitelistReaches(userID string, whitelists []Whitelist) (string, bool) {
	if userID == "" {
		return "grayscale whitelist release and no user_id given", false
	}
	var unknown []string
	for _, w := range whitelists {
		switch {
		case w.Unknown:
			unknown = append(unknown, w.ID)
		case !w.Missing && w.Holds(userID):
			return "grayscale whitelist", true
		}
	}
	if len(unknown) > 0 {
		return fmt.Sprintf("the members of whitelist %s cannot be read, so whether user %s is in it is unknown", strings.Join(unknown, ", "), userID), false
	}
	return fmt.Sprintf("user %s is not in the grayscale whitelist", userID), false
}

// ruleMatches applies one advanced rule to the client.
func ruleMatches(client Client, rule Rule) (bool, string) {
	value, known := map[string]string{
		City: client.City, Network: client.Network, DeviceModel: client.DeviceModel, OSVersion: client.OSVersion,
	}[rule.Element]
	if !known {
		return false, fmt.Sprintf("rule on unknown element %q", rule.Element)
	}
	value = strings.TrimSpace(value)
	var matches bool
	switch rule.Operator {
	case Contains, Excludes:
		matches = listed(rule.Values, value) == (rule.Operator == Contains)
	case InRange, OutOfRange:
		inside, err := inRange(rule.Values, value)
		matches = err == nil && inside == (rule.Operator == InRange)
	default:
		return false, fmt.Sprintf("rule with unknown operator %q", rule.Operator)
	}
	if !matches {
		return false, fmt.Sprintf("rule %s %s %s does not match %s %q", rule.Element, rule.Operator, strings.Join(rule.Values, ","), rule.Element, value)
	}
	return true, ""
}

// listed reports whether value is one of values, ignoring case and spaces
// around values. An empty value is never listed.
func listed(values []string, value string) bool {
	for _, v := range values {
		if value != "" && strings.EqualFold(strings.TrimSpace(v), value) {
			return true
		}
	}
	return false
}

// inRange reports whether value is within [values[0], values[1]], both ends
// included, comparing dot-separated numbers. A value that is empty or not
// such a number is in no range and out of none.
func inRange(values []string, value string) (bool, error) {
	if len(values) != 2 {
		return false, fmt.Errorf("a range needs two values, got %d", len(values))
	}
	v, err := offlinepkg.ParseClientVersion(value)
	if err != nil {
		return false, err
	}
	lo, err := offlinepkg.ParseClientVersion(strings.TrimSpace(values[0]))
	if err != nil {
		return false, err
	}
	hi, err := offlinepkg.ParseClientVersion(strings.TrimSpace(values[1]))
	if err != nil {
		return false, err
	}
	return v.Compare(lo) >= 0 && v.Compare(hi) <= 0, nil
}
