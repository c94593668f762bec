package mpaas

import (
	"reflect"
	"strings"
	"testing"
)

// TestEncodeTargets covers the one place that turns per-platform ranges into
// Platform, ClientVersionMin and ClientVersionMax. The wire carries a single
// maximum, so two platforms with different maximums (R12) must be refused:
// sending one of them would silently widen or narrow the other platform.
func TestEncodeTargets(t *testing.T) {
	for _, tc := range []struct {
		name                           string
		targets                        Targets
		platform, minVersion, maxValue string
		wantErr                        string
	}{
		{name: "android only", targets: Targets{Android: &VersionRange{Min: "10.1", Max: "11.0"}},
			platform: PlatformAndroid, minVersion: "10.1", maxValue: "11.0"},
		{name: "ios only", targets: Targets{IOS: &VersionRange{Min: "10.3"}}, platform: PlatformIOS, minVersion: "10.3"},
		{name: "both, same range", targets: Targets{Android: &VersionRange{Min: "10.1", Max: "11.0"}, IOS: &VersionRange{Min: "10.1", Max: "11.0"}},
			platform: PlatformAll, minVersion: "10.1", maxValue: "11.0"},
		{name: "both, different minimums labelled", targets: Targets{Android: &VersionRange{Min: "10.1"}, IOS: &VersionRange{Min: "10.3"}},
			platform: PlatformAll, minVersion: PlatformAndroid + platformLabelAssignment + "10.1" + platformLabelSeparator + PlatformIOS + platformLabelAssignment + "10.3"},
		{name: "both maximums set and different", targets: Targets{Android: &VersionRange{Min: "10.1", Max: "11.0"}, IOS: &VersionRange{Min: "10.1", Max: "12.0"}},
			wantErr: `got "11.0" and "12.0"`},
		{name: "only android has a maximum", targets: Targets{Android: &VersionRange{Min: "10.1", Max: "11.0"}, IOS: &VersionRange{Min: "10.1"}},
			wantErr: `got "11.0" and ""`},
		{name: "only ios has a maximum", targets: Targets{Android: &VersionRange{Min: "10.1"}, IOS: &VersionRange{Min: "10.1", Max: "12.0"}},
			wantErr: `got "" and "12.0"`},
		{name: "no platform", wantErr: "at least one platform"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			platform, minVersion, maxVersion, err := encodeTargets(tc.targets)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("encodeTargets = %q, %q, %q, %v; want an error containing %q", platform, minVersion, maxVersion, err, tc.wantErr)
				}
				return
			}
			if err != nil || platform != tc.platform || minVersion != tc.minVersion || maxVersion != tc.maxValue {
				t.Fatalf("encodeTargets = %q, %q, %q, %v; want %q, %q, %q", platform, minVersion, maxVersion, err, tc.platform, tc.minVersion, tc.maxValue)
			}
			back, err := DecodeTargets(platform, minVersion, maxVersion)
			if err != nil || !reflect.DeepEqual(back, tc.targets) {
				t.Fatalf("DecodeTargets(%q, %q, %q) = %+v, %v; want %+v", platform, minVersion, maxVersion, back, err, tc.targets)
			}
		})
	}
}

// TestPackageParamsRefuseDifferentMaximums: the create request itself is
// never built for two different maximums, whatever the caller checked before.
func TestPackageParamsRefuseDifferentMaximums(t *testing.T) {
	spec := packageSpec{h5AppID: "12345678", version: "0.0.0.1", fileURL: "https://oss/k.zip", PackageSettings: PackageSettings{
		ResourceType: ResourceTypeNormal,
		Targets:      Targets{Android: &VersionRange{Min: "10.1", Max: "11.0"}, IOS: &VersionRange{Min: "10.1", Max: "12.0"}},
	}}
	params, err := spec.params()
	if err == nil || !strings.Contains(err.Error(), "max versions must both be empty or equal") {
		t.Fatalf("params = %v, %v; want the refusal of two different maximums", params, err)
	}
}
