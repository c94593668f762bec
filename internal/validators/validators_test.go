package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func runString(v validator.String, value types.String) validator.StringResponse {
	resp := validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, &resp)
	return resp
}

func TestH5AppID(t *testing.T) {
	cases := []struct {
		id    string
		rules []string
	}{
		{"12345678", nil},
		{"1234567", []string{"R2"}},
		{"123456789", []string{"R2"}},
		{"1234567a", []string{"R2"}},
		{"20000196", []string{"R3", "R4"}},
		{"66666692", []string{"R3", "R4"}},
		{"68687029", []string{"R3"}},
		{"66666612", []string{"R4"}},
		{"20000123", []string{"R4"}},
	}
	for _, tc := range cases {
		resp := runString(H5AppID(), types.StringValue(tc.id))
		if got := resp.Diagnostics.ErrorsCount(); got != len(tc.rules) {
			t.Errorf("%s: %d errors, want %d: %v", tc.id, got, len(tc.rules), resp.Diagnostics)
			continue
		}
		for i, rule := range tc.rules {
			if summary := resp.Diagnostics[i].Summary(); !strings.Contains(summary, rule) {
				t.Errorf("%s: error %d = %q, want rule %s", tc.id, i, summary, rule)
			}
		}
	}
	if resp := runString(H5AppID(), types.StringUnknown()); resp.Diagnostics.HasError() {
		t.Error("unknown values must be skipped")
	}
}

func TestHostName(t *testing.T) {
	good := []string{"h5app.com", "a.b.example.org", "xn--fiq228c.com", "EXAMPLE.com"}
	bad := []string{"", "localhost", "https://h5app.com", "h5app.com:443", "h5app.com/x", "-a.com", "a-.com", "a..com", "a_b.com", strings.Repeat("a", 64) + ".com"}
	for _, name := range good {
		if msg := CheckHostName(name); msg != "" {
			t.Errorf("%q rejected: %s", name, msg)
		}
	}
	for _, name := range bad {
		if CheckHostName(name) == "" {
			t.Errorf("%q accepted", name)
		}
	}
}

func TestPrintableText(t *testing.T) {
	cases := map[string]bool{"demo app": true, "中文名": true, "": false, "   ": false, "a\tb": false, "a\nb": false, "\x00": false, string([]byte{0xff}): false, strings.Repeat("x", 65): false}
	for in, ok := range cases {
		if got := CheckPrintable(in, 64) == ""; got != ok {
			t.Errorf("CheckPrintable(%q) ok=%v, want %v", in, got, ok)
		}
	}
}
