package emulator

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// gwErr is a gateway-level rejection (HTTP 4xx/5xx, DESIGN.md section 6).
type gwErr struct {
	status  int
	code    string
	message string
}

func missing(name string) *gwErr {
	return &gwErr{http.StatusBadRequest, "MissingParameter", "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied."}
}

// authed is what a verified request carries on to the action.
type authed struct {
	action      string
	version     string
	accessKeyID string
	algorithm   string     // mpaas.AlgorithmV3 or mpaas.AlgorithmV1: what signed the request
	body        url.Values // the form body: every business parameter
}

// authenticate verifies the request's signature (V3 when an ACS3-HMAC-SHA256
// Authorization header is present, V1 otherwise). raw is the body exactly as
// received; both versions sign over the same bytes.
func (s *Server) authenticate(r *http.Request, raw []byte) (*authed, *gwErr) {
	body, err := url.ParseQuery(string(raw))
	if err != nil {
		return nil, &gwErr{http.StatusBadRequest, "InvalidParameter", "the request body is not valid application/x-www-form-urlencoded: " + err.Error()}
	}
	query := r.URL.Query()
	if authz := r.Header.Get("Authorization"); strings.HasPrefix(authz, mpaas.AlgorithmV3) {
		return s.authenticateV3(r, raw, query, body, authz)
	}
	return s.authenticateV1(r, query, body)
}

func (s *Server) authenticateV3(r *http.Request, raw []byte, query, body url.Values, authz string) (*authed, *gwErr) {
	action := r.Header.Get("x-acs-action")
	version := r.Header.Get("x-acs-version")
	date := r.Header.Get("x-acs-date")
	nonce := r.Header.Get("x-acs-signature-nonce")
	switch {
	case action == "":
		return nil, missing("x-acs-action")
	case version == "":
		return nil, missing("x-acs-version")
	}
	parsed, ok := mpaas.ParseAuthorizationV3(authz)
	if !ok {
		return nil, &gwErr{http.StatusBadRequest, "MissingParameter", "The Authorization header lacks Credential (the AccessKeyId), SignedHeaders or Signature; it must be \"ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>\"."}
	}
	switch {
	case date == "":
		return nil, missing("x-acs-date")
	case nonce == "":
		return nil, missing("x-acs-signature-nonce")
	}
	if e := checkActionVersion(action, version); e != nil {
		return nil, e
	}
	cred, e := s.credential(parsed.Credential)
	if e != nil {
		return nil, e
	}
	if e := s.checkTimestamp(date, "x-acs-date"); e != nil {
		return nil, e
	}
	payloadHash := mpaas.HexSHA256(raw)
	if got := r.Header.Get("x-acs-content-sha256"); got != payloadHash {
		return nil, &gwErr{http.StatusBadRequest, "SignatureDoesNotMatch", "ACS3-HMAC-SHA256: the x-acs-content-sha256 header does not match the SHA-256 of the request body"}
	}
	headers := make(map[string]string, len(parsed.SignedHeaders))
	signedSeen := map[string]bool{}
	for _, name := range parsed.SignedHeaders {
		lower := strings.ToLower(strings.TrimSpace(name))
		if lower == "" {
			continue
		}
		signedSeen[lower] = true
		if lower == "host" {
			headers[lower] = r.Host
			continue
		}
		headers[lower] = joinHeaderValues(r.Header.Values(lower))
	}
	for _, required := range []string{"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
		if !signedSeen[required] {
			return nil, &gwErr{http.StatusBadRequest, "SignatureDoesNotMatch", "ACS3-HMAC-SHA256: SignedHeaders must include " + required}
		}
	}
	if r.Header.Get("x-acs-security-token") != "" && !signedSeen["x-acs-security-token"] {
		return nil, &gwErr{http.StatusBadRequest, "SignatureDoesNotMatch", "ACS3-HMAC-SHA256: SignedHeaders must include x-acs-security-token when it is sent"}
	}
	canonical := mpaas.CanonicalRequestV3(r.Method, canonicalURI(r), query, headers, payloadHash)
	want := mpaas.SignV3(cred.AccessKeySecret, mpaas.StringToSignV3(canonical))
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(parsed.Signature)), []byte(want)) != 1 {
		return nil, &gwErr{http.StatusBadRequest, "SignatureDoesNotMatch", "The request signature does not conform to Aliyun standards (ACS3-HMAC-SHA256: the signature computed over the canonical request with your AccessKey secret differs from the Authorization header)."}
	}
	if e := checkToken(cred, r.Header.Get("x-acs-security-token")); e != nil {
		return nil, e
	}
	if e := s.useNonce(cred.AccessKeyID, nonce); e != nil {
		return nil, e
	}
	return &authed{action: action, version: version, accessKeyID: cred.AccessKeyID, algorithm: mpaas.AlgorithmV3, body: body}, nil
}

func (s *Server) authenticateV1(r *http.Request, query, body url.Values) (*authed, *gwErr) {
	for _, name := range []string{"Action", "Version", "AccessKeyId", "Signature", "Timestamp", "SignatureNonce", "SignatureMethod", "SignatureVersion"} {
		if query.Get(name) == "" {
			return nil, missing(name)
		}
	}
	action, version := query.Get("Action"), query.Get("Version")
	if e := checkActionVersion(action, version); e != nil {
		return nil, e
	}
	if m := query.Get("SignatureMethod"); m != mpaas.AlgorithmV1 {
		return nil, &gwErr{http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("SignatureMethod %q is not supported; use HMAC-SHA1", m)}
	}
	if v := query.Get("SignatureVersion"); v != "1.0" {
		return nil, &gwErr{http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("SignatureVersion %q is not supported; use 1.0", v)}
	}
	cred, e := s.credential(query.Get("AccessKeyId"))
	if e != nil {
		return nil, e
	}
	if e := s.checkTimestamp(query.Get("Timestamp"), "Timestamp"); e != nil {
		return nil, e
	}
	// The signature covers query and form together, so a name in both would
	// let a signed request be replayed with another Action: refuse it. It
	// covers the first value of each name only (RPC parameters are never
	// repeated), so a repeated name would carry unsigned values: refuse it.
	merged := make(url.Values, len(query)+len(body))
	for k, v := range query {
		if len(v) > 1 {
			return nil, repeated(k)
		}
		merged[k] = v
	}
	for k, v := range body {
		if len(v) > 1 {
			return nil, repeated(k)
		}
		if _, clash := merged[k]; clash {
			return nil, &gwErr{http.StatusBadRequest, "InvalidParameter", "The parameter " + k + " appears in both the query string and the form body."}
		}
		merged[k] = v
	}
	want := mpaas.SignV1(cred.AccessKeySecret, mpaas.StringToSignV1(r.Method, merged))
	if subtle.ConstantTimeCompare([]byte(query.Get("Signature")), []byte(want)) != 1 {
		return nil, &gwErr{http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation (HMAC-SHA1 signature version 1.0 over the query and form parameters)."}
	}
	if e := checkToken(cred, query.Get("SecurityToken")); e != nil {
		return nil, e
	}
	if e := s.useNonce(cred.AccessKeyID, query.Get("SignatureNonce")); e != nil {
		return nil, e
	}
	return &authed{action: action, version: version, accessKeyID: cred.AccessKeyID, algorithm: mpaas.AlgorithmV1, body: body}, nil
}

// repeated refuses a parameter sent more than once.
func repeated(name string) *gwErr {
	return &gwErr{http.StatusBadRequest, "InvalidParameter", "The parameter " + name + " appears more than once; send each parameter once."}
}

// joinHeaderValues is the canonical value of a header sent on several lines:
// each value trimmed, sorted, joined with commas, as the official SDK's V3
// signer builds it (DESIGN.md section 6.2).
func joinHeaderValues(values []string) string {
	trimmed := make([]string, len(values))
	for i, v := range values {
		trimmed[i] = strings.TrimSpace(v)
	}
	sort.Strings(trimmed)
	return strings.Join(trimmed, ",")
}

func canonicalURI(r *http.Request) string {
	if p := r.URL.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

func checkActionVersion(action, version string) *gwErr {
	if version != mpaas.APIVersion && version != mpaas.APIVersionLegacy {
		return &gwErr{http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("Version %q is not supported; use %s (or %s)", version, mpaas.APIVersion, mpaas.APIVersionLegacy)}
	}
	if _, ok := actions[action]; !ok {
		return &gwErr{http.StatusNotFound, "InvalidAction.NotFound", fmt.Sprintf("Specified api %q is not found, please check your url and method.", action)}
	}
	return nil
}

func (s *Server) credential(id string) (Credential, *gwErr) {
	cred, ok := s.creds[id]
	if !ok {
		return Credential{}, &gwErr{http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	return cred, nil
}

func checkToken(cred Credential, got string) *gwErr {
	if cred.SecurityToken == "" {
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(cred.SecurityToken)) != 1 {
		return &gwErr{http.StatusForbidden, "InvalidSecurityToken", "The security token is missing or does not match the access key (an STS credential must send x-acs-security-token or SecurityToken)."}
	}
	return nil
}

func (s *Server) checkTimestamp(value, name string) *gwErr {
	ts, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return &gwErr{http.StatusBadRequest, "IllegalTimestamp", fmt.Sprintf("The input parameter %q is not in the format yyyy-MM-ddTHH:mm:ssZ (UTC).", name)}
	}
	now := s.opts.Now()
	if d := now.Sub(ts); d > s.opts.ClockSkew || d < -s.opts.ClockSkew {
		return &gwErr{http.StatusBadRequest, "InvalidTimeStamp.Expired", fmt.Sprintf("Specified time stamp or date value is expired: %s is more than %s away from the server time %s.", value, s.opts.ClockSkew, now.UTC().Format(time.RFC3339))}
	}
	return nil
}

func (s *Server) useNonce(accessKeyID, nonce string) *gwErr {
	now := s.opts.Now()
	// A timestamp is accepted up to ClockSkew either side of now, so a nonce
	// must be remembered for twice that long to stop every replay.
	switch s.nonces.use(accessKeyID+"\x00"+nonce, now, now.Add(2*s.opts.ClockSkew)) {
	case nonceReused:
		return &gwErr{http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already."}
	case nonceFull:
		return &gwErr{http.StatusServiceUnavailable, "ServiceUnavailable", "too many signature nonces in the replay window; retry later"}
	}
	return nil
}

// maxNonces bounds the replay cache.
const maxNonces = 1 << 18

type nonceOutcome int

const (
	nonceFresh nonceOutcome = iota
	nonceReused
	nonceFull
)

// nonceCache remembers nonces until they expire; bounded by max entries.
type nonceCache struct {
	mu        sync.Mutex
	seen      map[string]time.Time
	max       int
	lastPrune time.Time
}

func newNonceCache(limit int) *nonceCache {
	return &nonceCache{seen: map[string]time.Time{}, max: limit}
}

func (c *nonceCache) use(key string, now, expiry time.Time) nonceOutcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.seen[key]; ok && now.Before(exp) {
		return nonceReused
	}
	if len(c.seen) >= c.max || now.Sub(c.lastPrune) > time.Minute {
		for k, exp := range c.seen {
			if !now.Before(exp) {
				delete(c.seen, k)
			}
		}
		c.lastPrune = now
	}
	if len(c.seen) >= c.max {
		return nonceFull
	}
	c.seen[key] = expiry
	return nonceFresh
}
