package provider

import (
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// Helpers that several resources, data sources and list resources share.

// isKnown reports whether v holds a value: neither null nor unknown.
func isKnown(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// knownOr returns value when it is known, otherwise fallback.
func knownOr(value, fallback types.String) types.String {
	if value.IsUnknown() {
		return fallback
	}
	return value
}

// firstKnown returns the first value that is neither null nor unknown, or
// the last value when there is none.
func firstKnown(values ...types.String) types.String {
	for _, value := range values {
		if isKnown(value) {
			return value
		}
	}
	return values[len(values)-1]
}

// nullIfEmpty is null for "", which the API sends for a field it does not set.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// sortApps orders H5Apps by ID, so query results come in a stable order.
func sortApps(apps []mpaas.App) {
	sort.Slice(apps, func(i, j int) bool { return apps[i].H5AppID < apps[j].H5AppID })
}

// sortByVersion orders packages by version, ascending and numerically (the
// API lists the newest first). Versions that do not parse, which the service
// should never hold, come first in text order, so latest_version is always a
// real version when there is one.
func sortByVersion(items []mpaas.Package) {
	sort.SliceStable(items, func(i, j int) bool {
		a, errA := offlinepkg.ParseVersion(items[i].Version)
		b, errB := offlinepkg.ParseVersion(items[j].Version)
		switch {
		case errA != nil && errB != nil:
			return items[i].Version < items[j].Version
		case errA != nil || errB != nil:
			return errA != nil
		}
		if c := a.Compare(b); c != 0 {
			return c < 0
		}
		return items[i].ID < items[j].ID
	})
}
