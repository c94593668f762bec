package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

var _ function.Function = (*nextVersionFunction)(nil)

// NewNextVersionFunction is the constructor of provider::mpaas::next_version.
func NewNextVersionFunction() function.Function { return &nextVersionFunction{} }

type nextVersionFunction struct{}

func (f *nextVersionFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "next_version"
}

func (f *nextVersionFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The package version after a given one",
		MarkdownDescription: "Returns the offline package version that follows `version`: its last part incremented, as mPaaS " +
			"assigns versions automatically (R24), so `1.0.0.9` gives `1.0.0.10`. The result is written without leading zeros " +
			"(`01.0.0.1` gives `1.0.0.2`). An invalid version, or a last part already at 2147483647, is an error.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "version",
				MarkdownDescription: "A package version: four dot-separated whole numbers such as `1.0.0.1`, each at most 2147483647.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *nextVersionFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var version string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &version))
	if resp.Error != nil {
		return
	}
	parsed, err := offlinepkg.ParseVersion(version)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	next, err := parsed.Next()
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, next.String()))
}
