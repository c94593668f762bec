package mpaas

import (
	"fmt"
	"strings"
)

// encodeTargets turns per-platform ranges into the three wire fields
// Platform, ClientVersionMin and ClientVersionMax, with the two-platform
// encoding guessed in inferred.go (see the platform wire values there).
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

// DecodeTargets is the inverse of encodeTargets. Both platforms read back
// from "all" or from a comma list naming both ("iOS,Android", the form of
// sibling actions), in any case and order.
func DecodeTargets(platform, minVersion, maxVersion string) (Targets, error) {
	if namesBothPlatforms(platform) {
		platform = PlatformAll
	}
	switch strings.ToLower(platform) {
	case strings.ToLower(PlatformAndroid):
		return Targets{Android: &VersionRange{Min: minVersion, Max: maxVersion}}, nil
	case strings.ToLower(PlatformIOS):
		return Targets{IOS: &VersionRange{Min: minVersion, Max: maxVersion}}, nil
	case strings.ToLower(PlatformAll):
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

// namesBothPlatforms reports whether platform is a list of exactly Android
// and iOS.
func namesBothPlatforms(platform string) bool {
	seen := map[string]bool{}
	for _, name := range strings.Split(platform, platformLabelSeparator) {
		seen[strings.ToLower(strings.TrimSpace(name))] = true
	}
	return len(seen) == 2 && seen[strings.ToLower(PlatformAndroid)] && seen[strings.ToLower(PlatformIOS)]
}
