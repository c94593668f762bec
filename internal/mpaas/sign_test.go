package mpaas

import (
	"net/url"
	"testing"
)

// The published signature test vectors for V1 and V3, reproduced byte for byte.

var describeRegionsParams = url.Values{
	"AccessKeyId":      {"testid"},
	"Action":           {"DescribeRegions"},
	"Format":           {"XML"},
	"SignatureMethod":  {"HMAC-SHA1"},
	"SignatureNonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
	"SignatureVersion": {"1.0"},
	"Timestamp":        {"2016-02-23T12:46:24Z"},
	"Version":          {"2014-05-26"},
}

func TestSignV1PublishedVector(t *testing.T) {
	wantStringToSign := "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	got := StringToSignV1("GET", describeRegionsParams)
	if got != wantStringToSign {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, wantStringToSign)
	}
	if sig := SignV1("testsecret", got); sig != "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" {
		t.Fatalf("GET signature = %s", sig)
	}
	if sig := SignV1("testsecret", StringToSignV1("POST", describeRegionsParams)); sig != "MxbnVAM4w6sft9xjVpe/GCKueuk=" {
		t.Fatalf("POST signature = %s", sig)
	}
}

func TestSignV1IgnoresSignatureParameter(t *testing.T) {
	withSignature := url.Values{}
	for k, v := range describeRegionsParams {
		withSignature[k] = v
	}
	withSignature.Set("Signature", "anything")
	if StringToSignV1("GET", withSignature) != StringToSignV1("GET", describeRegionsParams) {
		t.Fatal("Signature must not take part in the string to sign")
	}
}

func TestSignV1MpaasVector(t *testing.T) {
	body := "AppId=ONEX570DA89211721&H5Id=12345678&H5Name=demo+app&TenantId=TNTABCDE&WorkspaceId=default"
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	params := url.Values{
		"Action":           {"CreateMcubeNebulaApp"},
		"Version":          {"2020-10-28"},
		"Format":           {"json"},
		"Timestamp":        {"2024-01-01T00:00:00Z"},
		"SignatureNonce":   {"0123456789abcdef0123456789abcdef"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureVersion": {"1.0"},
		"AccessKeyId":      {"testid"},
	}
	for k, v := range form {
		params[k] = v
	}
	want := "POST&%2F&AccessKeyId%3Dtestid%26Action%3DCreateMcubeNebulaApp%26AppId%3DONEX570DA89211721%26Format%3Djson%26H5Id%3D12345678%26H5Name%3Ddemo%2520app%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureVersion%3D1.0%26TenantId%3DTNTABCDE%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2020-10-28%26WorkspaceId%3Ddefault"
	got := StringToSignV1("POST", params)
	if got != want {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, want)
	}
	if sig := SignV1("testsecret", got); sig != "UnvekcHUmB/KcOnlfEp8X352z9k=" {
		t.Fatalf("signature = %s", sig)
	}
	encoded := url.Values{"AppId": {"ONEX570DA89211721"}, "H5Id": {"12345678"}, "H5Name": {"demo app"}, "TenantId": {"TNTABCDE"}, "WorkspaceId": {"default"}}.Encode()
	if encoded != body {
		t.Fatalf("form body = %s", encoded)
	}
}

func TestSignV3PublishedVector(t *testing.T) {
	query := url.Values{
		"ImageId":  {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
		"RegionId": {"cn-shanghai"},
	}
	headers := map[string]string{
		"host":                  "ecs.cn-shanghai.aliyuncs.com",
		"x-acs-action":          "RunInstances",
		"x-acs-version":         "2014-05-26",
		"x-acs-date":            "2023-10-26T10:22:32Z",
		"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
		"x-acs-content-sha256":  EmptyPayloadSHA256,
	}
	wantCanonical := "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
		"host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n" +
		"x-acs-version:2014-05-26\n\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	canonical := CanonicalRequestV3("POST", "/", query, headers, HexSHA256(nil))
	if canonical != wantCanonical {
		t.Fatalf("canonical request:\n got %q\nwant %q", canonical, wantCanonical)
	}
	if got := HexSHA256([]byte(canonical)); got != "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259" {
		t.Fatalf("hashed canonical request = %s", got)
	}
	if got := StringToSignV3(canonical); got != "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259" {
		t.Fatalf("string to sign = %q", got)
	}
	want := "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	if got := AuthorizationV3("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", query, headers, EmptyPayloadSHA256); got != want {
		t.Fatalf("authorization:\n got %s\nwant %s", got, want)
	}
}

func TestSignV3MpaasVector(t *testing.T) {
	body := "AppId=ONEX570DA89211721&H5Id=12345678&H5Name=demo+app&TenantId=TNTABCDE&WorkspaceId=default"
	payloadHash := HexSHA256([]byte(body))
	if payloadHash != "53939cb87c54d74d466c4ffd2eb57b66767ef21241657eb33b07173b3c6b1079" {
		t.Fatalf("payload hash = %s", payloadHash)
	}
	headers := map[string]string{
		"content-type":          "application/x-www-form-urlencoded",
		"host":                  "mpaas.aliyuncs.com",
		"x-acs-action":          "CreateMcubeNebulaApp",
		"x-acs-content-sha256":  payloadHash,
		"x-acs-date":            "2024-01-01T00:00:00Z",
		"x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
		"x-acs-version":         "2020-10-28",
	}
	canonical := CanonicalRequestV3("POST", "/", nil, headers, payloadHash)
	if got := HexSHA256([]byte(canonical)); got != "a3f32f8540737f3bbb7f267a66ffbd3afaa5d16e5095533a545d797823fc31d5" {
		t.Fatalf("hashed canonical request = %s\n%s", got, canonical)
	}
	want := "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=af68045c8d3d000701c7e6942dac26015843cfa39df2a733af364975fbab58cd"
	got := AuthorizationV3("testid", "testsecret", "POST", "/", nil, headers, payloadHash)
	if got != want {
		t.Fatalf("authorization:\n got %s\nwant %s", got, want)
	}
	parsed, ok := ParseAuthorizationV3(got)
	if !ok || parsed.Credential != "testid" || len(parsed.SignedHeaders) != 7 || parsed.Signature != "af68045c8d3d000701c7e6942dac26015843cfa39df2a733af364975fbab58cd" {
		t.Fatalf("parse = %+v, %v", parsed, ok)
	}
}

func TestPercentEncode(t *testing.T) {
	cases := map[string]string{
		"a b":       "a%20b",
		"*":         "%2A",
		"~":         "~",
		"a+b":       "a%2Bb",
		"/":         "%2F",
		"中":         "%E4%B8%AD",
		"AZaz09-_.": "AZaz09-_.",
	}
	for in, want := range cases {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAuthorizationV3Rejects(t *testing.T) {
	for _, value := range []string{"", "HMAC-SHA1 x", "ACS3-HMAC-SHA256 Credential=a", "ACS3-HMAC-SHA256 garbage"} {
		if _, ok := ParseAuthorizationV3(value); ok {
			t.Errorf("ParseAuthorizationV3(%q) accepted", value)
		}
	}
}

// Parameters whose names are prefixes of each other sort by name, as the
// official SDK's core sorts them; sorting the name=value pairs would put
// "Tag.1=" before "Tag=" and sign another string.
func TestCanonicalQueryStringSortsByName(t *testing.T) {
	params := url.Values{"Tag.1": {"b"}, "Tag": {"a"}, "Tag.10": {"c"}, "TagA": {"d"}}
	if got, want := CanonicalQueryString(params), "Tag=a&Tag.1=b&Tag.10=c&TagA=d"; got != want {
		t.Fatalf("CanonicalQueryString = %q, want %q", got, want)
	}
}
