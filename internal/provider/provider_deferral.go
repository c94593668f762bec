package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// deferUnknownConfig defers every resource, data source and list of this
// provider when an argument of the provider block is unknown at plan (it
// comes from a resource not created yet, as in a Terraform Stack or a
// configuration that creates the workspace it then fills) and Terraform
// allows deferral. It reports whether it deferred; without deferral an
// unknown argument stays the error Configure reports.
func deferUnknownConfig(ctx context.Context, req provider.ConfigureRequest, config *providerModel, resp *provider.ConfigureResponse) bool {
	unknown := config.unknownArguments()
	if len(unknown) == 0 || !req.ClientCapabilities.DeferralAllowed {
		return false
	}
	tflog.Debug(ctx, "provider configuration not known yet: deferring", map[string]any{"unknown_arguments": unknown})
	resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
	return true
}

// unknownArguments names the arguments of the provider block that are
// unknown, in schema order.
func (m *providerModel) unknownArguments() []string {
	var unknown []string
	for _, setting := range providerSettings {
		if setting.value(m).IsUnknown() {
			unknown = append(unknown, setting.attribute)
		}
	}
	if m.SignatureVersion.IsUnknown() {
		unknown = append(unknown, "signature_version")
	}
	if m.MaxRetries.IsUnknown() {
		unknown = append(unknown, "max_retries")
	}
	return unknown
}
