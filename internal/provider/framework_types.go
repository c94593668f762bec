package provider

import (
	"context"

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
