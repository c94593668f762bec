package emulator_test

// Points the official Alibaba Cloud OpenAPI core for Go (darabonba-openapi/v2,
// the engine every generated SDK, mpaas-20201028/v3 included, calls through)
// at the emulator. The generated mpaas-20201028/v3 module itself cannot be
// fetched from the module proxy here (403), so this test issues the very call
// its CreateMcubeNebulaAppWithOptions / ListMcubeNebulaAppsWithOptions make:
// CallApi with the same Params (POST /, RPC, AK, formData body, JSON answer).

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func sdkParams(action string) *openapi.Params {
	return &openapi.Params{
		Action:      dara.String(action),
		Version:     dara.String(mpaas.APIVersion),
		Protocol:    dara.String("HTTPS"), // the client's Protocol ("http") overrides it
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
}

func TestOfficialSDKCore(t *testing.T) {
	srv, err := emulator.New(emulator.Options{
		DataDir:     filepath.Join(t.TempDir(), "data"),
		Credentials: []emulator.Credential{{AccessKeyID: "sdk-id", AccessKeySecret: "sdk-secret"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	endpoint := strings.TrimPrefix(ts.URL, "http://")

	for i, algorithm := range []string{"", "v2"} {
		name := map[string]string{"": "v3 (default)", "v2": "v1 (SignatureAlgorithm v2)"}[algorithm]
		t.Run(name, func(t *testing.T) {
			config := &openapi.Config{
				AccessKeyId:     dara.String("sdk-id"),
				AccessKeySecret: dara.String("sdk-secret"),
				Endpoint:        dara.String(endpoint),
				Protocol:        dara.String("http"),
				RegionId:        dara.String("cn-hangzhou"),
			}
			if algorithm != "" {
				config.SignatureAlgorithm = dara.String(algorithm)
			}
			client, err := openapi.NewClient(config)
			if err != nil {
				t.Fatal(err)
			}
			h5ID := []string{"12345678", "12345679"}[i]
			body := map[string]interface{}{
				"AppId": dara.String("ONEX570DA89211721"), "WorkspaceId": dara.String("default"), "TenantId": dara.String("TNTABCDE"),
				"H5Id": dara.String(h5ID), "H5Name": dara.String("demo app *~"),
			}
			res, err := client.CallApi(sdkParams(mpaas.ActionCreateNebulaApp), &openapi.OpenApiRequest{Body: body}, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatalf("CreateMcubeNebulaApp: %v", err)
			}
			out, _ := res["body"].(map[string]interface{})
			result, _ := out["CreateNebulaAppResult"].(map[string]interface{})
			if out["ResultCode"] != "OK" || result["Success"] != true {
				t.Fatalf("CreateMcubeNebulaApp answered %v", res)
			}

			list := map[string]interface{}{
				"AppId": dara.String("ONEX570DA89211721"), "WorkspaceId": dara.String("default"), "TenantId": dara.String("TNTABCDE"),
				"Keyword": dara.String(h5ID), "PageNum": dara.Int32(1), "PageSize": dara.Int32(10),
				// Names that are prefixes of each other: signed in name order.
				"Tag": dara.String("a"), "Tag.1": dara.String("b"),
			}
			res, err = client.CallApi(sdkParams(mpaas.ActionListNebulaApps), &openapi.OpenApiRequest{Body: list}, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatalf("ListMcubeNebulaApps: %v", err)
			}
			out, _ = res["body"].(map[string]interface{})
			lr, _ := out["ListMcubeNebulaAppsResult"].(map[string]interface{})
			infos, _ := lr["NebulaAppInfos"].([]interface{})
			if lr["Success"] != true || len(infos) != 1 {
				t.Fatalf("ListMcubeNebulaApps answered %v", res)
			}
			if app, _ := infos[0].(map[string]interface{}); app["H5Id"] != h5ID || app["H5Name"] != "demo app *~" {
				t.Fatalf("listed %v", app)
			}
		})
	}

	// A wrong secret surfaces as the SDK's error with the gateway code.
	client, err := openapi.NewClient(&openapi.Config{
		AccessKeyId: dara.String("sdk-id"), AccessKeySecret: dara.String("wrong"),
		Endpoint: dara.String(endpoint), Protocol: dara.String("http"),
	})
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]interface{}{"AppId": dara.String("A"), "WorkspaceId": dara.String("W"), "TenantId": dara.String("T")}
	_, err = client.CallApi(sdkParams(mpaas.ActionListNebulaApps), &openapi.OpenApiRequest{Body: body}, &dara.RuntimeOptions{})
	if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("wrong secret: err = %v", err)
	}
}
