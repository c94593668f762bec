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
	for _, region := range []string{"", "cn-hangzhou", "ap-southeast-1", "cn-shanghai-finance-1", " cn-beijing "} {
		if got, err := EndpointForRegion(region); err != nil || got != DefaultEndpoint {
			t.Errorf("EndpointForRegion(%q) = %q, %v; want %s", region, got, err, DefaultEndpoint)
		}
	}
	if got, err := EndpointForRegion("xx-nowhere-1"); err == nil {
		t.Errorf("an unknown region must be an error, not the guessed host %q", got)
	}
}
