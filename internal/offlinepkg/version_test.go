package offlinepkg

import (
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in      string
		want    Version
		wantErr string
	}{
		{in: "1.0.0.1", want: Version{1, 0, 0, 1}},
		{in: "0.0.0.0", want: Version{}},
		{in: "01.002.0.0010", want: Version{1, 2, 0, 10}},
		{in: "2147483647.0.0.2147483647", want: Version{2147483647, 0, 0, 2147483647}},
		{in: "1.0.0", wantErr: "four dot-separated numbers"},
		{in: "1.0.0.0.0", wantErr: "four dot-separated numbers"},
		{in: "", wantErr: "four dot-separated numbers"},
		{in: "1.a.0.0", wantErr: `"a" is not a whole number`},
		{in: " 1.0.0.1", wantErr: "is not a whole number"},
		{in: "1.0.0.1 ", wantErr: "is not a whole number"},
		{in: "1.0..1", wantErr: "a part is empty"},
		{in: "-1.0.0.1", wantErr: "not a whole number"},
		{in: "+1.0.0.1", wantErr: "not a whole number"},
		{in: "1.0.0.2147483648", wantErr: "larger than 2147483647"},
		{in: "1.0.0.99999999999999999999999", wantErr: "larger than"},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseVersion(%q) err = %v, want %q", tt.in, err, tt.wantErr)
			} else if !strings.Contains(err.Error(), "such as 1.0.0.1") {
				t.Errorf("ParseVersion(%q) err = %v does not show a valid version", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.0.0.10", "1.0.0.9", 1},
		{"1.0.0.9", "1.0.0.10", -1},
		{"1.0.0.1", "01.0.0.001", 0},
		{"2.0.0.0", "1.99.99.99", 1},
		{"0.0.1.0", "0.0.0.99", 1},
	}
	for _, tt := range tests {
		got, err := CompareVersionStrings(tt.a, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("CompareVersionStrings(%q, %q) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
	if _, err := CompareVersionStrings("1.0.0", "1.0.0.1"); err == nil {
		t.Error("bad left operand: no error")
	}
	if _, err := CompareVersionStrings("1.0.0.1", "x"); err == nil {
		t.Error("bad right operand: no error")
	}
}

func TestNextVersion(t *testing.T) {
	tests := []struct {
		existing []string
		want     string
		wantErr  bool
	}{
		{existing: nil, want: "0.0.0.1"},
		{existing: []string{}, want: "0.0.0.1"},
		{existing: []string{"0.0.0.9", "0.0.0.10"}, want: "0.0.0.11"},
		{existing: []string{"0.0.0.10", "0.0.0.9"}, want: "0.0.0.11"},
		{existing: []string{"1.2.3.4"}, want: "1.2.3.5"},
		{existing: []string{"02.0.0.1"}, want: "2.0.0.2"},
		{existing: []string{"1.0.0.1", "bad"}, wantErr: true},
		{existing: []string{"0.0.0.2147483647"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := NextVersion(tt.existing)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("NextVersion(%q) = %q, %v; want %q (err %v)", tt.existing, got, err, tt.want, tt.wantErr)
		}
	}
	if FirstVersion != "0.0.0.1" {
		t.Errorf("FirstVersion = %q", FirstVersion)
	}
}

func TestHighestVersion(t *testing.T) {
	v, found, err := HighestVersion([]string{"1.0.0.9", "1.0.0.10", "0.9.9.9"})
	if err != nil || !found || v != (Version{1, 0, 0, 10}) {
		t.Fatalf("got %v %v %v", v, found, err)
	}
	if _, found, err := HighestVersion(nil); found || err != nil {
		t.Fatalf("empty: %v %v", found, err)
	}
	if next, err := (Version{1, 2, 3, 4}).Next(); err != nil || next.String() != "1.2.3.5" {
		t.Fatalf("Next = %v %v", next, err)
	}
}

func TestClientVersion(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"10.1", "10.1.0", 0},
		{"10.1.0.0", "10.1", 0},
		{"10.1.68", "10.2", -1},
		{"10.2", "10.1.68", 1},
		{"10.1.68", "10.1.9", 1},
		{"9", "10", -1},
		{"010.1", "10.1", 0},
	}
	for _, tt := range tests {
		a, errA := ParseClientVersion(tt.a)
		b, errB := ParseClientVersion(tt.b)
		if errA != nil || errB != nil || a.Compare(b) != tt.want {
			t.Errorf("compare(%q, %q) = %d, %v %v; want %d", tt.a, tt.b, a.Compare(b), errA, errB, tt.want)
		}
	}
	if v, err := ParseClientVersion("10.1.68"); err != nil || !reflect.DeepEqual(v, ClientVersion{10, 1, 68}) {
		t.Errorf("ParseClientVersion = %v %v", v, err)
	}
	for _, bad := range []string{"", "10.", ".1", "10..1", "10.a", " 10.1", "v10.1", "10.1-beta", "1.99999999999"} {
		if _, err := ParseClientVersion(bad); err == nil {
			t.Errorf("ParseClientVersion(%q): no error", bad)
		}
	}
}

var fourNumbers = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)

// versionOracle is R8 stated independently of ParseVersion: four runs of
// ASCII digits joined by dots, each at most 2147483647 once leading zeros
// are dropped. It returns the canonical form (leading zeros dropped).
func versionOracle(s string) (canonical string, ok bool) {
	if !fourNumbers.MatchString(s) {
		return "", false
	}
	parts := strings.Split(s, ".")
	limit := big.NewInt(2147483647)
	for i, part := range parts {
		n, _ := new(big.Int).SetString(part, 10)
		if n.Cmp(limit) > 0 {
			return "", false
		}
		parts[i] = n.String()
	}
	return strings.Join(parts, "."), true
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.0.0.1", "01.0.0.10", "1.0.0", "1.0.0.0.0", "1.a.0.0", "", " 1.0.0.1", "2147483647.0.0.2147483648",
		"99999999999999999999.0.0.0", "0.0.0.2147483647", "+1.0.0.1", "1.0.0.١"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		canonical, valid := versionOracle(s)
		v, err := ParseVersion(s)
		if (err == nil) != valid {
			t.Fatalf("ParseVersion(%q) = %v, %v; R8 says valid=%v", s, v, err, valid)
		}
		if err != nil {
			return
		}
		if v.String() != canonical {
			t.Fatalf("ParseVersion(%q).String() = %q, want %q", s, v.String(), canonical)
		}
		next, err := v.Next()
		if v[3] == maxVersionPart {
			if err == nil {
				t.Fatalf("Next(%v) = %v, want an error at the maximum last part", v, next)
			}
			return
		}
		if err != nil || next != (Version{v[0], v[1], v[2], v[3] + 1}) {
			t.Fatalf("Next(%v) = %v, %v; want the last part plus one", v, next, err)
		}
		if v.Compare(next) != -1 || next.Compare(v) != 1 {
			t.Fatalf("Compare: %v vs %v = %d, reverse %d", v, next, v.Compare(next), next.Compare(v))
		}
	})
}

func FuzzParseClientVersion(f *testing.F) {
	for _, s := range []string{"10.1.68", "10.1", "10", "", "10..1", "1.2.3.4.5.6", "007.1", "4294967296"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseClientVersion(s)
		if err != nil {
			return
		}
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.FormatUint(n, 10)
		}
		again, err := ParseClientVersion(strings.Join(parts, ".") + ".0")
		if err != nil || again.Compare(v) != 0 || v.Compare(again) != 0 {
			t.Fatalf("%q -> %v -> %v, %v", s, v, again, err)
		}
	})
}
