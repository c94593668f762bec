package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

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
