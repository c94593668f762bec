package mpaas

import (
	"net/url"
	"testing"
)

// TestCanonicalQueryStringNameWithoutValue: a name with no value (possible
// in a url.Values built by hand) signs as an empty value instead of
// panicking.
func TestCanonicalQueryStringNameWithoutValue(t *testing.T) {
	if got := CanonicalQueryString(url.Values{"A": nil, "B": {"1 2"}}); got != "A=&B=1%202" {
		t.Fatalf("CanonicalQueryString = %q, want %q", got, "A=&B=1%202")
	}
}
