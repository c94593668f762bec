package mpaas

import "strings"

// sdkRegions are the regions the official SDK's endpoint map sends to the
// single host mpaas.aliyuncs.com (mpaas-api.md 1.1).
var sdkRegions = map[string]bool{
	"cn-hangzhou": true, "cn-shanghai": true, "cn-beijing": true, "cn-shenzhen": true,
	"cn-hongkong": true, "ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true,
	"ap-southeast-5": true, "ap-northeast-1": true, "ap-south-1": true, "eu-central-1": true,
	"eu-west-1": true, "us-east-1": true, "us-west-1": true, "me-east-1": true,
}

// EndpointForRegion returns the API endpoint the official SDK would use for a
// region: the one global host for every mapped region, and
// https://mpaas.<region>.aliyuncs.com otherwise ([INFERRED]: the SDK builds
// that name for unmapped regions; whether such hosts exist is unknown).
func EndpointForRegion(region string) string {
	region = strings.TrimSpace(region)
	if region == "" || sdkRegions[region] || strings.HasPrefix(region, "cn-") && strings.Contains(region, "finance") {
		return DefaultEndpoint
	}
	return "https://mpaas." + region + ".aliyuncs.com"
}
