package mpaas

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // HMAC-SHA1 is what Alibaba Cloud's RPC signature V1 mandates.
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// Signature algorithm names as they appear on the wire.
const (
	AlgorithmV3 = "ACS3-HMAC-SHA256"
	AlgorithmV1 = "HMAC-SHA1"
)

// EmptyPayloadSHA256 is the hex SHA-256 of an empty body.
const EmptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// PercentEncode encodes s the way both Alibaba Cloud signatures require
// (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are, space is %20).
func PercentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3 / 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0f])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// CanonicalQueryString sorts params by encoded name (not by the encoded
// name=value pair: "Tag" sorts before "Tag.1", although "Tag=" sorts after
// "Tag.1="), as the official SDK's core does, and joins them as name=value
// with RFC 3986 encoding. Only the first value of each name is used, as RPC
// parameters are never repeated.
func CanonicalQueryString(params url.Values) string {
	names := make([]string, 0, len(params))
	encoded := make(map[string]string, len(params))
	for name, values := range params {
		value := ""
		if len(values) > 0 {
			value = values[0]
		}
		key := PercentEncode(name)
		names = append(names, key)
		encoded[key] = PercentEncode(value)
	}
	sort.Strings(names)
	pairs := make([]string, len(names))
	for i, name := range names {
		pairs[i] = name + "=" + encoded[name]
	}
	return strings.Join(pairs, "&")
}

// StringToSignV1 builds the RPC V1 string to sign from every request
// parameter (query and form body merged) except Signature.
func StringToSignV1(method string, params url.Values) string {
	filtered := make(url.Values, len(params))
	for name, values := range params {
		if name != "Signature" {
			filtered[name] = values
		}
	}
	return method + "&" + PercentEncode("/") + "&" + PercentEncode(CanonicalQueryString(filtered))
}

// SignV1 returns base64(HMAC-SHA1(secret + "&", stringToSign)).
func SignV1(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// HexSHA256 returns the lowercase hex SHA-256 of data.
func HexSHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// IsSignedHeaderV3 reports whether a header takes part in a V3 signature.
func IsSignedHeaderV3(lowerName string) bool {
	return lowerName == "host" || lowerName == "content-type" || strings.HasPrefix(lowerName, "x-acs-")
}

// CanonicalHeadersV3 returns the canonical header block and the signed header
// list for the given lowercase header names and their values.
func CanonicalHeadersV3(headers map[string]string) (canonical, signed string) {
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, strings.ToLower(name))
	}
	sort.Strings(names)
	lowered := make(map[string]string, len(headers))
	for name, value := range headers {
		lowered[strings.ToLower(name)] = value
	}
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(lowered[name]))
		b.WriteByte('\n')
	}
	return b.String(), strings.Join(names, ";")
}

// CanonicalRequestV3 builds the V3 canonical request. headers holds exactly
// the headers to sign.
func CanonicalRequestV3(method, path string, query url.Values, headers map[string]string, payloadSHA256 string) string {
	canonicalHeaders, signedHeaders := CanonicalHeadersV3(headers)
	return method + "\n" + path + "\n" + CanonicalQueryString(query) + "\n" +
		canonicalHeaders + "\n" + signedHeaders + "\n" + payloadSHA256
}

// StringToSignV3 hashes the canonical request under the V3 algorithm name.
func StringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return AlgorithmV3 + "\n" + hex.EncodeToString(sum[:])
}

// SignV3 returns lowercase hex HMAC-SHA256(secret, stringToSign).
func SignV3(secret, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// AuthorizationV3 returns the Authorization header value for a V3 request.
func AuthorizationV3(accessKeyID, secret, method, path string, query url.Values, headers map[string]string, payloadSHA256 string) string {
	_, signedHeaders := CanonicalHeadersV3(headers)
	signature := SignV3(secret, StringToSignV3(CanonicalRequestV3(method, path, query, headers, payloadSHA256)))
	return AlgorithmV3 + " Credential=" + accessKeyID + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature
}

// ParsedAuthorizationV3 is the content of a V3 Authorization header.
type ParsedAuthorizationV3 struct {
	Credential    string
	SignedHeaders []string
	Signature     string
}

// ParseAuthorizationV3 splits "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..".
func ParseAuthorizationV3(value string) (ParsedAuthorizationV3, bool) {
	rest, ok := strings.CutPrefix(value, AlgorithmV3+" ")
	if !ok {
		return ParsedAuthorizationV3{}, false
	}
	var parsed ParsedAuthorizationV3
	for _, part := range strings.Split(rest, ",") {
		key, val, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return ParsedAuthorizationV3{}, false
		}
		switch key {
		case "Credential":
			parsed.Credential = val
		case "SignedHeaders":
			parsed.SignedHeaders = strings.Split(val, ";")
		case "Signature":
			parsed.Signature = val
		}
	}
	if parsed.Credential == "" || parsed.Signature == "" || len(parsed.SignedHeaders) == 0 {
		return ParsedAuthorizationV3{}, false
	}
	return parsed, true
}
