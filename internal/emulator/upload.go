package emulator

import (
	"crypto/hmac"
	"crypto/md5" //nolint:gosec // Md5 is a field of the wire model and OSS's ETag, not a security measure.
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ossError is OSS's XML error body.
type ossError struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestId string   `xml:"RequestId"` //nolint:revive // OSS spelling
	HostId    string   `xml:"HostId"`    //nolint:revive // OSS spelling
}

// ossPostResponse is OSS's answer to success_action_status=201.
type ossPostResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Bucket   string   `xml:"Bucket"`
	Location string   `xml:"Location"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

const (
	maxFormFieldBytes = 64 << 10
	maxFormFields     = 64
)

type ossFail struct {
	status  int
	code    string
	message string
}

func (s *Server) ossError(w http.ResponseWriter, requestID string, f *ossFail) {
	s.logf("mpaas-emulator: upload %s rejected: %d %s: %s", requestID, f.status, f.code, f.message)
	body, _ := xml.Marshal(ossError{Code: f.code, Message: f.message, RequestId: requestID, HostId: "emulator-oss"})
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-oss-request-id", requestID)
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(body)
}

// serveUpload is OSS PostObject: a multipart form whose last field is the
// file, authorised by the policy and signature from GetMcubeFileToken. The
// file is streamed to disk, never held in memory.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	requestID := strings.ReplaceAll(newRequestID(), "-", "")[:24]
	s.count("oss:PostObject")
	key, etag, status, f := s.receiveUpload(r)
	if f != nil {
		s.ossError(w, requestID, f)
		return
	}
	s.logf("mpaas-emulator: upload %s stored %q", requestID, key)
	w.Header().Set("x-oss-request-id", requestID)
	w.Header().Set("ETag", `"`+strings.ToUpper(etag)+`"`)
	switch status {
	case http.StatusCreated:
		body, _ := xml.Marshal(ossPostResponse{Bucket: "emulator", Location: s.baseURL(r) + "/oss/" + key, Key: key, ETag: `"` + strings.ToUpper(etag) + `"`})
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, xml.Header)
		_, _ = w.Write(body)
	default:
		w.WriteHeader(status)
	}
}

func (s *Server) receiveUpload(r *http.Request) (key, etag string, status int, fail *ossFail) {
	badRequest := func(code, format string, args ...any) *ossFail {
		return &ossFail{http.StatusBadRequest, code, fmt.Sprintf(format, args...)}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", "", 0, badRequest("InvalidArgument", "the upload must be multipart/form-data: %v", err)
	}
	fields := map[string]string{}
	for n := 0; ; n++ {
		if n >= maxFormFields {
			return "", "", 0, badRequest("InvalidArgument", "too many form fields")
		}
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", "", 0, badRequest("InvalidArgument", "the form has no file field (it must be the last field)")
		}
		if err != nil {
			return "", "", 0, badRequest("MalformedPOSTRequest", "the body of the POST request is not well-formed multipart/form-data: %v", err)
		}
		name := strings.ToLower(part.FormName())
		if name != "file" {
			value, err := io.ReadAll(io.LimitReader(part, maxFormFieldBytes+1))
			part.Close()
			if err != nil {
				return "", "", 0, badRequest("MalformedPOSTRequest", "reading form field %q: %v", name, err)
			}
			if len(value) > maxFormFieldBytes {
				return "", "", 0, badRequest("InvalidArgument", "form field %q is larger than %d bytes", name, maxFormFieldBytes)
			}
			fields[name] = string(value)
			continue
		}
		key, rules, status, fail := s.checkUploadFields(fields)
		if fail != nil {
			part.Close()
			return "", "", 0, fail
		}
		etag, fail := s.storeUpload(part, key, rules)
		part.Close()
		if fail != nil {
			return "", "", 0, fail
		}
		return key, etag, status, nil
	}
}

// checkUploadFields verifies everything that precedes the file.
func (s *Server) checkUploadFields(fields map[string]string) (string, policyRules, int, *ossFail) {
	fail := func(status int, code, format string, args ...any) (string, policyRules, int, *ossFail) {
		return "", policyRules{}, 0, &ossFail{status, code, fmt.Sprintf(format, args...)}
	}
	for _, name := range []string{"key", "policy", "ossaccesskeyid", "signature"} {
		if fields[name] == "" {
			return fail(http.StatusBadRequest, "InvalidArgument", "the form field %q is missing (key, policy, OSSAccessKeyId and Signature must precede file)", name)
		}
	}
	if fields["ossaccesskeyid"] != ossAccessKeyID {
		return fail(http.StatusForbidden, "AccessDenied", "OSSAccessKeyId %q is not the Accessid the file token gave", fields["ossaccesskeyid"])
	}
	want := s.signPolicy(fields["policy"])
	if !hmac.Equal([]byte(fields["signature"]), []byte(want)) {
		return fail(http.StatusForbidden, "AccessDenied", "the policy signature does not match: the policy was changed or was not issued by this emulator")
	}
	rules, err := parsePolicy(fields["policy"])
	if err != nil {
		return fail(http.StatusBadRequest, "InvalidPolicyDocument", "%v", err)
	}
	if !s.opts.Now().Before(rules.expiration) {
		return fail(http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy expired at %s; request a new file token", rules.expiration.UTC().Format(time.RFC3339))
	}
	key := fields["key"]
	if rules.keyPrefix != "" && !strings.HasPrefix(key, rules.keyPrefix) {
		return fail(http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", %q]", rules.keyPrefix)
	}
	if rules.keyEquals != "" && key != rules.keyEquals {
		return fail(http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", %q]", rules.keyEquals)
	}
	if _, ok := scopeOfKey(key); !ok || strings.Contains(key, "..") || strings.HasSuffix(key, "/") {
		return fail(http.StatusBadRequest, "InvalidArgument", "key %q must be <Dir><file name> with the Dir of a file token", key)
	}
	status := http.StatusNoContent
	switch v := fields["success_action_status"]; v {
	case "", "204":
	case "200":
		status = http.StatusOK
	case "201":
		status = http.StatusCreated
	default:
		// OSS answers 204 for any other value.
	}
	return key, rules, status, nil
}

// storeUpload streams the file into a temp file, enforcing the size range,
// then renames it into place and records it.
func (s *Server) storeUpload(src io.Reader, key string, rules policyRules) (string, *ossFail) {
	st := s.store
	tmp, err := os.CreateTemp(filepath.Join(st.dir, objectsDir), ".upload-*")
	if err != nil {
		return "", &ossFail{http.StatusInternalServerError, "InternalError", err.Error()}
	}
	tmpName := tmp.Name()
	cleanup := func() { tmp.Close(); os.Remove(tmpName) }
	md5sum := md5.New() //nolint:gosec // see import
	// Read one byte past the limit to detect an oversized file without storing it.
	n, err := io.Copy(io.MultiWriter(tmp, md5sum), io.LimitReader(src, rules.maxSize+1))
	if err != nil {
		cleanup()
		return "", &ossFail{http.StatusBadRequest, "MalformedPOSTRequest", "reading the file: " + err.Error()}
	}
	if n > rules.maxSize {
		cleanup()
		return "", &ossFail{http.StatusBadRequest, "EntityTooLarge", fmt.Sprintf("Your proposed upload exceeds the maximum allowed size of %d bytes set by the policy", rules.maxSize)}
	}
	if n < rules.minSize {
		cleanup()
		return "", &ossFail{http.StatusBadRequest, "EntityTooSmall", fmt.Sprintf("Your proposed upload is smaller than the minimum allowed size of %d bytes set by the policy", rules.minSize)}
	}
	if err := tmp.Chmod(fileMode); err != nil {
		cleanup()
		return "", &ossFail{http.StatusInternalServerError, "InternalError", err.Error()}
	}
	if err := tmp.Sync(); err != nil {
		cleanup()
		return "", &ossFail{http.StatusInternalServerError, "InternalError", err.Error()}
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmpName)
		return "", &ossFail{http.StatusInternalServerError, "InternalError", err.Error()}
	}
	scope, _ := scopeOfKey(key)
	rel := objectFileName(key)
	etag := hex.EncodeToString(md5sum.Sum(nil))
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := os.Rename(tmpName, st.abs(rel)); err != nil {
		os.Remove(tmpName)
		return "", &ossFail{http.StatusInternalServerError, "InternalError", err.Error()}
	}
	st.st.Objects[key] = &objectRecord{
		Key: key, Scope: scope.String(), File: rel, Size: n,
		MD5: etag, Created: s.opts.Now().UTC(),
	}
	if err := st.commitLocked(change{objects: []string{key}}); err != nil {
		return "", &ossFail{http.StatusInternalServerError, "InternalError", err.Error()}
	}
	return etag, nil
}
