package planmodifiers

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type color string

var colors = []color{"red", "blue"}

func TestHoldsRawCode(t *testing.T) {
	cases := []struct {
		value types.String
		want  bool
	}{
		{types.StringValue("red"), false},
		{types.StringValue("7"), true},
		{types.StringValue(""), true},
		{types.StringNull(), false},
		{types.StringUnknown(), false},
	}
	for _, tc := range cases {
		if got := HoldsRawCode(tc.value, colors); got != tc.want {
			t.Errorf("HoldsRawCode(%s) = %v, want %v", tc.value, got, tc.want)
		}
	}
}

func TestReplaceUnlessRawCode(t *testing.T) {
	// A non-null object stands for an existing resource and a planned one
	// (the modifier does nothing on create and destroy).
	exists := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, map[string]tftypes.Value{})
	cases := []struct {
		name         string
		state, plan  types.String
		wantsReplace bool
	}{
		{"name changes", types.StringValue("red"), types.StringValue("blue"), true},
		{"raw code named", types.StringValue("7"), types.StringValue("blue"), false},
		{"unchanged", types.StringValue("red"), types.StringValue("red"), false},
	}
	for _, tc := range cases {
		req := planmodifier.StringRequest{
			Path: path.Root("color"), StateValue: tc.state, PlanValue: tc.plan, ConfigValue: tc.plan,
			State: tfsdk.State{Raw: exists}, Plan: tfsdk.Plan{Raw: exists},
		}
		resp := &planmodifier.StringResponse{PlanValue: tc.plan}
		ReplaceUnlessRawCode(colors).PlanModifyString(context.Background(), req, resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", tc.name, resp.Diagnostics)
		}
		if resp.RequiresReplace != tc.wantsReplace {
			t.Errorf("%s: RequiresReplace = %v, want %v", tc.name, resp.RequiresReplace, tc.wantsReplace)
		}
	}
}
