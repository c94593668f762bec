package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func TestIsKnown(t *testing.T) {
	cases := []struct {
		value attr.Value
		want  bool
	}{
		{types.StringValue(""), true},
		{types.Int64Value(0), true},
		{types.StringNull(), false},
		{types.StringUnknown(), false},
		{types.ObjectNull(timeWindowAttrTypes), false},
		{types.ListUnknown(types.StringType), false},
	}
	for _, tc := range cases {
		if got := isKnown(tc.value); got != tc.want {
			t.Errorf("isKnown(%s) = %v, want %v", tc.value, got, tc.want)
		}
	}
}

func TestKnownOrAndFirstKnown(t *testing.T) {
	a, b := types.StringValue("a"), types.StringValue("b")
	null, unknown := types.StringNull(), types.StringUnknown()
	knownOrCases := []struct{ value, fallback, want types.String }{
		{a, b, a},
		{null, b, null}, // null is known: the attribute is unset
		{unknown, b, b},
	}
	for _, tc := range knownOrCases {
		if got := knownOr(tc.value, tc.fallback); !got.Equal(tc.want) {
			t.Errorf("knownOr(%s, %s) = %s, want %s", tc.value, tc.fallback, got, tc.want)
		}
	}
	firstKnownCases := []struct {
		values []types.String
		want   types.String
	}{
		{[]types.String{a, b}, a},
		{[]types.String{null, unknown, b}, b},
		{[]types.String{null, unknown}, unknown}, // none: the last
		{[]types.String{unknown, null}, null},
	}
	for _, tc := range firstKnownCases {
		if got := firstKnown(tc.values...); !got.Equal(tc.want) {
			t.Errorf("firstKnown(%v) = %s, want %s", tc.values, got, tc.want)
		}
	}
}

func TestNullIfEmpty(t *testing.T) {
	if got := nullIfEmpty(""); !got.IsNull() {
		t.Errorf(`nullIfEmpty("") = %s`, got)
	}
	if got := nullIfEmpty("x"); !got.Equal(types.StringValue("x")) {
		t.Errorf(`nullIfEmpty("x") = %s`, got)
	}
}

func TestSortByVersion(t *testing.T) {
	packages := []mpaas.Package{
		{ID: 5, Version: "1.10.0.0"}, {ID: 4, Version: "1.9.0.0"}, {ID: 3, Version: "bad-b"},
		{ID: 2, Version: "1.9.0.0"}, {ID: 1, Version: "bad-a"}, {ID: 6, Version: "0.0.0.2"},
	}
	sortByVersion(packages)
	var ids []int64
	for _, pkg := range packages {
		ids = append(ids, pkg.ID)
	}
	// Unparsable versions first in text order; equal versions by ID.
	if want := []int64{1, 3, 6, 2, 4, 5}; !slices.Equal(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}
}

func TestSortApps(t *testing.T) {
	apps := []mpaas.App{{H5AppID: "30000002"}, {H5AppID: "10000001"}, {H5AppID: "20000003"}}
	sortApps(apps)
	var ids []string
	for _, app := range apps {
		ids = append(ids, app.H5AppID)
	}
	if want := []string{"10000001", "20000003", "30000002"}; !slices.Equal(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}
}
