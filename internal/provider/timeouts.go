package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Default timeouts. A package create uploads the zip: 300 MB (the batch
// limit, R22) at 1 Mbit/s takes 40 minutes, so the default leaves room for
// a slow link and the retries; a release task is a few API calls.
const (
	defaultPackageCreateTimeout = 60 * time.Minute
	defaultReleaseCreateTimeout = 10 * time.Minute
	defaultReleaseDeleteTimeout = 10 * time.Minute
)

// packageTimeoutsAttrTypes are the types of mpaas_offline_package's
// timeouts: create only, since its destroy calls no API.
var packageTimeoutsAttrTypes = map[string]attr.Type{"create": types.StringType}

// timeoutsSchema is the timeouts attribute of a resource whose create (and,
// with deleteDefault, delete) waits on the network.
func timeoutsSchema(ctx context.Context, createDefault, deleteDefault, createUse string) schema.Attribute {
	opts := timeouts.Opts{
		Create: true,
		CreateDescription: "How long " + createUse + " may take, a duration such as `30m` or `2h` (default `" + createDefault + "`). " +
			"When it runs out, the apply stops with an error; what was registered before is kept and found again by the next apply.",
	}
	if deleteDefault != "" {
		opts.Delete = true
		opts.DeleteDescription = "How long a destroy may take (default `" + deleteDefault + "`)."
	}
	return timeouts.Attributes(ctx, opts)
}

// releaseTimeoutsAttrTypes are the types of mpaas_offline_package_release's
// timeouts: create and delete.
var releaseTimeoutsAttrTypes = map[string]attr.Type{"create": types.StringType, "delete": types.StringType}

// nullReleaseTimeouts is a release's timeouts value built outside a plan.
func nullReleaseTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(releaseTimeoutsAttrTypes)}
}

// nullTimeouts is a package's timeouts value built outside a plan (a list
// resource's result).
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(packageTimeoutsAttrTypes)}
}

// withTimeout bounds ctx by the configured (or default) timeout.
func withTimeout(ctx context.Context, configured time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, configured)
}
