package validators

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = hostNameValidator{}

type hostNameValidator struct{}

// HostName requires a DNS host name such as h5app.example.com (no scheme, port or path).
func HostName() validator.String { return hostNameValidator{} }

func (hostNameValidator) Description(_ context.Context) string {
	return "must be a DNS host name such as h5.example.com, without scheme, port or path"
}

func (v hostNameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v hostNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := CheckHostName(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid host name", msg)
	}
}

// CheckHostName returns why name is not a DNS host name, or "".
func CheckHostName(name string) string {
	if strings.Contains(name, "://") || strings.ContainsAny(name, "/:?#@ ") {
		return "\"" + name + "\" must be a bare host name such as h5.example.com: remove any scheme (https://), port, path or spaces."
	}
	if len(name) == 0 || len(name) > 253 {
		return "A host name must be 1 to 253 characters long."
	}
	labels := strings.Split(strings.TrimSuffix(name, "."), ".")
	if len(labels) < 2 {
		return "\"" + name + "\" must have at least two labels, such as example.com."
	}
	for _, label := range labels {
		if msg := checkLabel(label); msg != "" {
			return "\"" + name + "\": " + msg
		}
	}
	return ""
}

func checkLabel(label string) string {
	if label == "" || len(label) > 63 {
		return "each dot-separated label must be 1 to 63 characters long."
	}
	if label[0] == '-' || label[len(label)-1] == '-' {
		return "a label must not start or end with a hyphen."
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return "labels may contain only letters, digits and hyphens."
		}
	}
	return ""
}
