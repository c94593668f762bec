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
// (normal) or one of its expressions matches it in full (regex); a
// whitelist whose members the caller cannot read (the API lists none) is
// left out of Input.Whitelists, and the release then reaches nobody, saying
// so.
//
// What is not modelled: the number of users of a time-window release (its
// maximum is never reached here).
//
// The input is the client's domain types (mpaas.Package, mpaas.Release,
// mpaas.ReleaseRule and their enums), as the provider's data
// "mpaas_delivery_preview" reads them; the emulator's /emulator/delivery
// endpoint maps its store into the same types. The package reads none of
// the wire format and makes no calls.
package delivery

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
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

// Package is one package version of an H5App, as the client reads it
// (mpaas.Package), with its release tasks. A package whose Platform could
// not be read (named in DecodeError) targets no client.
type Package struct {
	mpaas.Package
	Releases []mpaas.Release
}

// Whitelist is what the caller knows of one whitelist a release names.
type Whitelist struct {
	Missing  bool             // no whitelist has this ID
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
	// Whitelists is what the caller knows of the whitelists releases name
	// (mpaas.Release.WhitelistIDs), by ID. The members of a whitelist not
	// in it are unknown (the API lists no whitelist's members), and a
	// release naming it then reaches nobody, saying so.
	Whitelists map[string]Whitelist
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
		delivery, skip := in.Decide(app)
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

// Decide picks what one H5App delivers to the input's client (its Apps and
// Missing are not read): the first package in NewestFirst order that
// targets the client and has a release reaching it. Exactly one of the
// results is non-nil. Packages without releases are passed over silently.
func (in Input) Decide(app App) (*Delivery, *Skip) {
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
		if reason := targetMismatch(in.Client, pkg); reason != "" {
			noteReason(reason)
			continue
		}
		for _, release := range newestReleasesFirst(pkg.Releases) {
			reaches, reason := in.releaseReaches(release)
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

func newestReleasesFirst(releases []mpaas.Release) []mpaas.Release {
	sorted := append([]mpaas.Release(nil), releases...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID > sorted[j].ID })
	return sorted
}

// targetMismatch says why the package does not target the client, or "".
func targetMismatch(client Client, pkg Package) string {
	if err := mpaas.UndecodedField(pkg.DecodeError, mpaas.FieldPlatform); err != nil {
		return fmt.Sprintf("package %s has unreadable targets: %v", pkg.Version, err)
	}
	r := pkg.Targets.Android
	if client.Platform == IOS {
		r = pkg.Targets.IOS
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
// the reason either way. A release the caller could not read (DecodeError)
// reaches nobody unless it is paused or ended.
func (in Input) releaseReaches(release mpaas.Release) (bool, string) {
	unreadable := release.DecodeError
	switch release.Status {
	case mpaas.ReleaseStatusActive:
	case mpaas.ReleaseStatusPaused:
		return false, "release paused"
	case mpaas.ReleaseStatusEnded:
		return false, "release ended"
	default:
		if unreadable == nil {
			unreadable = fmt.Errorf("unknown status %q", release.Status)
		}
	}
	if unreadable != nil {
		return false, fmt.Sprintf("release %d is unreadable: %v", release.ID, unreadable)
	}
	switch release.Type {
	case mpaas.ReleaseTypeOfficial:
		return true, "official release"
	case mpaas.ReleaseTypeGrayscale:
	default:
		return false, fmt.Sprintf("release %d has unknown type %q", release.ID, release.Type)
	}
	reason, reaches := in.grayscaleReaches(release)
	if !reaches {
		return false, reason
	}
	for _, rule := range release.Rules {
		if ok, why := ruleMatches(in.Client, rule); !ok {
			return false, why
		}
	}
	if len(release.Rules) > 0 {
		reason += " and rules"
	}
	return true, reason
}

// grayscaleReaches applies the time window or the whitelists: a grayscale
// release has one of them (mpaas.Release).
func (in Input) grayscaleReaches(release mpaas.Release) (string, bool) {
	switch {
	case release.Window != nil:
		if !in.Now.Before(release.Window.End) {
			return "grayscale time window ended at " + release.Window.End.UTC().Format(time.RFC3339), false
		}
		return "grayscale time window", true
	case release.WhitelistIDs != nil:
		return in.whitelistReaches(release.WhitelistIDs)
	}
	return fmt.Sprintf("release %d is unreadable: grayscale release %d has neither a whitelist nor a time window", release.ID, release.ID), false
}

// whitelistReaches reports whether one of the whitelists holds the user. A
// whitelist that does not exist holds nobody; one whose members are unknown
// makes the answer unknown, and so a no, unless another holds the user.
func (in Input) whitelistReaches(ids []string) (string, bool) {
	userID := in.Client.UserID
	if userID == "" {
		return "grayscale whitelist release and no user_id given", false
	}
	var unknown []string
	for _, id := range ids {
		w, known := in.Whitelists[id]
		switch {
		case !known:
			unknown = append(unknown, id)
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
func ruleMatches(client Client, rule mpaas.ReleaseRule) (bool, string) {
	value, known := map[string]string{
		mpaas.RuleCity: client.City, mpaas.RuleNetwork: client.Network,
		mpaas.RuleDeviceModel: client.DeviceModel, mpaas.RuleOSVersion: client.OSVersion,
	}[rule.Element]
	if !known {
		return false, fmt.Sprintf("rule on unknown element %q", rule.Element)
	}
	value = strings.TrimSpace(value)
	var matches bool
	switch rule.Operator {
	case mpaas.RuleContains, mpaas.RuleExcludes:
		matches = listed(rule.Values, value) == (rule.Operator == mpaas.RuleContains)
	case mpaas.RuleInRange, mpaas.RuleOutOfRange:
		inside, err := inRange(rule.Values, value)
		matches = err == nil && inside == (rule.Operator == mpaas.RuleInRange)
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
