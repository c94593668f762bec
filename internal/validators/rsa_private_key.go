package validators

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = rsaPrivateKeyValidator{}

type rsaPrivateKeyValidator struct{}

// RSAPrivateKey requires a PEM RSA private key (PKCS#1 or PKCS#8).
func RSAPrivateKey() validator.String { return rsaPrivateKeyValidator{} }

func (rsaPrivateKeyValidator) Description(context.Context) string {
	return "must be a PEM-encoded RSA private key (PKCS#1 or PKCS#8)"
}

func (v rsaPrivateKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (rsaPrivateKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := CheckRSAPrivateKey([]byte(req.ConfigValue.ValueString())); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid RSA private key", msg)
	}
}

// CheckRSAPrivateKey says why pemBytes is not a usable RSA private key, or "".
// Messages never quote the key.
func CheckRSAPrivateKey(pemBytes []byte) string {
	block, rest := pem.Decode(pemBytes)
	if block == nil {
		return "The value is not PEM: it must start with a line such as -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----."
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return "The value holds more than one PEM block; give only the private key."
	}
	if _, encrypted := block.Headers["Proc-Type"]; encrypted || block.Type == "ENCRYPTED PRIVATE KEY" {
		return "The key is encrypted with a passphrase; mPaaS needs it unencrypted (for example: openssl rsa -in key.pem -out plain.pem)."
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return "The PKCS#1 block (BEGIN RSA PRIVATE KEY) does not hold a valid RSA private key: " + err.Error() + "."
		}
		return checkRSAKeySize(key)
	case "PRIVATE KEY":
		parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return "The PKCS#8 block (BEGIN PRIVATE KEY) does not hold a valid private key: " + err.Error() + "."
		}
		key, ok := parsed.(*rsa.PrivateKey)
		if !ok {
			return fmt.Sprintf("The PKCS#8 block holds a %T key; mPaaS signs packages with an RSA key.", parsed)
		}
		return checkRSAKeySize(key)
	}
	return fmt.Sprintf("The PEM block is a %q; give an RSA private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY).", block.Type)
}

func checkRSAKeySize(key *rsa.PrivateKey) string {
	if err := key.Validate(); err != nil {
		return "The RSA private key is inconsistent: " + err.Error() + "."
	}
	if bits := key.N.BitLen(); bits < 1024 {
		return fmt.Sprintf("The RSA key has %d bits; use at least 1024 (2048 recommended).", bits)
	}
	return ""
}
