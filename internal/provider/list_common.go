package provider

import (
	"context"
	"fmt"
	"iter"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// What the list resources and the data sources share: the provider's data
// that Configure keeps, reading a list block's config, the H5Apps a list
// block's h5app_id names, streaming results after a cut-short warning
// (list_limit.go), the name_regex filter, and lists of objects.

// listResourceData is embedded by every list resource: Configure keeps the
// provider's data.
type listResourceData struct {
	data *providerData
}

func (b *listResourceData) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// dataSourceData is embedded by every data source that calls the API:
// Configure keeps the provider's data.
type dataSourceData struct {
	data *providerData
}

func (b *dataSourceData) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// getConfig reads a configuration into a model of type M, reporting whether
// that went without error.
func getConfig[M any](ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (M, bool) {
	var model M
	diags.Append(config.Get(ctx, &model)...)
	return model, !diags.HasError()
}

// getListConfig reads a list block's config block into a model of type M;
// without a config block every filter of the model is null.
func getListConfig[M any](ctx context.Context, req list.ListRequest, diags *diag.Diagnostics) M {
	var model M
	if !req.Config.Raw.IsNull() {
		diags.Append(req.Config.Get(ctx, &model)...)
	}
	return model
}

// listedApps is the H5App a list block's h5app_id names or, when it is
// null, every H5App in ID order. what names what the block lists of each
// H5App, in full ("package versions") and short ("versions"), for the error
// on an H5App that does not exist.
func listedApps(ctx context.Context, data *providerData, h5AppID types.String, what, short string, diags *diag.Diagnostics) ([]mpaas.App, bool) {
	if h5AppID.IsNull() {
		apps, err := data.client.ListApps(ctx, "")
		if err != nil {
			diags.AddError("Cannot list the H5Apps", apiErrorDetail(err))
			return nil, false
		}
		sortApps(apps)
		return apps, true
	}
	id := h5AppID.ValueString()
	app, err := data.client.FindApp(ctx, id)
	if err != nil {
		diags.AddAttributeError(path.Root("h5app_id"), "Cannot look up H5App "+id, apiErrorDetail(err))
		return nil, false
	}
	if app == nil {
		diags.AddAttributeError(path.Root("h5app_id"), "H5App "+id+" does not exist",
			fmt.Sprintf("No H5App with ID %s exists in this workspace, so it has no %s to list. Check h5app_id, or "+
				"leave it out to list the %s of every H5App.", id, what, short))
		return nil, false
	}
	return []mpaas.App{*app}, true
}

// listResults yields the warning of a query cut short (none when cut is
// nil), then result(i) for i from 0 to n-1, until Terraform stops reading or
// a result holds an error. A result whose object is gone since it was
// listed (gone) is left out.
func listResults(cut *cutShort, n int, result func(i int) (r list.ListResult, gone bool)) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		if cut != nil && !push(cut.warning()) {
			return
		}
		for i := range n {
			r, gone := result(i)
			if gone {
				continue
			}
			if !push(r) || r.Diagnostics.HasError() {
				return
			}
		}
	}
}

// validateNameRegex reports an invalid name_regex of a configuration on its
// attribute.
func validateNameRegex(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var value types.String
	diags.Append(config.GetAttribute(ctx, path.Root("name_regex"), &value)...)
	if !diags.HasError() {
		compileNameRegex(value, diags)
	}
}

// compileNameRegex returns nil for a null, unknown or invalid pattern; an
// invalid one is an error on name_regex.
func compileNameRegex(value types.String, diags *diag.Diagnostics) *regexp.Regexp {
	if value.IsNull() || value.IsUnknown() {
		return nil
	}
	re, err := regexp.Compile(value.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex",
			fmt.Sprintf("name_regex %q is not a regular expression: %s. Write RE2 syntax, such as \"^team-a-\" for the names "+
				"that start with team-a- (escape a literal dot or bracket with two backslashes in HCL: \"\\\\.\").",
				value.ValueString(), strings.TrimPrefix(err.Error(), "error parsing regexp: ")))
		return nil
	}
	return re
}

// objectList is a list of objects of attrTypes, one per item, each object's
// attributes given by attrs.
func objectList[T any](items []T, attrTypes map[string]attr.Type, attrs func(T) map[string]attr.Value, diags *diag.Diagnostics) types.List {
	objects := make([]attr.Value, 0, len(items))
	for _, item := range items {
		object, d := types.ObjectValue(attrTypes, attrs(item))
		diags.Append(d...)
		objects = append(objects, object)
	}
	value, d := types.ListValue(types.ObjectType{AttrTypes: attrTypes}, objects)
	diags.Append(d...)
	return value
}

// namePasses reports whether a name passes a name_regex filter (nil: every
// name does).
func namePasses(re *regexp.Regexp, name string) bool {
	return re == nil || re.MatchString(name)
}
