package mpaas

import (
	"errors"
	"testing"
)

func TestContentHolds(t *testing.T) {
	const md5 = "0123456789abcdef0123456789abcdef"
	cases := []struct {
		name      string
		knownSize int64 // -1: measured on first use, as a folder's zip
		reported  Package
		want      bool
		measures  bool // whether the comparison had to read the zip
	}{
		{"same size and MD5", 5000, Package{FileSize: 5000, MD5: md5}, true, true},
		{"MD5 in upper case", 5000, Package{FileSize: 5000, MD5: "0123456789ABCDEF0123456789ABCDEF"}, true, true},
		{"size in KB", 5000, Package{FileSize: 5, MD5: md5}, true, true},
		{"other size: rejected before reading", 5000, Package{FileSize: 9000, MD5: md5}, false, false},
		{"other MD5", 5000, Package{FileSize: 5000, MD5: "ffffffffffffffffffffffffffffffff"}, false, true},
		{"no MD5 reported: rejected before reading", 5000, Package{FileSize: 5000}, false, false},
		{"no size reported: the MD5 decides", 5000, Package{FileSize: -1, MD5: md5}, true, true},
		{"size unknown until measured", -1, Package{FileSize: 5000, MD5: md5}, true, true},
		{"size measured differs", -1, Package{FileSize: 9000, MD5: md5}, false, true},
	}
	for _, tc := range cases {
		measured := false
		content := NewContent(tc.knownSize, func() (int64, string, error) {
			measured = true
			return 5000, md5, nil
		})
		if got := content.Holds(&tc.reported); got != tc.want {
			t.Errorf("%s: Holds = %v, want %v", tc.name, got, tc.want)
		}
		if measured != tc.measures {
			t.Errorf("%s: measured = %v, want %v", tc.name, measured, tc.measures)
		}
	}
	unreadable := NewContent(-1, func() (int64, string, error) { return 0, "", errors.New("gone") })
	if unreadable.Holds(&Package{FileSize: -1, MD5: md5}) {
		t.Error("a zip that cannot be read holds nothing")
	}
}

func TestPackageVersions(t *testing.T) {
	got := PackageVersions([]Package{{Version: "0.0.0.2"}, {Version: "0.0.0.1"}})
	if len(got) != 2 || got[0] != "0.0.0.2" || got[1] != "0.0.0.1" {
		t.Errorf("PackageVersions = %v", got)
	}
	if got := PackageVersions(nil); len(got) != 0 {
		t.Errorf("PackageVersions(nil) = %v", got)
	}
}
