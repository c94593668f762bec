package offlinepkg

import (
	"strings"
	"testing"
)

func TestCheckMainURL(t *testing.T) {
	tests := []struct {
		url  string
		ok   bool
		want string
	}{
		{"/www/index.html", true, ""},
		{"/index.html", true, ""},
		{"/www/a b.html", true, ""},
		{"", false, "is empty"},
		{"www/index.html", false, `start with "/"`},
		{"/www/../index.html", false, `".."`},
		{"/..", false, `".."`},
		{`/www\index.html`, false, "backslashes"},
		{"/www/index.html?x=1", false, "query"},
		{"/www/index.html#top", false, "fragment"},
		{"/www/", false, "not a folder"},
		{"/", false, "not a folder"},
		{"/www//index.html", false, "empty"},
		{"/./index.html", false, `"."`},
		{"/www/in\x00dex.html", false, "control"},
		{"/www/\xff.html", false, "UTF-8"},
	}
	for _, tt := range tests {
		vs := CheckMainURL(tt.url)
		if tt.ok != (len(vs) == 0) {
			t.Errorf("CheckMainURL(%q) = %v, want ok=%v", tt.url, vs, tt.ok)
			continue
		}
		for _, v := range vs {
			if v.Rule != "R15" || v.Attribute != "main_url" {
				t.Errorf("CheckMainURL(%q): %+v", tt.url, v)
			}
		}
		if !tt.ok && !strings.Contains(vs[0].Message, tt.want) {
			t.Errorf("CheckMainURL(%q) = %q, want %q", tt.url, vs[0].Message, tt.want)
		}
	}
}
