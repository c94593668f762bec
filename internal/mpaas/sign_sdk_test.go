package mpaas_test

import (
	"net/url"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The V1 signature equals the official SDK core's for parameters whose
// names are prefixes of each other, and for values that need encoding.
func TestSignV1MatchesTheSDKCore(t *testing.T) {
	cases := []map[string]string{
		{"Tag": "a", "Tag.1": "b", "Tag.10": "c", "TagA": "d", "Action": "ListMcubeNebulaApps"},
		{"H5Name": "demo app *~/ü", "Keyword": "a+b=c&d", "Action": "CreateMcubeNebulaApp", "PageNum": "1"},
		{"A": "", "A.1": "", "A-": "x", "A_": "y", "A~": "z"},
	}
	for _, params := range cases {
		values := url.Values{}
		sdkParams := map[string]*string{}
		for name, value := range params {
			values.Set(name, value)
			sdkParams[name] = dara.String(value)
		}
		ours := mpaas.SignV1("secret", mpaas.StringToSignV1("POST", values))
		theirs := dara.StringValue(openapiutil.GetRPCSignature(sdkParams, dara.String("POST"), dara.String("secret")))
		if ours != theirs {
			t.Errorf("params %v: our signature %s, the SDK's %s (string to sign %q)", params, ours, theirs, mpaas.StringToSignV1("POST", values))
		}
	}
}
