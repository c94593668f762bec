package emulator

import (
	"crypto/md5" //nolint:gosec // comparing with the Md5 field
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

func TestResourceRoundTrip(t *testing.T) {
	e := newEnv(t)
	var vh createMcubeVhostResponse
	e.call(mpaas.ActionCreateVhost, e.params("Vhost", "h5app.example.com"), &vh)
	e.mustCreateApp("12345678", "Demo")
	zipPath := normalZip(t, "12345678")
	fileURL := e.upload(zipPath)
	resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", fileURL, "H5Name", "", "ExtendInfo", `{"asyncReqRate":"1800"}`))
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	id := resp.CreateMcubeNebulaResourceReslult.NebulaResourceId
	if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 1<<31 {
		t.Fatalf("NebulaResourceId %q is not an int64 string above the int32 range", id)
	}

	var get getMcubeNebulaResourceResponse
	e.call(mpaas.ActionGetNebulaResource, e.params("Id", id), &get)
	expectOK(t, get.envelope, get.GetNebulaResourceResult.nebulaResult)
	info := get.GetNebulaResourceResult.NebulaResourceInfo
	zipBytes, _ := os.ReadFile(zipPath)
	wantDownload := e.ts.URL + "/download/ONEX570DA89211721-default/12345678/1.0.0.1_all/nebula/12345678_1.0.0.1.amr"
	switch {
	case strconv.FormatInt(info.Id, 10) != id, info.H5Id != "12345678", info.H5Name != "Demo", info.H5Version != "1.0.0.1":
		t.Errorf("identity fields: %+v", info)
	case info.ResourceType != "0", info.Platform != "Android", info.ClientVersionMin != "10.1.0", info.ClientVersionMax != "":
		t.Errorf("type/target fields: %+v", info)
	case info.AppCode != "ONEX570DA89211721-default", info.MetaId == 0, info.Status != 1, info.Creator != "emulator":
		t.Errorf("bookkeeping fields: %+v", info)
	case info.Vhost != "h5app.example.com":
		t.Errorf("Vhost %q was not filled from the workspace (R5)", info.Vhost)
	case info.DownloadUrl != wantDownload:
		t.Errorf("DownloadUrl = %q, want %q", info.DownloadUrl, wantDownload)
	case info.FallbackBaseUrl != e.ts.URL+"/download/ONEX570DA89211721-default/12345678/1.0.0.1_all/nebula/fallback/":
		t.Errorf("FallbackBaseUrl = %q", info.FallbackBaseUrl)
	case info.FileSize != strconv.Itoa(len(zipBytes)):
		t.Errorf("FileSize = %q, want %d", info.FileSize, len(zipBytes))
	case info.GmtCreate != "2024-01-01 08:00:00" /* testStart in Asia/Shanghai */, info.ExtendInfo != `{"asyncReqRate":"1800"}`, info.MainUrl != "/www/index.html":
		t.Errorf("other fields: %+v", info)
	case info.AutoInstall != 1 || info.InstallType != 1:
		t.Errorf("install fields: %+v", info)
	}

	// The download serves the zip bytes.
	dl, err := http.Get(info.DownloadUrl)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(dl.Body)
	dl.Body.Close()
	if dl.StatusCode != 200 || string(got) != string(zipBytes) {
		t.Fatalf("download: HTTP %d, %d bytes (want %d)", dl.StatusCode, len(got), len(zipBytes))
	}

	var list listMcubeNebulaResourcesResponse
	e.call(mpaas.ActionListNebulaResources, e.params("H5Id", "12345678"), &list)
	lr := list.ListMcubeNebulaResourceResult
	expectOK(t, list.envelope, lr.nebulaResult)
	sum := md5.Sum(zipBytes) //nolint:gosec
	if lr.TotalCount != 1 || len(lr.NebulaResourceInfo) != 1 || lr.NebulaResourceInfo[0].Md5 != hex.EncodeToString(sum[:]) {
		t.Fatalf("list = %+v", lr)
	}

	var missing getMcubeNebulaResourceResponse
	e.call(mpaas.ActionGetNebulaResource, e.params("Id", "999"), &missing)
	expectBiz(t, missing.envelope, missing.GetNebulaResourceResult.nebulaResult, "RESOURCE_NOT_FOUND")
	e.call(mpaas.ActionListNebulaResources, e.params("H5Id", "87654321"), &list)
	expectBiz(t, list.envelope, list.ListMcubeNebulaResourceResult.nebulaResult, "H5APP_NOT_FOUND")
}

func TestResourceWireKeys(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	fileURL := e.upload(normalZip(t, "12345678"))
	status, body := e.send(e.requestV3(mpaas.ActionCreateNebulaResource, e.resourceParams("12345678", "1.0.0.1", fileURL), signing{}))
	if status != 200 || !strings.Contains(string(body), `"CreateMcubeNebulaResourceReslult":{`) || !strings.Contains(string(body), `"NebulaResourceId":"`) {
		t.Fatalf("HTTP %d: %s", status, body)
	}
}

func TestResourceRules(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	good := e.upload(normalZip(t, "12345678"))
	cases := []struct {
		name string
		kv   []string
		code string
	}{
		{"unknown app", []string{"H5Id", "87654321"}, "H5APP_NOT_FOUND"},
		{"bad H5Id", []string{"H5Id", "1234"}, "INVALID_H5ID"},
		{"bad version", []string{"H5Version", "1.0.1"}, "INVALID_PARAMETER"},
		{"bad resource type", []string{"ResourceType", "7"}, "INVALID_PARAMETER"},
		{"missing resource type", []string{"ResourceType", ""}, "INVALID_PARAMETER"},
		{"no platform", []string{"Platform", ""}, "INVALID_PARAMETER"},
		{"unknown platform", []string{"Platform", "Windows"}, "INVALID_PARAMETER"},
		{"bad min", []string{"ClientVersionMin", "ten"}, "INVALID_PARAMETER"},
		{"empty min", []string{"ClientVersionMin", ""}, "INVALID_PARAMETER"},
		{"min above max", []string{"ClientVersionMin", "10.2", "ClientVersionMax", "10.1.9"}, "INVALID_PARAMETER"},
		{"both platforms differing max", []string{"Platform", "all", "ClientVersionMax", "Android:11.0,iOS:12.0"}, "INVALID_PARAMETER"},
		{"relative main url", []string{"MainUrl", "www/index.html"}, "INVALID_PARAMETER"},
		{"extend info not json", []string{"ExtendInfo", "asyncReqRate=1800"}, "INVALID_PARAMETER"},
		{"extend info array", []string{"ExtendInfo", "[1]"}, "INVALID_PARAMETER"},
		{"asyncReqRate too big", []string{"ExtendInfo", `{"asyncReqRate":"86401"}`}, "INVALID_PARAMETER"},
		{"asyncReqRate negative", []string{"ExtendInfo", `{"asyncReqRate":-1}`}, "INVALID_PARAMETER"},
		{"asyncReqRate fraction", []string{"ExtendInfo", `{"asyncReqRate":1.5}`}, "INVALID_PARAMETER"},
		{"asyncReqRate bool", []string{"ExtendInfo", `{"asyncReqRate":true}`}, "INVALID_PARAMETER"},
		{"AutoInstall 2", []string{"AutoInstall", "2"}, "INVALID_PARAMETER"},
		{"InstallType x", []string{"InstallType", "x"}, "INVALID_PARAMETER"},
		{"file not uploaded", []string{"FileUrl", e.ts.URL + "/oss/mds/tempFileForOnex/x/y/z/u/none.zip"}, "FILE_NOT_FOUND"},
		{"file elsewhere", []string{"FileUrl", "https://example.com/a.zip"}, "FILE_NOT_FOUND"},
		{"main url not in zip", []string{"MainUrl", "/www/missing.html"}, "INVALID_PACKAGE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", good, tc.kv...))
			expectBiz(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult, tc.code)
		})
	}
	// Edges that pass: both platforms with one max, asyncReqRate as a number, 0 and 86400.
	for i, kv := range [][]string{
		{"Platform", "all", "ClientVersionMin", "Android:10.0,iOS:11.0", "ClientVersionMax", "20.0"},
		{"ExtendInfo", `{"asyncReqRate":0}`},
		{"ExtendInfo", `{"asyncReqRate":"86400","launchParams":{"a":"b"}}`},
		{"Platform", "iOS", "ClientVersionMax", "10.1.0", "MainUrl", ""},
	} {
		resp := e.createResource(e.resourceParams("12345678", "1.0.0."+strconv.Itoa(i+1), good, kv...))
		expectOK(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	}
	// The same version again.
	resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", good))
	expectBiz(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult, "VERSION_EXISTS")
	// The app is normal now (R6).
	resp = e.createResource(e.resourceParams("12345678", "2.0.0.0", good, "ResourceType", "1"))
	expectBiz(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult, "RESOURCE_TYPE_MISMATCH")
}

func TestResourceBadPackages(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	notZip := t.TempDir() + "/x.zip"
	if err := os.WriteFile(notZip, []byte("this is not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"not a zip":         notZip,
		"wrong top folder":  makeZip(t, map[string]string{"87654321/www/index.html": "x"}),
		"files at the root": makeZip(t, map[string]string{"www/index.html": "x", "12345678/www/index.html": "x"}),
		"zip slip":          makeZip(t, map[string]string{"12345678/../../etc/passwd": "x", "12345678/www/index.html": "x"}),
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", e.upload(path)))
			r := resp.CreateMcubeNebulaResourceReslult
			expectBiz(t, resp.envelope, r.nebulaResult, "INVALID_PACKAGE")
		})
	}
	// Global packages need the mcube-prod.mpaascloud.com folder (R7).
	e.mustCreateApp("12345679", "Global")
	normalLayout := e.upload(normalZip(t, "12345679"))
	resp := e.createResource(e.resourceParams("12345679", "1.0.0.1", normalLayout, "ResourceType", "1", "MainUrl", ""))
	expectBiz(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult, "INVALID_PACKAGE")
	globalLayout := e.upload(makeZip(t, map[string]string{"12345679/mcube-prod.mpaascloud.com/ONEX_default/app.js": "x"}))
	resp = e.createResource(e.resourceParams("12345679", "1.0.0.1", globalLayout, "ResourceType", "1", "MainUrl", ""))
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	// No package file is left behind by the refused ones.
	entries, _ := os.ReadDir(e.dir + "/" + packagesDir)
	if len(entries) != 1 {
		t.Fatalf("packages folder holds %d files, want 1", len(entries))
	}
}

func TestResourceFileFromAnotherScopeNotFound(t *testing.T) {
	e := newEnv(t)
	fileURL := e.upload(normalZip(t, "12345678"))
	e.scope.Set("TenantId", "OTHER")
	e.mustCreateApp("12345678", "Demo")
	resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", fileURL))
	expectBiz(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult, "FILE_NOT_FOUND")
}

func TestUploadAfterCreateDoesNotChangePackage(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	tok := e.fileToken()
	key := tok.Dir + "pkg.zip"
	first := normalZip(t, "12345678")
	f, _ := os.Open(first)
	if status, body := e.postObject(tok.Host, tokenFields(tok, key), f); status != 200 {
		t.Fatalf("HTTP %d %s", status, body)
	}
	f.Close()
	resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", tok.Host+"/"+key))
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	if status, body := e.postObject(tok.Host, tokenFields(tok, key), strings.NewReader("overwritten")); status != 200 {
		t.Fatalf("HTTP %d %s", status, body)
	}
	var get getMcubeNebulaResourceResponse
	e.call(mpaas.ActionGetNebulaResource, e.params("Id", resp.CreateMcubeNebulaResourceReslult.NebulaResourceId), &get)
	dl, err := http.Get(get.GetNebulaResourceResult.NebulaResourceInfo.DownloadUrl)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(dl.Body)
	dl.Body.Close()
	want, _ := os.ReadFile(first)
	if string(got) != string(want) {
		t.Fatal("the stored package changed with a later upload to the same key")
	}
}

func TestListResourcesNewestFirstAndPaged(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	fileURL := e.upload(normalZip(t, "12345678"))
	for _, v := range []string{"1.0.0.9", "1.0.0.10", "0.9.0.0", "1.0.0.2"} {
		resp := e.createResource(e.resourceParams("12345678", v, fileURL))
		expectOK(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	}
	var list listMcubeNebulaResourcesResponse
	e.call(mpaas.ActionListNebulaResources, e.params("H5Id", "12345678", "PageSize", "3"), &list)
	r := list.ListMcubeNebulaResourceResult
	var got []string
	for _, it := range r.NebulaResourceInfo {
		got = append(got, it.H5Version)
	}
	if strings.Join(got, " ") != "1.0.0.10 1.0.0.9 1.0.0.2" || !r.HasMore || r.TotalCount != 4 {
		t.Fatalf("page 1 = %v more=%v total=%d", got, r.HasMore, r.TotalCount)
	}
	e.call(mpaas.ActionListNebulaResources, e.params("H5Id", "12345678", "PageSize", "3", "PageNum", "2"), &list)
	r = list.ListMcubeNebulaResourceResult
	if len(r.NebulaResourceInfo) != 1 || r.NebulaResourceInfo[0].H5Version != "0.9.0.0" || r.HasMore {
		t.Fatalf("page 2 = %+v", r)
	}
}
