package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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

// getter is the shape of Plan.Get and Config.Get, so Create and Update can
// share one body.
type getter func(ctx context.Context, target any) diag.Diagnostics

type diagnostics = diag.Diagnostics

// stateSetter is what resp.State offers to a shared write path.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// formatID and parseID convert the numeric IDs of packages and release tasks
// to and from their string attributes.
func formatID(id int64) string { return strconv.FormatInt(id, 10) }

func parseID(what, value string) (int64, error) {
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a numeric ID", what, value)
	}
	return id, nil
}

// enumNames lists the values of a string enum for a OneOf validator.
func enumNames[T ~string](values []T) []string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return names
}

// setIdentity records a resource's identity model; where the response
// carries no identity (nil) it records nothing.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, model any) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, model)
}
