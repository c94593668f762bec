package mpaas

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// sdkRegions are the region IDs the official SDK's endpoint map
// (alibabacloud-go/mpaas-20201028 v3.3.0, client/client.go) sends to the
// single host mpaas.aliyuncs.com (DefaultEndpoint).
var sdkRegions = map[string]bool{
	"cn-hangzhou": true, "ap-northeast-1": true, "ap-northeast-2-pop": true, "ap-south-1": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true, "ap-southeast-5": true,
	"cn-beijing": true, "cn-beijing-finance-1": true, "cn-beijing-finance-pop": true, "cn-beijing-gov-1": true,
	"cn-beijing-nu16-b01": true, "cn-chengdu": true, "cn-edge-1": true, "cn-fujian": true,
	"cn-haidian-cm12-c01": true, "cn-hangzhou-bj-b01": true, "cn-hangzhou-finance": true, "cn-hangzhou-internal-prod-1": true,
	"cn-hangzhou-internal-test-1": true, "cn-hangzhou-internal-test-2": true, "cn-hangzhou-internal-test-3": true, "cn-hangzhou-test-306": true,
	"cn-hongkong": true, "cn-hongkong-finance-pop": true, "cn-huhehaote": true, "cn-north-2-gov-1": true,
	"cn-qingdao": true, "cn-qingdao-nebula": true, "cn-shanghai": true, "cn-shanghai-et15-b01": true,
	"cn-shanghai-et2-b01": true, "cn-shanghai-finance-1": true, "cn-shanghai-inner": true, "cn-shanghai-internal-test-1": true,
	"cn-shenzhen": true, "cn-shenzhen-finance-1": true, "cn-shenzhen-inner": true, "cn-shenzhen-st4-d01": true,
	"cn-shenzhen-su18-b01": true, "cn-wuhan": true, "cn-yushanfang": true, "cn-zhangbei-na61-b01": true,
	"cn-zhangjiakou": true, "cn-zhangjiakou-na62-a01": true, "cn-zhengzhou-nebula-1": true, "eu-central-1": true,
	"eu-west-1": true, "eu-west-1-oxs": true, "me-east-1": true, "rus-west-1-pop": true,
	"us-east-1": true, "us-west-1": true,
}

// regionID is the shape of an Alibaba Cloud region ID: lower-case words of
// letters and digits joined by single hyphens.
var regionID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// EndpointForRegion returns the API endpoint for a region as the official
// SDK chooses it: mpaas.aliyuncs.com for every region of its endpoint map
// (and for ""), otherwise its regional rule, https://mpaas.<region>.aliyuncs.com.
// A value that is not shaped like a region ID is an error.
func EndpointForRegion(region string) (string, error) {
	region = strings.TrimSpace(region)
	switch {
	case region == "" || sdkRegions[region]:
		return DefaultEndpoint, nil
	case !regionID.MatchString(region) || len(region) > 63:
		return "", fmt.Errorf("region %q is not an Alibaba Cloud region ID such as cn-hangzhou (lower-case letters, digits and single hyphens)", region)
	}
	return "https://mpaas." + region + ".aliyuncs.com", nil
}

// ParseEndpoint is the one check of an API endpoint, for the client, the
// provider's configuration and the tools: https://host[:port][/] or, for
// loopback hosts only, http://host[:port][/]. A value without a scheme is
// taken as https. It returns the endpoint as scheme://host[:port].
func ParseEndpoint(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a valid URL: %w", raw, err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("endpoint %q has no host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("endpoint %q must not contain user information", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q must be scheme://host[:port] without a path or query (every call is POST /)", raw)
	}
	if err := checkScheme(u, "endpoint"); err != nil {
		return nil, err
	}
	return &url.URL{Scheme: strings.ToLower(u.Scheme), Host: u.Host}, nil
}

// checkScheme allows https everywhere and http only for loopback hosts.
func checkScheme(u *url.URL, what string) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%s %q uses http://, which is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost); use https://", what, u.Redacted())
	}
	return fmt.Errorf("%s %q must use https:// (or http:// for a loopback host)", what, u.Redacted())
}

// IsLoopbackHost reports whether host (without port) is localhost, an address
// in 127.0.0.0/8, or ::1.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
