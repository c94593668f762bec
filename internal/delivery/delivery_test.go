package delivery

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type Release = mpaas.Release
type Rule = mpaas.ReleaseRule

var (
	official  = Release{ID: 10, Status: mpaas.ReleaseStatusActive, Type: mpaas.ReleaseTypeOfficial}
	whitelist = Release{ID: 11, Status: mpaas.ReleaseStatusActive, Type: mpaas.ReleaseTypeGrayscale, WhitelistIDs: []string{"7"}}
	qaPattern = regexp.MustCompile(`^(?:qa-[0-9]+)$`)
	window    = Release{ID: 12, Status: mpaas.ReleaseStatusActive, Type: mpaas.ReleaseTypeGrayscale, Window: &mpaas.TimeWindow{End: testNow.Add(24 * time.Hour)}}
	allRules  = []Rule{
		{Element: mpaas.RuleCity, Operator: mpaas.RuleContains, Values: []string{"Hangzhou", "Beijing"}},
		{Element: mpaas.RuleNetwork, Operator: mpaas.RuleExcludes, Values: []string{"2g"}},
		{Element: mpaas.RuleOSVersion, Operator: mpaas.RuleInRange, Values: []string{"10", "14.2"}},
		{Element: mpaas.RuleDeviceModel, Operator: mpaas.RuleContains, Values: []string{"Pixel 8"}},
	}
	ruleClient = Client{Platform: Android, Version: "10.1.0", City: "hangzhou", Network: "wifi", OSVersion: "13.0", DeviceModel: "Pixel 8"}
	// knownWhitelists is what the tests' caller knows of the whitelists;
	// whitelist 6 has members that cannot be read.
	knownWhitelists = map[string]Whitelist{
		"5": {Missing: true, Members: []string{"u1"}},
		"7": {Members: []string{"u1", " u2 "}},
		"8": {Patterns: []*regexp.Regexp{qaPattern}},
		"9": {Members: []string{"u9"}},
	}
)

func with(r Release, change func(*Release)) Release {
	change(&r)
	return r
}

func withWhitelists(ids ...string) Release {
	return with(whitelist, func(r *Release) { r.WhitelistIDs = ids })
}

func withWindowEnd(end time.Time) Release {
	return with(window, func(r *Release) { r.Window = &mpaas.TimeWindow{End: end} })
}

func withRules(r Release, rules ...Rule) Release {
	return with(r, func(r *Release) { r.Rules = rules })
}

func pkg(id int64, version string, targets mpaas.Targets, releases ...Release) Package {
	p := Package{Releases: releases}
	p.ID, p.Version, p.Targets, p.DownloadURL = id, version, targets, "http://x/"+version
	return p
}

func androidPkg(version, lo, hi string, releases ...Release) Package {
	return pkg(100, version, mpaas.Targets{Android: &mpaas.VersionRange{Min: lo, Max: hi}}, releases...)
}

// bothPkg targets Android from 10.1.0 and iOS from 10.2.0.
func bothPkg(releases ...Release) Package {
	return pkg(100, "1.0.0.2", mpaas.Targets{Android: &mpaas.VersionRange{Min: "10.1.0"}, IOS: &mpaas.VersionRange{Min: "10.2.0"}}, releases...)
}

// unreadableTargets is a package whose Platform the client could not read.
func unreadableTargets(version string, releases ...Release) Package {
	p := pkg(1, version, mpaas.Targets{}, releases...)
	p.DecodeError = &mpaas.DecodeError{Fields: []mpaas.FieldDecodeError{{Field: mpaas.FieldPlatform, Code: "web", Err: errors.New("unknown platform")}}}
	return p
}

func android(v string) Client { return Client{Platform: Android, Version: v} }
func ios(v string) Client     { return Client{Platform: IOS, Version: v} }

func changed(c Client, change func(*Client)) Client {
	change(&c)
	return c
}

type decideCase struct {
	name        string
	client      Client
	pkgs        []Package
	wantVersion string // "" means skipped
	wantReason  string
}

func TestDecide_targets(t *testing.T) {
	runDecide(t, []decideCase{
		{"no package", android("10.1.0"), nil, "", "no package"},
		{"no release", android("10.1.0"), []Package{bothPkg()}, "", "no active release"},
		{"android below min", android("10.0.9"), []Package{bothPkg(official)}, "", "client 10.0.9 is below min 10.1.0"},
		{"android at min", android("10.1.0"), []Package{bothPkg(official)}, "1.0.0.2", "official release"},
		{"android at min with fewer parts", android("10.1"), []Package{bothPkg(official)}, "1.0.0.2", "official release"},
		{"android far above min", android("99.0"), []Package{bothPkg(official)}, "1.0.0.2", "official release"},
		{"ios below its own min", ios("10.1.9"), []Package{bothPkg(official)}, "", "client 10.1.9 is below min 10.2.0"},
		{"ios at min", ios("10.2.0"), []Package{bothPkg(official)}, "1.0.0.2", "official release"},
		{"above max", android("11.0.1"), []Package{androidPkg("1.0.0.1", "10.0", "11.0", official)}, "", "client 11.0.1 is above max 11.0"},
		{"at max", android("11.0"), []Package{androidPkg("1.0.0.1", "10.0", "11.0", official)}, "1.0.0.1", "official release"},
		{"unreadable max", android("11.0"), []Package{androidPkg("1.0.0.1", "10.0", "eleven", official)}, "", "client 11.0 is above max eleven"},
		{"unreadable min", android("11.0"), []Package{androidPkg("1.0.0.1", "", "", official)}, "", "client 11.0 is below min "},
		{"platform not targeted", ios("10.2.0"), []Package{androidPkg("1.0.0.1", "10.0", "", official)}, "", "package 1.0.0.1 does not target ios"},
		{"unreadable targets", android("10.2.0"), []Package{unreadableTargets("1.0.0.1", official)},
			"", `package 1.0.0.1 has unreadable targets: Platform "web": unknown platform`},
		{"another unreadable field does not hide the targets", android("10.2.0"), []Package{func() Package {
			p := bothPkg(official)
			p.DecodeError = &mpaas.DecodeError{Fields: []mpaas.FieldDecodeError{{Field: mpaas.FieldExtendInfo, Code: "{", Err: errors.New("not JSON")}}}
			return p
		}()}, "1.0.0.2", "official release"},
	})
}

func TestDecide_releases(t *testing.T) {
	user := func(id string) Client { return Client{Platform: Android, Version: "10.1.0", UserID: id} }
	runDecide(t, []decideCase{
		{"official", android("10.1.0"), []Package{bothPkg(official)}, "1.0.0.2", "official release"},
		{"paused", android("10.1.0"), []Package{bothPkg(with(official, func(r *Release) { r.Status = mpaas.ReleaseStatusPaused }))}, "", "release paused"},
		{"ended", android("10.1.0"), []Package{bothPkg(with(official, func(r *Release) { r.Status = mpaas.ReleaseStatusEnded }))}, "", "release ended"},
		{"whitelist listed", user("u1"), []Package{bothPkg(whitelist)}, "1.0.0.2", "grayscale whitelist"},
		{"whitelist listed with spaces", user("u2"), []Package{bothPkg(whitelist)}, "1.0.0.2", "grayscale whitelist"},
		{"whitelist is case sensitive", user("U1"), []Package{bothPkg(whitelist)}, "", "user U1 is not in the grayscale whitelist"},
		{"whitelist not listed", user("u3"), []Package{bothPkg(whitelist)}, "", "user u3 is not in the grayscale whitelist"},
		{"whitelist no user", android("10.1.0"), []Package{bothPkg(whitelist)}, "", "grayscale whitelist release and no user_id given"},
		{"regex whitelist matches", user("qa-17"), []Package{bothPkg(withWhitelists("8"))}, "1.0.0.2", "grayscale whitelist"},
		{"regex whitelist matches in full only", user("qa-17x"), []Package{bothPkg(withWhitelists("8"))}, "",
			"user qa-17x is not in the grayscale whitelist"},
		{"second whitelist holds the user", user("u9"), []Package{bothPkg(withWhitelists("7", "9"))}, "1.0.0.2", "grayscale whitelist"},
		{"a whitelist ID is not a user ID", user("7"), []Package{bothPkg(whitelist)}, "", "user 7 is not in the grayscale whitelist"},
		{"missing whitelist holds nobody", user("u1"), []Package{bothPkg(withWhitelists("5"))}, "",
			"user u1 is not in the grayscale whitelist"},
		{"unknown members", user("u1"), []Package{bothPkg(withWhitelists("6"))}, "",
			"the members of whitelist 6 cannot be read, so whether user u1 is in it is unknown"},
		{"unknown members beside a known holder", user("u1"), []Package{bothPkg(withWhitelists("6", "7"))}, "1.0.0.2", "grayscale whitelist"},
		{"paused whitelist", user("u1"), []Package{bothPkg(with(whitelist, func(r *Release) { r.Status = mpaas.ReleaseStatusPaused }))}, "", "release paused"},
		{"window open", android("10.1.0"), []Package{bothPkg(window)}, "1.0.0.2", "grayscale time window"},
		{"window open one second more", android("10.1.0"), []Package{bothPkg(withWindowEnd(testNow.Add(time.Second)))}, "1.0.0.2", "grayscale time window"},
		{"window ends now", android("10.1.0"), []Package{bothPkg(withWindowEnd(testNow))}, "", "grayscale time window ended at 2025-03-01T12:00:00Z"},
		{"window ended in another zone", android("10.1.0"), []Package{bothPkg(withWindowEnd(testNow.Add(-time.Hour).In(time.FixedZone("CST", 8*3600))))}, "", "grayscale time window ended at 2025-03-01T11:00:00Z"},
		{"ended window", android("10.1.0"), []Package{bothPkg(with(window, func(r *Release) { r.Status = mpaas.ReleaseStatusEnded }))}, "", "release ended"},
		{"unreadable active release", android("10.1.0"), []Package{bothPkg(with(window, func(r *Release) { r.DecodeError = errors.New("bad end") }))}, "", "release 12 is unreadable: bad end"},
		{"unreadable paused release", android("10.1.0"), []Package{bothPkg(with(window, func(r *Release) { r.Status = mpaas.ReleaseStatusPaused; r.DecodeError = errors.New("bad end") }))}, "", "release paused"},
		{"unknown status", android("10.1.0"), []Package{bothPkg(with(official, func(r *Release) { r.Status = "" }))}, "", `release 10 is unreadable: unknown status ""`},
		{"unknown status read by the caller", android("10.1.0"), []Package{bothPkg(with(official, func(r *Release) { r.Status = ""; r.DecodeError = errors.New("unknown TaskStatus 9") }))},
			"", "release 10 is unreadable: unknown TaskStatus 9"},
		{"unknown type", android("10.1.0"), []Package{bothPkg(with(official, func(r *Release) { r.Type = "canary" }))}, "", `release 10 has unknown type "canary"`},
		{"grayscale without whitelist or window", android("10.1.0"), []Package{bothPkg(with(window, func(r *Release) { r.Window = nil }))}, "",
			"release 12 is unreadable: grayscale release 12 has neither a whitelist nor a time window"},
		{"official ignores grayscale settings", android("10.1.0"), []Package{bothPkg(with(official, func(r *Release) {
			r.WhitelistIDs = []string{"7"}
			r.Rules = allRules
		}))}, "1.0.0.2", "official release"},
	})
}

func TestDecide_rules(t *testing.T) {
	gray := func(rules ...Rule) []Package { return []Package{bothPkg(withRules(window, rules...))} }
	osRange := func(op string, values ...string) Rule {
		return Rule{Element: mpaas.RuleOSVersion, Operator: op, Values: values}
	}
	runDecide(t, []decideCase{
		{"all rules match", ruleClient, gray(allRules...), "1.0.0.2", "grayscale time window and rules"},
		{"city mismatch", changed(ruleClient, func(c *Client) { c.City = "Shanghai" }), gray(allRules...), "",
			`rule city contains Hangzhou,Beijing does not match city "Shanghai"`},
		{"city missing", changed(ruleClient, func(c *Client) { c.City = "" }), gray(allRules...), "",
			`rule city contains Hangzhou,Beijing does not match city ""`},
		{"city with spaces and case", changed(ruleClient, func(c *Client) { c.City = " BEIJING " }), gray(allRules...), "1.0.0.2", "grayscale time window and rules"},
		{"network excluded", changed(ruleClient, func(c *Client) { c.Network = "2G" }), gray(allRules...), "",
			`rule network excludes 2g does not match network "2G"`},
		{"network missing is not excluded", changed(ruleClient, func(c *Client) { c.Network = "" }), gray(allRules...), "1.0.0.2", "grayscale time window and rules"},
		{"device model mismatch", changed(ruleClient, func(c *Client) { c.DeviceModel = "Pixel 7" }), gray(allRules...), "",
			`rule device_model contains Pixel 8 does not match device_model "Pixel 7"`},
		{"device model excluded", changed(ruleClient, func(c *Client) { c.DeviceModel = "pixel 8" }),
			gray(Rule{Element: mpaas.RuleDeviceModel, Operator: mpaas.RuleExcludes, Values: []string{"Pixel 8", "Pixel 9"}}), "",
			`rule device_model excludes Pixel 8,Pixel 9 does not match device_model "pixel 8"`},
		{"os at low end of range", changed(ruleClient, func(c *Client) { c.OSVersion = "10.0" }), gray(allRules...), "1.0.0.2", "grayscale time window and rules"},
		{"os at high end of range", changed(ruleClient, func(c *Client) { c.OSVersion = "14.2" }), gray(allRules...), "1.0.0.2", "grayscale time window and rules"},
		{"os below range", changed(ruleClient, func(c *Client) { c.OSVersion = "9.3" }), gray(allRules...), "",
			`rule os_version in_range 10,14.2 does not match os_version "9.3"`},
		{"os above range", changed(ruleClient, func(c *Client) { c.OSVersion = "14.2.1" }), gray(allRules...), "",
			`rule os_version in_range 10,14.2 does not match os_version "14.2.1"`},
		{"os missing", changed(ruleClient, func(c *Client) { c.OSVersion = "" }), gray(allRules...), "",
			`rule os_version in_range 10,14.2 does not match os_version ""`},
		{"os out of range", changed(ruleClient, func(c *Client) { c.OSVersion = "15" }), gray(osRange(mpaas.RuleOutOfRange, "10", "14.2")), "1.0.0.2", "grayscale time window and rules"},
		{"os inside an out of range rule", ruleClient, gray(osRange(mpaas.RuleOutOfRange, "10", "14.2")), "",
			`rule os_version out_of_range 10,14.2 does not match os_version "13.0"`},
		{"os missing for out of range", changed(ruleClient, func(c *Client) { c.OSVersion = "" }), gray(osRange(mpaas.RuleOutOfRange, "10", "14.2")), "",
			`rule os_version out_of_range 10,14.2 does not match os_version ""`},
		{"range with one value", ruleClient, gray(osRange(mpaas.RuleInRange, "10")), "", `rule os_version in_range 10 does not match os_version "13.0"`},
		{"range with unreadable bound", ruleClient, gray(osRange(mpaas.RuleInRange, "10", "x")), "", `rule os_version in_range 10,x does not match os_version "13.0"`},
		{"unknown element", ruleClient, gray(Rule{Element: "carrier", Operator: mpaas.RuleContains, Values: []string{"a"}}), "", `rule on unknown element "carrier"`},
		{"unknown operator", ruleClient, gray(Rule{Element: mpaas.RuleCity, Operator: "starts_with", Values: []string{"a"}}), "", `rule with unknown operator "starts_with"`},
		{"first failing rule is reported", changed(ruleClient, func(c *Client) { c.City = "Xian"; c.Network = "2g" }), gray(allRules...), "",
			`rule city contains Hangzhou,Beijing does not match city "Xian"`},
		{"rules apply to whitelist too", Client{Platform: Android, Version: "10.1.0", UserID: "u1", City: "Xian"},
			[]Package{bothPkg(withRules(whitelist, allRules[0]))}, "", `rule city contains Hangzhou,Beijing does not match city "Xian"`},
		{"whitelist and rules", Client{Platform: Android, Version: "10.1.0", UserID: "u1", City: "Beijing"},
			[]Package{bothPkg(withRules(whitelist, allRules[0]))}, "1.0.0.2", "grayscale whitelist and rules"},
		{"whitelist is checked before rules", Client{Platform: Android, Version: "10.1.0", UserID: "u9", City: "Xian"},
			[]Package{bothPkg(withRules(whitelist, allRules[0]))}, "", "user u9 is not in the grayscale whitelist"},
		{"ended window is checked before rules", changed(ruleClient, func(c *Client) { c.City = "Xian" }),
			[]Package{bothPkg(withRules(withWindowEnd(testNow.Add(-time.Minute)), allRules...))}, "",
			"grayscale time window ended at 2025-03-01T11:59:00Z"},
	})
}

func TestDecide_tieBreaks(t *testing.T) {
	paused := with(official, func(r *Release) { r.Status = mpaas.ReleaseStatusPaused })
	ended := with(official, func(r *Release) { r.Status = mpaas.ReleaseStatusEnded })
	withID := func(p Package, id int64) Package { p.ID = id; return p }
	runDecide(t, []decideCase{
		{"highest released version wins", android("10.1.0"), []Package{
			androidPkg("1.0.0.9", "10.0", "", official),
			androidPkg("1.0.0.10", "10.0", "", official),
			androidPkg("1.0.0.11", "10.0", ""),
		}, "1.0.0.10", "official release"},
		{"falls back below a paused higher version", android("10.1.0"), []Package{
			androidPkg("1.0.0.1", "10.0", "", official),
			androidPkg("1.0.0.2", "10.0", "", paused),
		}, "1.0.0.1", "official release"},
		{"falls back below a higher version that does not target the client", android("10.1.0"), []Package{
			androidPkg("1.0.0.1", "10.0", "", official),
			androidPkg("1.0.0.2", "11.0", "", official),
		}, "1.0.0.1", "official release"},
		{"a higher version wins over a lower one reaching by grayscale", Client{Platform: Android, Version: "10.1.0", UserID: "u1"}, []Package{
			androidPkg("1.0.0.1", "10.0", "", whitelist),
			androidPkg("2.0.0.0", "10.0", "", official),
		}, "2.0.0.0", "official release"},
		{"the first reason comes from the highest version", android("10.1.0"), []Package{
			androidPkg("1.0.0.1", "10.0", "", paused),
			androidPkg("1.0.0.2", "11.0", "", official),
		}, "", "client 10.1.0 is below min 11.0"},
		{"an unreleased version gives no reason", android("10.1.0"), []Package{
			androidPkg("1.0.0.1", "10.0", "", ended),
			androidPkg("1.0.0.2", "11.0", ""),
		}, "", "release ended"},
		{"the newest task gives the reason", android("10.1.0"), []Package{
			androidPkg("1.0.0.1", "10.0", "", ended, with(whitelist, func(r *Release) { r.ID = 20 })),
		}, "", "grayscale whitelist release and no user_id given"},
		{"an older active task still delivers", android("10.1.0"), []Package{
			androidPkg("1.0.0.1", "10.0", "", with(official, func(r *Release) { r.ID = 5 }), with(paused, func(r *Release) { r.ID = 6 })),
		}, "1.0.0.1", "official release"},
		{"a valid version beats an unreadable one", android("10.1.0"), []Package{
			androidPkg("9.9", "10.0", "", official),
			androidPkg("1.0.0.1", "10.0", "", official),
		}, "1.0.0.1", "official release"},
		{"unreadable versions still deliver", android("10.1.0"), []Package{
			androidPkg("9.9", "10.0", "", official),
			androidPkg("1.0.0.1", "11.0", "", official),
		}, "9.9", "official release"},
		{"equal versions: the newer package comes first", android("10.1.0"), []Package{
			withID(androidPkg("1.0.0.1", "10.0", "", ended), 7),
			withID(androidPkg("1.0.0.1", "10.0", "", paused), 8),
		}, "", "release paused"},
		{"equal versions: the newer package comes first, whatever the input order", android("10.1.0"), []Package{
			withID(androidPkg("1.0.0.1", "10.0", "", ended), 8),
			withID(androidPkg("1.0.0.1", "10.0", "", paused), 7),
		}, "", "release ended"},
	})
}

func runDecide(t *testing.T, cases []decideCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Now: testNow, Client: tc.client, Whitelists: knownWhitelists}
			delivery, skip := in.Decide(App{H5AppID: "12345678", Packages: tc.pkgs})
			if (delivery == nil) == (skip == nil) {
				t.Fatalf("want exactly one result, got %+v and %+v", delivery, skip)
			}
			if tc.wantVersion == "" {
				if skip == nil {
					t.Fatalf("delivered %+v, want a skip (%s)", delivery, tc.wantReason)
				}
				if skip.Reason != tc.wantReason || skip.H5AppID != "12345678" {
					t.Fatalf("skip = %+v, want reason %q", skip, tc.wantReason)
				}
				return
			}
			if delivery == nil {
				t.Fatalf("skipped (%s), want version %s", skip.Reason, tc.wantVersion)
			}
			if delivery.H5AppID != "12345678" || delivery.Version != tc.wantVersion || delivery.Reason != tc.wantReason ||
				delivery.DownloadURL != "http://x/"+tc.wantVersion {
				t.Fatalf("delivery = %+v, want %s (%s)", delivery, tc.wantVersion, tc.wantReason)
			}
		})
	}
}

func TestDecide_namesPackageAndRelease(t *testing.T) {
	p := androidPkg("1.0.0.3", "10.0", "", with(official, func(r *Release) { r.ID = 42 }))
	p.ID = 4294967297
	delivery, skip := Input{Now: testNow, Client: android("10.1")}.Decide(App{H5AppID: "12345678", Packages: []Package{p}})
	want := &Delivery{H5AppID: "12345678", Version: "1.0.0.3", PackageID: 4294967297, ReleaseID: 42, DownloadURL: "http://x/1.0.0.3", Reason: "official release"}
	if skip != nil || !reflect.DeepEqual(delivery, want) {
		t.Fatalf("got %+v, %+v; want %+v", delivery, skip, want)
	}
}

func TestNewestFirst(t *testing.T) {
	var pkgs []Package
	for i, version := range []string{"1.0.0.9", "x", "1.0.0.10", "1.0.0.9", "y", "0.0.0.1"} {
		pkgs = append(pkgs, pkg(int64(i+1), version, mpaas.Targets{}))
	}
	var got []int64
	for _, p := range NewestFirst(pkgs) {
		got = append(got, p.ID)
	}
	if want := []int64{3, 4, 1, 6, 5, 2}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	if pkgs[0].ID != 1 || pkgs[1].ID != 2 {
		t.Fatalf("the input was reordered: %+v", pkgs)
	}
}

func TestPreview(t *testing.T) {
	released := []Package{androidPkg("1.0.0.1", "10.0", "", official)}
	got := Preview(Input{
		Now:    testNow,
		Client: android("10.1.0"),
		Apps: []App{
			{H5AppID: "33333333", Packages: released},
			{H5AppID: "22222222"},
			{H5AppID: "11111111", Packages: released},
			{H5AppID: "44444444", Packages: []Package{androidPkg("1.0.0.1", "10.0", "")}},
		},
		Missing: []string{"30000000"},
	})
	want := Result{
		Deliveries: []Delivery{
			{H5AppID: "11111111", Version: "1.0.0.1", PackageID: 100, ReleaseID: 10, DownloadURL: "http://x/1.0.0.1", Reason: "official release"},
			{H5AppID: "33333333", Version: "1.0.0.1", PackageID: 100, ReleaseID: 10, DownloadURL: "http://x/1.0.0.1", Reason: "official release"},
		},
		Skipped: []Skip{
			{H5AppID: "22222222", Reason: ReasonNoPackage},
			{H5AppID: "30000000", Reason: ReasonNoSuchApp},
			{H5AppID: "44444444", Reason: ReasonNoActiveRelease},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Preview =\n%+v\nwant\n%+v", got, want)
	}
	empty := Preview(Input{Now: testNow, Client: android("10.1.0")})
	if empty.Deliveries == nil || empty.Skipped == nil || len(empty.Deliveries)+len(empty.Skipped) != 0 {
		t.Fatalf("empty preview = %#v, want two empty lists", empty)
	}
}

func TestClientCheck(t *testing.T) {
	for _, tc := range []struct {
		client Client
		want   string // "" means valid
	}{
		{android("10.1.68"), ""},
		{Client{Platform: IOS, Version: "10", OSVersion: "17.4.1"}, ""},
		{Client{Platform: "windows", Version: "10.1"}, `platform must be android or ios, got "windows"`},
		{Client{Platform: "Android", Version: "10.1"}, `platform must be android or ios, got "Android"`},
		{android(""), "client_version: client version must not be empty"},
		{android("ten"), `client_version: client version "ten" must be dot-separated numbers`},
		{Client{Platform: Android, Version: "10", OSVersion: "x"}, `os_version: client version "x" must be dot-separated numbers`},
	} {
		err := tc.client.Check()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.client, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: error %v, want it to contain %q", tc.client, err, tc.want)
		}
	}
}
