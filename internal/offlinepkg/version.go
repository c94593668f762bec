package offlinepkg

import (
	"fmt"
	"strconv"
	"strings"
)

// FirstVersion is the version a package gets in an H5App that has none (R24).
const FirstVersion = "0.0.0.1"

// maxVersionPart bounds each numeric part so arithmetic never overflows.
const maxVersionPart = 1<<31 - 1

// Version is a package version: four dot-separated integers such as 1.0.0.1 (R8).
type Version [4]uint64

// ParseVersion parses exactly four dot-separated decimal integers.
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return Version{}, fmt.Errorf("version %q must be four dot-separated numbers such as 1.0.0.1", s)
	}
	var v Version
	for i, part := range parts {
		n, err := parseVersionPart(part)
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %w; a version is four dot-separated whole numbers such as 1.0.0.1", s, err)
		}
		v[i] = n
	}
	return v, nil
}

func parseVersionPart(part string) (uint64, error) {
	if part == "" {
		return 0, fmt.Errorf("a part is empty (two dots in a row, or a leading or trailing dot)")
	}
	for i := 0; i < len(part); i++ {
		if part[i] < '0' || part[i] > '9' {
			return 0, fmt.Errorf("part %q is not a whole number (digits only, no sign)", part)
		}
	}
	n, err := strconv.ParseUint(part, 10, 64)
	if err != nil || n > maxVersionPart {
		return 0, fmt.Errorf("part %q is larger than %d", part, maxVersionPart)
	}
	return n, nil
}

// String formats the version as a.b.c.d.
func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3])
}

// Compare returns -1, 0 or +1 comparing part by part numerically (1.0.0.10 > 1.0.0.9).
func (v Version) Compare(other Version) int {
	return compareParts(v[:], other[:])
}

// Next returns the version with its last part incremented (R24).
func (v Version) Next() (Version, error) {
	if v[3] >= maxVersionPart {
		return Version{}, fmt.Errorf("version %s cannot be incremented: its last part is at the maximum %d", v, maxVersionPart)
	}
	v[3]++
	return v, nil
}

// NextVersion returns FirstVersion when existing is empty, else the highest
// existing version with its last part incremented (R24). Unparseable entries
// are an error: a guess could collide with a real version.
func NextVersion(existing []string) (string, error) {
	highest, found, err := HighestVersion(existing)
	if err != nil || !found {
		return FirstVersion, err
	}
	next, err := highest.Next()
	if err != nil {
		return "", err
	}
	return next.String(), nil
}

// HighestVersion returns the greatest of the given versions.
func HighestVersion(versions []string) (Version, bool, error) {
	var highest Version
	found := false
	for _, s := range versions {
		v, err := ParseVersion(s)
		if err != nil {
			return Version{}, false, err
		}
		if !found || v.Compare(highest) > 0 {
			highest, found = v, true
		}
	}
	return highest, found, nil
}

// CompareVersionStrings parses and compares two package versions.
func CompareVersionStrings(a, b string) (int, error) {
	va, err := ParseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// ClientVersion is a client app version with any number of dot parts (10.1.68).
type ClientVersion []uint64

// ParseClientVersion parses one or more dot-separated decimal integers.
func ParseClientVersion(s string) (ClientVersion, error) {
	if s == "" {
		return nil, fmt.Errorf("client version must not be empty; use a version such as 10.1.68")
	}
	parts := strings.Split(s, ".")
	v := make(ClientVersion, len(parts))
	for i, part := range parts {
		n, err := parseVersionPart(part)
		if err != nil {
			return nil, fmt.Errorf("client version %q must be dot-separated numbers such as 10.1.68: %w", s, err)
		}
		v[i] = n
	}
	return v, nil
}

// Compare compares numerically; missing trailing parts count as 0 (10.1 == 10.1.0).
func (v ClientVersion) Compare(other ClientVersion) int {
	return compareParts(v, other)
}

func compareParts(a, b []uint64) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y uint64
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}
