package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/emulator"
)

// userAgentRecorder passes requests to the emulator and keeps every
// User-Agent it saw.
type userAgentRecorder struct {
	next http.Handler

	mu     sync.Mutex
	agents []string
}

func (r *userAgentRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.agents = append(r.agents, req.Header.Get("User-Agent"))
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

func (r *userAgentRecorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.agents...)
}

// providerConfig builds the provider's configuration from string settings;
// every attribute not given is null, as when it is left out of the block.
func providerConfig(t *testing.T, p provider.Provider, settings map[string]string) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is not an object: %T", schemaResp.Schema.Type().TerraformType(ctx))
	}
	values := make(map[string]tftypes.Value, len(objectType.AttributeTypes))
	for name, attributeType := range objectType.AttributeTypes {
		if setting, given := settings[name]; given {
			values[name] = tftypes.NewValue(attributeType, setting)
		} else {
			values[name] = tftypes.NewValue(attributeType, nil)
		}
	}
	return tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, values)}
}

func TestProviderUserAgentCarriesVersion(t *testing.T) {
	clearProviderEnv(t)
	emu, err := emulator.New(emulator.Options{
		DataDir:     t.TempDir(),
		Credentials: []emulator.Credential{{AccessKeyID: testAccessKeyID, AccessKeySecret: testAccessKeySecret}},
	})
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	recorder := &userAgentRecorder{next: emu}
	server := httptest.NewServer(recorder)
	t.Cleanup(func() {
		server.Close()
		_ = emu.Close()
	})

	p := New("1.2.3")()
	var metadata provider.MetadataResponse
	p.Metadata(context.Background(), provider.MetadataRequest{}, &metadata)
	if metadata.Version != "1.2.3" {
		t.Errorf("Metadata version = %q, want %q", metadata.Version, "1.2.3")
	}

	config := providerConfig(t, p, map[string]string{
		"endpoint": server.URL, "access_key": testAccessKeyID, "secret_key": testAccessKeySecret,
		"app_id": testAppID, "workspace_id": testWorkspaceID, "tenant_id": testTenantID,
	})
	var configured provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: config}, &configured)
	if configured.Diagnostics.HasError() {
		t.Fatalf("Configure: %v", configured.Diagnostics)
	}
	data, ok := configured.ResourceData.(*providerData)
	if !ok {
		t.Fatalf("ResourceData is %T, want *providerData", configured.ResourceData)
	}
	if _, err := data.client.ListApps(context.Background(), ""); err != nil {
		t.Fatalf("list H5Apps through the configured client: %v", err)
	}

	if calls := emu.Stats()["ListMcubeNebulaApps"]; calls != 1 {
		t.Errorf("the emulator answered %d ListMcubeNebulaApps calls, want 1", calls)
	}
	agents := recorder.seen()
	if len(agents) != 1 {
		t.Fatalf("the emulator saw %d requests (%q), want 1", len(agents), agents)
	}
	if want := "terraform-provider-mpaas/1.2.3"; agents[0] != want {
		t.Errorf("User-Agent = %q, want %q", agents[0], want)
	}
}
