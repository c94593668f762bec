package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// sinkURLEnv names the sink when the provider block has no endpoint;
// roundTripsEnv set to 3 makes each create the minimal protocol's three
// round trips (grant, upload, register) instead of the upload alone.
const (
	sinkURLEnv    = "FLOOR_SINK_URL"
	roundTripsEnv = "FLOOR_ROUND_TRIPS"
)

type floorProvider struct{}

type providerModel struct {
	Endpoint types.String `tfsdk:"endpoint"`
}

// sink is what the provider hands its resources: where to send files and the
// pooled client to send them with.
type sink struct {
	url             string
	client          *http.Client
	minimalProtocol bool // three round trips per create (roundTripsEnv)
}

func newProvider() provider.Provider { return floorProvider{} }

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (floorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The benchmark's floor: uploads files to a sink that discards them.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				Optional:    true,
				Description: "Base URL of the sink (tools/bench/floor/sink); default from " + sinkURLEnv + ".",
			},
		},
	}
}

func (floorProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	url := config.Endpoint.ValueString()
	if url == "" {
		url = os.Getenv(sinkURLEnv)
	}
	if url == "" {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "No sink URL",
			"Set endpoint to the sink's URL (such as http://127.0.0.1:41234) or export "+sinkURLEnv+".")
		return
	}
	resp.ResourceData = &sink{url: strings.TrimSuffix(url, "/"), client: newHTTPClient(), minimalProtocol: os.Getenv(roundTripsEnv) == "3"}
}

// newHTTPClient keeps enough idle connections for Terraform's default
// parallelism, as the real provider's client does (internal/mpaas/client.go).
func newHTTPClient() *http.Client {
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		MaxIdleConns:        32,
		MaxIdleConnsPerHost: 32,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Transport: transport, Timeout: 10 * time.Minute}
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newFileResource}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
