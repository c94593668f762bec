// Package planmodifiers holds the provider's attribute plan modifiers that
// need nothing from the provider itself.
package planmodifiers

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ReplaceUnlessRawCode replaces the resource when an enum attribute changes,
// except when the state holds a raw code that no read could name (a code
// mPaaS reported that the provider cannot read, kept after an import): the
// configured name is then recorded in place.
func ReplaceUnlessRawCode[T ~string](names []T) planmodifier.String {
	const description = "If the value of this attribute changes, Terraform will destroy and recreate the resource, unless the state holds a code mPaaS reported that the provider could not read."
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !HoldsRawCode(req.StateValue, names)
		}, description, description)
}

// HoldsRawCode reports whether a state value is a raw code kept by a read,
// i.e. a known value that is not one of the enum's names.
func HoldsRawCode[T ~string](value types.String, names []T) bool {
	return !value.IsNull() && !value.IsUnknown() && !slices.Contains(names, T(value.ValueString()))
}
