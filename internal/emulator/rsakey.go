package emulator

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
)

// errInvalidRsaKey refuses an uploaded signing key that is not an RSA
// private key.
const errInvalidRsaKey = "INVALID_RSA_KEY"

// maxRsaKeyFile bounds the key file read: a PEM RSA private key of 16384
// bits is under 13 KiB.
const maxRsaKeyFile = 64 << 10

// checkRsaKeyFile refuses a stored upload that is not a PEM RSA private key.
//
// [INFERRED] The service signs every package with this key, so it very
// likely parses the file when it is registered and refuses one it cannot use;
// the reference documents neither the check nor its error (DESIGN.md section
// 6.1, signing key). The code and message are the emulator's. The provider
// checks the key at plan (internal/provider/signing_key_resource.go); this
// check shows that the bytes uploaded are the key itself, not part of it.
func checkRsaKeyFile(path string) (*bizError, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, maxRsaKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(content) > maxRsaKeyFile {
		return bizErrorf(errInvalidRsaKey, "the key file is larger than %d bytes; upload a PEM RSA private key", maxRsaKeyFile), nil
	}
	if problem := rsaKeyProblem(content); problem != "" {
		return bizErrorf(errInvalidRsaKey, "%s; upload a PEM RSA private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)", problem), nil
	}
	return nil, nil
}

// rsaKeyProblem says why content is not one PEM RSA private key, "" when it
// is. It never quotes the key.
func rsaKeyProblem(content []byte) string {
	block, _ := pem.Decode(content)
	if block == nil {
		return "the key file is not PEM (or its END line is missing)"
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return fmt.Sprintf("the PEM block is a %q", block.Type)
	}
	if err != nil {
		return "the private key does not parse: " + err.Error()
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return fmt.Sprintf("the private key is a %T, not RSA", key)
	}
	return ""
}

// StoredRsaKey returns the signing key file the workspace (AppId,
// WorkspaceId, TenantId) holds, nil when it holds none, so that tests can
// compare the bytes registered with the key they configured.
func (s *Server) StoredRsaKey(appID, workspaceID, tenantID string) ([]byte, error) {
	st := s.store
	st.mu.Lock()
	rel := ""
	if sc := st.st.scope(scopeKey{AppID: appID, WorkspaceID: workspaceID, TenantID: tenantID}, false); sc != nil {
		rel = sc.RsaKeyFile
	}
	st.mu.Unlock()
	if rel == "" {
		return nil, nil
	}
	return os.ReadFile(st.abs(rel))
}
