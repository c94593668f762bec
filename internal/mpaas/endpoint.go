package mpaas

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// sdkRegions are the regions the official SDK's endpoint map sends to the
// single host mpaas.aliyuncs.com.
var sdkRegions = map[string]bool{
	"cn-hangzhou": true, "cn-shanghai": true, "cn-beijing": true, "cn-shenzhen": true,
	"cn-hongkong": true, "ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true,
	"ap-southeast-5": true, "ap-northeast-1": true, "ap-south-1": true, "eu-central-1": true,
	"eu-west-1": true, "us-east-1": true, "us-west-1": true, "me-east-1": true,
}

// EndpointForRegion returns the API endpoint for a region: the one global
// host mpaas.aliyuncs.com, which serves every region the official SDK maps
// (and its finance regions, cn-*-finance-*). Any other region is an error
// rather than a guessed host name: name the endpoint instead.
func EndpointForRegion(region string) (string, error) {
	region = strings.TrimSpace(region)
	if region == "" || sdkRegions[region] || strings.HasPrefix(region, "cn-") && strings.Contains(region, "finance") {
		return DefaultEndpoint, nil
	}
	return "", fmt.Errorf("region %q has no known mPaaS endpoint (every region the official SDK knows, such as cn-hangzhou, "+
		"is served by %s); set endpoint to the URL of the API instead", region, DefaultEndpoint)
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
