package emulator

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // OSS POST policy signature V1 is HMAC-SHA1.
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The emulator's fake OSS bucket (DESIGN.md section 6).
const (
	ossAccessKeyID  = "EMULATOROSSKEY"
	fileTokenTTL    = 30 * time.Minute
	uploadDirPrefix = "mds/tempFileForOnex/"
)

// uploadPolicy is the OSS POST policy document.
type uploadPolicy struct {
	Expiration string `json:"expiration"`
	Conditions []any  `json:"conditions"`
}

func (c *call) getFileToken() (any, error) {
	dir := uploadDirPrefix + c.scope.AppID + "/" + c.scope.WorkspaceID + "/" + c.scope.TenantID + "/" + newUUID() + "/"
	expire := c.now.Add(fileTokenTTL)
	doc, err := json.Marshal(uploadPolicy{
		Expiration: expire.UTC().Format(time.RFC3339),
		Conditions: []any{
			[]any{"starts-with", "$key", dir},
			[]any{"content-length-range", 0, mpaas.FileTokenUploadMaxBytes},
		},
	})
	if err != nil {
		return nil, err
	}
	policy := base64.StdEncoding.EncodeToString(doc)
	return &getMcubeFileTokenResponse{
		envelope: c.okEnvelope(),
		GetFileTokenResult: &getFileTokenResult{
			Success: true,
			FileToken: &fileToken{
				Accessid:  ossAccessKeyID,
				Dir:       dir,
				Expire:    strconv.FormatInt(expire.Unix(), 10),
				Host:      c.base + "/oss",
				Policy:    policy,
				Signature: c.s.signPolicy(policy),
			},
		},
	}, nil
}

// signPolicy is base64(HMAC-SHA1(the emulator's OSS secret, base64 policy)).
func (s *Server) signPolicy(policy string) string {
	s.store.mu.Lock()
	secret := s.store.st.OSSSecret
	s.store.mu.Unlock()
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(policy))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// policyRules are the conditions the emulator enforces on an upload.
type policyRules struct {
	expiration time.Time
	keyPrefix  string // "" when no starts-with condition
	keyEquals  string // "" when no eq condition
	minSize    int64
	maxSize    int64
}

// parsePolicy decodes a base64 policy (whose signature is already checked).
func parsePolicy(policy string) (policyRules, error) {
	raw, err := base64.StdEncoding.DecodeString(policy)
	if err != nil {
		return policyRules{}, fmt.Errorf("policy is not base64: %w", err)
	}
	var doc struct {
		Expiration string            `json:"expiration"`
		Conditions []json.RawMessage `json:"conditions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return policyRules{}, fmt.Errorf("policy is not a JSON policy document: %w", err)
	}
	rules := policyRules{maxSize: mpaas.FileTokenUploadMaxBytes}
	if rules.expiration, err = time.Parse(time.RFC3339, doc.Expiration); err != nil {
		return policyRules{}, fmt.Errorf("policy expiration %q is not ISO 8601: %w", doc.Expiration, err)
	}
	for _, cond := range doc.Conditions {
		var arr []json.RawMessage
		if json.Unmarshal(cond, &arr) != nil || len(arr) != 3 {
			continue // object conditions such as {"bucket": ...} do not apply here
		}
		var op string
		if json.Unmarshal(arr[0], &op) != nil {
			continue
		}
		switch strings.ToLower(op) {
		case "starts-with", "eq":
			var field, value string
			if json.Unmarshal(arr[1], &field) != nil || json.Unmarshal(arr[2], &value) != nil {
				return policyRules{}, fmt.Errorf("policy condition %s is malformed", cond)
			}
			if field != "$key" {
				continue
			}
			if strings.EqualFold(op, "eq") {
				rules.keyEquals = value
			} else {
				rules.keyPrefix = value
			}
		case "content-length-range":
			var lo, hi int64
			if json.Unmarshal(arr[1], &lo) != nil || json.Unmarshal(arr[2], &hi) != nil || lo < 0 || hi < lo {
				return policyRules{}, fmt.Errorf("policy condition %s is malformed", cond)
			}
			rules.minSize, rules.maxSize = lo, hi
		}
	}
	return rules, nil
}

// objectForFileURL finds the uploaded object a FileUrl names: it must be
// exactly FileToken.Host + "/" + key, escaped, for an object uploaded in this
// scope. The caller holds the store lock.
func (c *call) objectForFileURL(fileURL string) (*objectRecord, *bizError) {
	if problem := malformedURL(fileURL); problem != "" {
		return nil, bizErrorf(errInvalidParameter, "FileUrl %q is not a well-formed URL: %s; escape each path segment of the key (Host + \"/\" + key)", fileURL, problem)
	}
	notFound := bizErrorf(errFileNotFound, "FileUrl %q is not an object uploaded in this workspace; upload with GetMcubeFileToken and pass Host + \"/\" + key", fileURL)
	escapedKey, ok := strings.CutPrefix(fileURL, c.base+"/oss/")
	if !ok || escapedKey == "" {
		return nil, notFound
	}
	key, err := url.PathUnescape(escapedKey)
	if err != nil {
		return nil, notFound
	}
	obj := c.s.store.st.Objects[key]
	if obj == nil || obj.Scope != c.scope.String() {
		return nil, notFound
	}
	return obj, nil
}

// malformedURL says what makes rawURL unusable as an object URL, as OSS
// reads one ("" when nothing): a byte that must be escaped (space, control,
// non-ASCII, or one of "<>\^`{|}), a '%' not followed by two hex digits, or a
// query or fragment, which would cut the key short.
func malformedURL(rawURL string) string {
	for i := 0; i < len(rawURL); i++ {
		b := rawURL[i]
		switch {
		case b <= ' ' || b >= 0x7f || strings.IndexByte(`"<>\^`+"`"+`{|}`, b) >= 0:
			return fmt.Sprintf("byte %q at offset %d must be percent-encoded", b, i)
		case b == '?':
			return fmt.Sprintf("'?' at offset %d starts a query, which is not part of the key", i)
		case b == '#':
			return fmt.Sprintf("'#' at offset %d starts a fragment, which is not part of the key", i)
		case b == '%' && (i+2 >= len(rawURL) || !isHex(rawURL[i+1]) || !isHex(rawURL[i+2])):
			return fmt.Sprintf("'%%' at offset %d is not followed by two hexadecimal digits", i)
		}
	}
	return ""
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

// scopeOfKey returns the scope named by an upload key
// mds/tempFileForOnex/<AppId>/<WorkspaceId>/<TenantId>/<uuid>/<name>.
func scopeOfKey(key string) (scopeKey, bool) {
	rest, ok := strings.CutPrefix(key, uploadDirPrefix)
	if !ok {
		return scopeKey{}, false
	}
	parts := strings.SplitN(rest, "/", 5)
	if len(parts) != 5 || parts[0] == "" || parts[1] == "" || parts[2] == "" || parts[3] == "" || parts[4] == "" {
		return scopeKey{}, false
	}
	return scopeKey{AppID: parts[0], WorkspaceID: parts[1], TenantID: parts[2]}, true
}
