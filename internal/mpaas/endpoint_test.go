package mpaas

import "testing"

func TestParseEndpoint(t *testing.T) {
	cases := map[string]string{ // endpoint -> the parsed form, "" when refused
		"https://mpaas.aliyuncs.com":   "https://mpaas.aliyuncs.com",
		"https://mpaas.aliyuncs.com/":  "https://mpaas.aliyuncs.com",
		"mpaas.aliyuncs.com":           "https://mpaas.aliyuncs.com",
		"HTTPS://mpaas.aliyuncs.com":   "https://mpaas.aliyuncs.com",
		"http://127.0.0.1:8080":        "http://127.0.0.1:8080",
		"http://localhost:1":           "http://localhost:1",
		"http://[::1]:9":               "http://[::1]:9",
		"http://10.0.0.1":              "",
		"http://mpaas.example.com":     "",
		"ftp://mpaas.aliyuncs.com":     "",
		"https://user:pw@example.com":  "",
		"https://example.com/api":      "",
		"https://example.com/?a=b":     "",
		"https://":                     "",
		"https://mpaas.aliyuncs.com#x": "",
	}
	for endpoint, want := range cases {
		got, err := ParseEndpoint(endpoint)
		switch {
		case want == "" && err == nil:
			t.Errorf("ParseEndpoint(%q) = %s, want an error", endpoint, got)
		case want != "" && (err != nil || got.String() != want):
			t.Errorf("ParseEndpoint(%q) = %v, %v; want %s", endpoint, got, err, want)
		}
	}
}

func TestEndpointForRegion(t *testing.T) {
	cases := map[string]string{ // region -> endpoint, "" when refused
		"":                       DefaultEndpoint,
		"cn-hangzhou":            DefaultEndpoint,
		" cn-beijing ":           DefaultEndpoint,
		"cn-qingdao":             DefaultEndpoint,
		"cn-zhangjiakou":         DefaultEndpoint,
		"cn-chengdu":             DefaultEndpoint,
		"cn-wuhan":               DefaultEndpoint,
		"cn-fujian":              DefaultEndpoint,
		"cn-shanghai-finance-1":  DefaultEndpoint,
		"cn-north-2-gov-1":       DefaultEndpoint,
		"ap-southeast-5":         DefaultEndpoint,
		"rus-west-1-pop":         DefaultEndpoint,
		"us-east-1":              DefaultEndpoint,
		"cn-guangzhou":           "https://mpaas.cn-guangzhou.aliyuncs.com",
		"ap-southeast-6":         "https://mpaas.ap-southeast-6.aliyuncs.com",
		"cn-shenzhen-finance-2":  "https://mpaas.cn-shenzhen-finance-2.aliyuncs.com",
		"CN-HANGZHOU":            "",
		"cn hangzhou":            "",
		"cn-hangzhou.evil.com/x": "",
		"cn--hangzhou":           "",
		"-cn":                    "",
	}
	for region, want := range cases {
		got, err := EndpointForRegion(region)
		switch {
		case want == "" && err == nil:
			t.Errorf("EndpointForRegion(%q) = %q, want an error", region, got)
		case want != "" && (err != nil || got != want):
			t.Errorf("EndpointForRegion(%q) = %q, %v; want %s", region, got, err, want)
		}
		if err == nil {
			if _, parseErr := ParseEndpoint(got); parseErr != nil {
				t.Errorf("EndpointForRegion(%q) = %q, which ParseEndpoint refuses: %v", region, got, parseErr)
			}
		}
	}
	if len(sdkRegions) != 54 {
		t.Errorf("the SDK's endpoint map has 54 regions, sdkRegions %d", len(sdkRegions))
	}
}
