package validators

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func pemOf(blockType string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}))
}

// keyFragments are lines from the middle of a PEM key that no message may quote.
func keyFragments(pemText string) []string {
	lines := strings.Split(strings.TrimSpace(pemText), "\n")
	return []string{lines[1], lines[len(lines)/2], lines[len(lines)-2]}
}

func TestCheckRSAPrivateKey(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8DER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1, pkcs8 := pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)), pemOf("PRIVATE KEY", pkcs8DER)
	for name, key := range map[string]string{"PKCS#1": pkcs1, "PKCS#8": pkcs8} {
		if msg := CheckRSAPrivateKey([]byte(key)); msg != "" {
			t.Errorf("%s: %s", name, msg)
		}
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"", "not PEM"},
		{pkcs8 + pkcs8, "more than one PEM block"},
		{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", `"CERTIFICATE"`},
		{"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n", "encrypted"},
		{"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted"},
		{strings.Replace(pkcs1, "MII", "XXX", 1), "PKCS#1"},
		{strings.Replace(pkcs8, "MII", "XXX", 1), "PKCS#8"},
		{pemOf("PRIVATE KEY", ecDER), "RSA key"},
	} {
		msg := CheckRSAPrivateKey([]byte(tc.in))
		if !strings.Contains(msg, tc.want) {
			t.Errorf("CheckRSAPrivateKey(%.30q) = %q, want %q", tc.in, msg, tc.want)
		}
		for _, fragment := range append(keyFragments(pkcs1), keyFragments(pkcs8)...) {
			if strings.Contains(msg, fragment) {
				t.Errorf("message quotes the key: %q", msg)
			}
		}
	}
}

func TestRSAPrivateKey(t *testing.T) {
	resp := runString(RSAPrivateKey(), types.StringValue("not a key"))
	if resp.Diagnostics.ErrorsCount() != 1 || resp.Diagnostics[0].Summary() != "Invalid RSA private key" {
		t.Errorf("not a key: %v", resp.Diagnostics)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	valid := pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key))
	for _, value := range []types.String{types.StringValue(valid), types.StringNull(), types.StringUnknown()} {
		if resp := runString(RSAPrivateKey(), value); resp.Diagnostics.HasError() {
			t.Errorf("%.30s: %v", value, resp.Diagnostics)
		}
	}
}
