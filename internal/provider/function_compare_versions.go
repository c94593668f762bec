package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

var _ function.Function = (*compareVersionsFunction)(nil)

// NewCompareVersionsFunction is the constructor of provider::mpaas::compare_versions.
func NewCompareVersionsFunction() function.Function { return &compareVersionsFunction{} }

type compareVersionsFunction struct{}

func (f *compareVersionsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "compare_versions"
}

func (f *compareVersionsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	versionParameter := func(name string) function.StringParameter {
		return function.StringParameter{
			Name:                name,
			MarkdownDescription: "A package version: four dot-separated whole numbers such as `1.0.0.1`.",
		}
	}
	resp.Definition = function.Definition{
		Summary: "Compare two package versions",
		MarkdownDescription: "Compares two offline package versions part by part as numbers, so `1.0.0.10` is above " +
			"`1.0.0.9` and `01.0.0.1` equals `1.0.0.1`. Returns `-1` when `a` is lower, `0` when they are equal and `1` when " +
			"`a` is higher. An invalid version is an error naming the argument.",
		Parameters: []function.Parameter{versionParameter("a"), versionParameter("b")},
		Return:     function.Int64Return{},
	}
}

func (f *compareVersionsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var a, b string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &a, &b))
	if resp.Error != nil {
		return
	}
	va, err := offlinepkg.ParseVersion(a)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	vb, err := offlinepkg.ParseVersion(b)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, int64(va.Compare(vb))))
}
