package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func TestAppRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")

	var list listMcubeNebulaAppsResponse
	e.call(mpaas.ActionListNebulaApps, e.params("Keyword", "1234"), &list)
	r := list.ListMcubeNebulaAppsResult
	expectOK(t, list.envelope, r.nebulaResult)
	if len(r.NebulaAppInfos) != 1 || r.NebulaAppInfos[0] != (nebulaAppInfo{H5Id: "12345678", H5Name: "Demo"}) || r.TotalCount != 1 || r.HasMore {
		t.Fatalf("list = %+v", r)
	}

	// Another scope sees nothing.
	other := e.params()
	other.Set("TenantId", "OTHER")
	e.call(mpaas.ActionListNebulaApps, other, &list)
	if n := len(list.ListMcubeNebulaAppsResult.NebulaAppInfos); n != 0 {
		t.Fatalf("another tenant sees %d apps", n)
	}

	var del deleteMcubeNebulaAppResponse
	e.call(mpaas.ActionDeleteNebulaApp, e.params("H5Id", "12345678"), &del)
	expectOK(t, del.envelope, *del.DeleteMcubeNebulaAppResult)
	e.call(mpaas.ActionDeleteNebulaApp, e.params("H5Id", "12345678"), &del)
	expectBiz(t, del.envelope, *del.DeleteMcubeNebulaAppResult, "H5APP_NOT_FOUND")
}

func TestAppResponseKeysOnTheWire(t *testing.T) {
	e := newEnv(t)
	status, body := e.send(e.requestV3(mpaas.ActionCreateNebulaApp, e.params("H5Id", "12345678", "H5Name", "x"), signing{}))
	if status != 200 {
		t.Fatalf("HTTP %d", status)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"RequestId", "ResultCode", "ResultMessage", "CreateNebulaAppResult"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("key %s missing from %s", k, body)
		}
	}
	var inner map[string]json.RawMessage
	_ = json.Unmarshal(raw["CreateNebulaAppResult"], &inner)
	for _, k := range []string{"Success", "ResultMsg", "ErrorCode", "RequestId"} {
		if _, ok := inner[k]; !ok {
			t.Errorf("key %s missing from the result %s", k, raw["CreateNebulaAppResult"])
		}
	}
}

func TestCreateAppRules(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		id, name, code, rule string
	}{
		{"1234567", "x", "INVALID_H5ID", "R2"},
		{"1234567a", "x", "INVALID_H5ID", "R2"},
		{"123456789", "x", "INVALID_H5ID", "R2"},
		{"20000196", "x", "INVALID_H5ID", "R3"},
		{"66666692", "x", "INVALID_H5ID", "R3"},
		{"66666601", "x", "INVALID_H5ID", "R4"},
		{"20000123", "x", "INVALID_H5ID", "R4"},
		{"12345678", "", "INVALID_PARAMETER", ""},
		{"12345678", "bad\x01name", "INVALID_PARAMETER", ""},
	}
	for _, tc := range cases {
		resp := e.createApp(tc.id, tc.name)
		expectBiz(t, resp.envelope, *resp.CreateNebulaAppResult, tc.code)
		if tc.rule != "" && !strings.Contains(resp.CreateNebulaAppResult.ResultMsg, tc.rule) {
			t.Errorf("%s: message %q does not name %s", tc.id, resp.CreateNebulaAppResult.ResultMsg, tc.rule)
		}
	}
	e.mustCreateApp("12345678", "x")
	resp := e.createApp("12345678", "y")
	expectBiz(t, resp.envelope, *resp.CreateNebulaAppResult, "H5APP_EXISTS")
}

func TestListAppsPaging(t *testing.T) {
	e := newEnv(t)
	for i := 25; i > 0; i-- {
		e.mustCreateApp(fmt.Sprintf("100000%02d", i), fmt.Sprintf("app %d", i))
	}
	var list listMcubeNebulaAppsResponse
	e.call(mpaas.ActionListNebulaApps, e.params(), &list)
	r := list.ListMcubeNebulaAppsResult
	if r.TotalCount != 25 || r.PageSize != 20 || r.CurrentPage != 1 || !r.HasMore || len(r.NebulaAppInfos) != 20 || r.NebulaAppInfos[0].H5Id != "10000001" {
		t.Fatalf("page 1 = total %d size %d page %d more %v len %d first %v", r.TotalCount, r.PageSize, r.CurrentPage, r.HasMore, len(r.NebulaAppInfos), r.NebulaAppInfos[0])
	}
	e.call(mpaas.ActionListNebulaApps, e.params("PageNum", "3", "PageSize", "10"), &list)
	r = list.ListMcubeNebulaAppsResult
	if r.TotalCount != 25 || r.HasMore || len(r.NebulaAppInfos) != 5 || r.NebulaAppInfos[0].H5Id != "10000021" {
		t.Fatalf("page 3 = %+v", r)
	}
	e.call(mpaas.ActionListNebulaApps, e.params("PageNum", "2", "PageSize", "10"), &list)
	if !list.ListMcubeNebulaAppsResult.HasMore {
		t.Fatal("page 2 of 3 says no more")
	}
	e.call(mpaas.ActionListNebulaApps, e.params("PageNum", "9", "PageSize", "10"), &list)
	if r := list.ListMcubeNebulaAppsResult; len(r.NebulaAppInfos) != 0 || r.HasMore || r.NebulaAppInfos == nil {
		t.Fatalf("past the end = %+v", r)
	}
	e.call(mpaas.ActionListNebulaApps, e.params("PageSize", "1000"), &list)
	if r := list.ListMcubeNebulaAppsResult; r.PageSize != 100 || len(r.NebulaAppInfos) != 25 {
		t.Fatalf("PageSize is not capped at 100: %d", r.PageSize)
	}
	e.call(mpaas.ActionListNebulaApps, e.params("Keyword", "app 2"), &list)
	if r := list.ListMcubeNebulaAppsResult; r.TotalCount != 7 { // app 2, app 20..25
		t.Fatalf("keyword on name matched %d", r.TotalCount)
	}
	e.call(mpaas.ActionListNebulaApps, e.params("PageNum", "x"), &list)
	expectBiz(t, list.envelope, list.ListMcubeNebulaAppsResult.nebulaResult, "INVALID_PARAMETER")
}

func TestVhostAndRsaKey(t *testing.T) {
	e := newEnv(t)
	var q queryMcubeVhostResponse
	e.call(mpaas.ActionQueryVhost, e.params(), &q)
	if !q.QueryVhostResult.Success || q.QueryVhostResult.Data != "" {
		t.Fatalf("unset vhost = %+v", q.QueryVhostResult)
	}
	var c createMcubeVhostResponse
	for _, bad := range []string{"", "https://h5app.com", "h5app.com:443", "-a.com", "a..com", "a_b.com", strings.Repeat("a", 64) + ".com"} {
		e.call(mpaas.ActionCreateVhost, e.params("Vhost", bad), &c)
		if c.ResultCode != "OK" || c.CreateVhostResult.Success || !strings.HasPrefix(c.CreateVhostResult.ResultMsg, "INVALID_PARAMETER") {
			t.Errorf("vhost %q accepted or wrongly shaped: %+v", bad, c.CreateVhostResult)
		}
	}
	e.call(mpaas.ActionCreateVhost, e.params("Vhost", "h5app.example.com"), &c)
	if !c.CreateVhostResult.Success || c.CreateVhostResult.Data != "success" {
		t.Fatalf("create vhost = %+v", c.CreateVhostResult)
	}
	e.call(mpaas.ActionQueryVhost, e.params(), &q)
	if q.QueryVhostResult.Data != "h5app.example.com" {
		t.Fatalf("vhost = %q", q.QueryVhostResult.Data)
	}

	var ex existMcubeRsaKeyResponse
	e.call(mpaas.ActionExistRsaKey, e.params(), &ex)
	if ex.CheckRsaKeyResult.Data != "false" {
		t.Fatalf("exist before upload = %+v", ex.CheckRsaKeyResult)
	}
	var up uploadMcubeRsaKeyResponse
	e.call(mpaas.ActionUploadRsaKey, e.params("FileUrl", e.ts.URL+"/oss/nothing", "OnexFlag", "true"), &up)
	if up.UploadRsaResult.Success || !strings.HasPrefix(up.UploadRsaResult.ResultMsg, "FILE_NOT_FOUND") {
		t.Fatalf("upload of a missing key = %+v", up.UploadRsaResult)
	}
	key := testRSAKeyPEM(t)
	for name, content := range map[string]string{
		"a zip":               readFile(t, makeZip(t, map[string]string{"k": "-----BEGIN PRIVATE KEY-----"})),
		"half the key":        key[:len(key)/2],
		"a corrupted key":     strings.Replace(key, "MII", "XXX", 1),
		"a public key header": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
	} {
		e.call(mpaas.ActionUploadRsaKey, e.params("FileUrl", e.upload(writeTemp(t, content)), "OnexFlag", "true"), &up)
		if up.UploadRsaResult.Success || !strings.HasPrefix(up.UploadRsaResult.ResultMsg, "INVALID_RSA_KEY") {
			t.Fatalf("upload of %s as the key = %+v; want INVALID_RSA_KEY", name, up.UploadRsaResult)
		}
	}
	e.call(mpaas.ActionExistRsaKey, e.params(), &ex)
	if ex.CheckRsaKeyResult.Data != "false" {
		t.Fatalf("exist after refused uploads = %+v", ex.CheckRsaKeyResult)
	}
	e.call(mpaas.ActionUploadRsaKey, e.params("FileUrl", e.upload(writeTemp(t, key)), "OnexFlag", "true"), &up)
	if !up.UploadRsaResult.Success || up.UploadRsaResult.Data != "success" {
		t.Fatalf("upload key = %+v", up.UploadRsaResult)
	}
	scope := e.scopeKey()
	if stored, err := e.srv.StoredRsaKey(scope.AppID, scope.WorkspaceID, scope.TenantID); err != nil || string(stored) != key {
		t.Fatalf("the emulator stores %d bytes (%v), not the %d bytes of the key uploaded", len(stored), err, len(key))
	}
	e.call(mpaas.ActionExistRsaKey, e.params(), &ex)
	if ex.CheckRsaKeyResult.Data != "true" {
		t.Fatalf("exist after upload = %+v", ex.CheckRsaKeyResult)
	}
}

// testRSAKeyPEM is a fresh PKCS#1 RSA private key in PEM.
func testRSAKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(content)
}
