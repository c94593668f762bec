package offlinepkg

import (
	"reflect"
	"strings"
	"testing"
)

func TestCheckH5AppID(t *testing.T) {
	tests := []struct {
		id    string
		rules []string
	}{
		{"12345678", nil},
		{"00000000", nil},
		{"1234567", []string{"R2"}},
		{"123456789", []string{"R2"}},
		{"1234567a", []string{"R2"}},
		{"", []string{"R2"}},
		{" 1234567", []string{"R2"}},
		{"１２３４５６７８", []string{"R2"}}, // full-width digits
		{"20000196", []string{"R3", "R4"}},
		{"66666692", []string{"R3", "R4"}},
		{"68687029", []string{"R3"}},
		{"68687209", []string{"R3"}},
		{"66666612", []string{"R4"}},
		{"20000123", []string{"R4"}},
		{"2000012", []string{"R2", "R4"}},
		{"20001234", nil},
		{"66666512", nil},
	}
	for _, tt := range tests {
		problems := CheckH5AppID(tt.id)
		var got []string
		for _, p := range problems {
			got = append(got, p.Rule)
			if p.Message == "" {
				t.Errorf("%q: empty message for %s", tt.id, p.Rule)
			}
		}
		if !reflect.DeepEqual(got, tt.rules) {
			t.Errorf("CheckH5AppID(%q) = %v, want %v", tt.id, got, tt.rules)
		}
		ok, reason := ValidH5AppID(tt.id)
		if ok != (len(tt.rules) == 0) {
			t.Errorf("ValidH5AppID(%q) = %v", tt.id, ok)
		}
		if !ok && (!strings.HasPrefix(reason, `H5App ID "`+tt.id+`" `) || !strings.Contains(reason, problems[0].Message)) {
			t.Errorf("ValidH5AppID(%q) reason = %q", tt.id, reason)
		}
		if ok && reason != "" {
			t.Errorf("ValidH5AppID(%q) reason = %q for a valid ID", tt.id, reason)
		}
	}
	p := CheckH5AppID("66666692")
	if len(p) != 2 || !strings.Contains(p[0].Message, "reserved") || !strings.Contains(p[1].Message, "666666") {
		t.Errorf("66666692: %+v", p)
	}
}
