package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

var _ function.Function = (*validH5AppIDFunction)(nil)

// NewValidH5AppIDFunction is the constructor of provider::mpaas::valid_h5app_id.
func NewValidH5AppIDFunction() function.Function { return &validH5AppIDFunction{} }

type validH5AppIDFunction struct{}

var validH5AppIDAttrTypes = map[string]attr.Type{"valid": types.BoolType, "reason": types.StringType}

func (f *validH5AppIDFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "valid_h5app_id"
}

func (f *validH5AppIDFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Check an H5App ID against the mPaaS rules",
		MarkdownDescription: "Checks an H5App ID against the rules `mpaas_h5app` enforces: exactly 8 digits (R2), not one of " +
			"the IDs reserved by the client SDK 20000196, 66666692, 68687029 and 68687209 (R3), not starting with `666666` " +
			"or `20000` (R4). Returns `{ valid = true, reason = \"\" }`, or `valid = false` with the first broken rule in " +
			"`reason`. It never fails, so it suits `validation` blocks of module variables.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "id", MarkdownDescription: "The H5App ID to check, such as `12345678`."},
		},
		Return: function.ObjectReturn{AttributeTypes: validH5AppIDAttrTypes},
	}
}

func (f *validH5AppIDFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var id string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &id))
	if resp.Error != nil {
		return
	}
	valid, reason := offlinepkg.ValidH5AppID(id)
	result, diags := types.ObjectValue(validH5AppIDAttrTypes, map[string]attr.Value{
		"valid":  types.BoolValue(valid),
		"reason": types.StringValue(reason),
	})
	resp.Error = function.ConcatFuncErrors(function.FuncErrorFromDiags(ctx, diags), resp.Result.Set(ctx, result))
}
