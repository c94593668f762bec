package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The Terraform CLI asks for deferral (-allow-deferral) only in experimental
// builds, which the acceptance tests do not have; so these tests speak the
// plugin protocol to the provider server as Terraform does: ConfigureProvider
// with an unknown argument, then PlanResourceChange of a resource.
func TestProviderDefersUnknownConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name          string
		unknown       string
		allowDeferral bool
		wantDeferred  bool
		wantError     string
	}{
		{name: "unknown access_key, deferral allowed", unknown: "access_key", allowDeferral: true, wantDeferred: true},
		{name: "unknown endpoint, deferral allowed", unknown: "endpoint", allowDeferral: true, wantDeferred: true},
		{name: "unknown max_retries, deferral allowed", unknown: "max_retries", allowDeferral: true, wantDeferred: true},
		{name: "unknown access_key, no deferral", unknown: "access_key", wantError: "Unknown provider argument"},
		{name: "all known, deferral allowed", allowDeferral: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			server := newProviderServer(t)
			ctx := context.Background()
			schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				t.Fatal(err)
			}
			config := providerConfigValue(t, schemas.Provider, tc.unknown)
			configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
				Config:             config,
				ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: tc.allowDeferral},
			})
			if err != nil {
				t.Fatal(err)
			}
			checkDiagnostics(t, "ConfigureProvider", configured.Diagnostics, tc.wantError)
			if tc.wantError != "" {
				return
			}
			// Deferred, every resource is deferred without reaching the API.
			planned, err := server.PlanResourceChange(ctx, h5AppPlanRequest(t, schemas.ResourceSchemas["mpaas_h5app"]))
			if err != nil {
				t.Fatal(err)
			}
			if got := planned.Deferred != nil; got != tc.wantDeferred {
				t.Fatalf("PlanResourceChange of mpaas_h5app deferred = %v, want %v", got, tc.wantDeferred)
			}
			if !tc.wantDeferred {
				return
			}
			checkDiagnostics(t, "PlanResourceChange", planned.Diagnostics, "")
			if planned.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
				t.Errorf("PlanResourceChange of mpaas_h5app deferred for %v, want ProviderConfigUnknown", planned.Deferred.Reason)
			}
		})
	}
}

func newProviderServer(t *testing.T) tfprotov6.ProviderServer {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	return server
}

// checkDiagnostics fails unless the diagnostics hold no error (wantError
// "") or an error whose summary contains wantError.
func checkDiagnostics(t *testing.T, call string, diags []*tfprotov6.Diagnostic, wantError string) {
	t.Helper()
	var errs []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, d.Summary+": "+d.Detail)
		}
	}
	switch {
	case wantError == "" && len(errs) > 0:
		t.Fatalf("%s: unexpected errors %q", call, errs)
	case wantError != "" && (len(errs) == 0 || !strings.Contains(errs[0], wantError)):
		t.Fatalf("%s: errors %q, want one about %q", call, errs, wantError)
	}
}

// providerConfigValue is a complete provider configuration (a local
// emulator address; nothing is called) with the argument unknown unknown.
func providerConfigValue(t *testing.T, schema *tfprotov6.Schema, unknown string) *tfprotov6.DynamicValue {
	t.Helper()
	known := map[string]any{
		"endpoint": "http://127.0.0.1:9", "access_key": testAccessKeyID, "secret_key": testAccessKeySecret,
		"app_id": testAppID, "workspace_id": testWorkspaceID, "tenant_id": testTenantID, "max_retries": int64(1),
	}
	return objectValue(t, schema.ValueType(), known, unknown)
}

// h5AppPlanRequest plans a new mpaas_h5app with a known ID and name.
func h5AppPlanRequest(t *testing.T, schema *tfprotov6.Schema) *tfprotov6.PlanResourceChangeRequest {
	t.Helper()
	objectType := schema.ValueType()
	config := objectValue(t, objectType, map[string]any{"h5app_id": "12345678", "name": "deferred"}, "")
	return &tfprotov6.PlanResourceChangeRequest{
		TypeName:           "mpaas_h5app",
		PriorState:         objectValue(t, objectType, nil, ""),
		ProposedNewState:   config,
		Config:             config,
		ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: true},
	}
}

// objectValue is an object of objectType whose attributes hold values
// (nil values for a null object), the one named unknown unknown and the
// others null.
func objectValue(t *testing.T, objectType tftypes.Type, values map[string]any, unknown string) *tfprotov6.DynamicValue {
	t.Helper()
	object, ok := objectType.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", objectType)
	}
	var value tftypes.Value
	if values == nil {
		value = tftypes.NewValue(object, nil)
	} else {
		attributes := map[string]tftypes.Value{}
		for name, typ := range object.AttributeTypes {
			switch {
			case name == unknown:
				attributes[name] = tftypes.NewValue(typ, tftypes.UnknownValue)
			case values[name] != nil:
				attributes[name] = tftypes.NewValue(typ, values[name])
			default:
				attributes[name] = tftypes.NewValue(typ, nil)
			}
		}
		value = tftypes.NewValue(object, attributes)
	}
	dynamic, err := tfprotov6.NewDynamicValue(objectType, value)
	if err != nil {
		t.Fatal(err)
	}
	return &dynamic
}
