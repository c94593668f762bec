package mpaas

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"time"
)

const (
	uploadSnippetBytes = 500
	uploadLogAction    = "OSSPostObject"
)

// ErrFileSizeChanged is returned (wrapped) when the file yields a different
// number of bytes than the size given to Upload.
var ErrFileSizeChanged = errors.New("file size changed")

// UploadError is a failed OSS POST-policy upload (any status other than
// 200, 201 or 204). Code, Message and RequestID come from the OSS XML
// <Error> body when there is one; Snippet holds the start of the body.
type UploadError struct {
	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
	Snippet    string
}

func (e *UploadError) Error() string {
	if e.Code != "" {
		s := fmt.Sprintf("upload to OSS failed: HTTP %d: %s: %s", e.HTTPStatus, e.Code, e.Message)
		if e.RequestID != "" {
			s += " (request id " + e.RequestID + ")"
		}
		return s
	}
	return fmt.Sprintf("upload to OSS failed: HTTP %d: %q", e.HTTPStatus, e.Snippet)
}

// uploadAs sends a file to OSS with the POST-policy grant in token
// (DESIGN.md section 6) under key, a key of the token's Dir (objectKey, or
// uploadGrants.uniqueKey), and returns its FileUrl: Host + "/" + key, each
// path segment escaped. fileName is only metadata (the multipart filename);
// it never reaches the URL as is.
//
// The body is streamed: open is called once per attempt (and whenever
// net/http needs to replay the body), its reader is sent between a
// pre-built multipart prefix and suffix with an exact Content-Length, and
// closed afterwards. The file must yield exactly size bytes. Transport errors
// and 5xx answers are retried (the same key makes the upload idempotent).
// The mPaaS signature is not involved; the policy and signature of the token
// are never logged.
func (c *Client) uploadAs(ctx context.Context, token *fileToken, key, fileName string, size int64, open func() (io.ReadCloser, error)) (string, error) {
	if size < 0 {
		return "", fmt.Errorf("upload: negative size %d", size)
	}
	if open == nil {
		return "", errors.New("upload: no file opener")
	}
	target, err := url.Parse(strings.TrimSpace(string(token.Host)))
	if err != nil || target.Host == "" {
		return "", fmt.Errorf("upload: file token host %q is not a valid URL", token.Host)
	}
	if err := checkScheme(target, "file token host"); err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}

	prefix, suffix, contentType, err := multipartFrame(token, key, fileName)
	if err != nil {
		return "", err
	}
	fileURL := objectURL(string(token.Host), key)
	src := &uploadSource{open: open, size: size, prefix: prefix, suffix: suffix}

	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return "", ctxError("upload to OSS", err)
		}
		start := time.Now()
		status, retry, err := c.uploadAttempt(ctx, target.String(), contentType, src)
		duration := time.Since(start)
		if err == nil {
			c.logUpload(ctx, target.Host, key, size, attempt, status, duration, nil, 0)
			return fileURL, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			c.logUpload(ctx, target.Host, key, size, attempt, status, duration, ctxErr, 0)
			return "", ctxError("upload to OSS", ctxErr)
		}
		if !retry || attempt >= c.cfg.MaxRetries {
			c.logUpload(ctx, target.Host, key, size, attempt, status, duration, err, 0)
			return "", err
		}
		wait := c.backoff(attempt, 0)
		c.logUpload(ctx, target.Host, key, size, attempt, status, duration, err, wait)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return "", fmt.Errorf("upload to OSS: gave up waiting to retry: %w", err)
		}
	}
}

// uploadAttempt performs one POST. retry says whether another attempt may
// succeed.
func (c *Client) uploadAttempt(ctx context.Context, target, contentType string, src *uploadSource) (status int, retry bool, err error) {
	defer src.closeAll()
	body, err := src.newBody()
	if err != nil {
		return 0, false, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, body)
	if err != nil {
		body.Close()
		return 0, false, fmt.Errorf("upload: building request: %w", err)
	}
	req.ContentLength = src.contentLength()
	req.GetBody = func() (io.ReadCloser, error) { return src.newBody() }
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", c.cfg.UserAgent)

	resp, err := c.http.Do(req)
	if err != nil {
		cause := err
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			cause = urlErr.Err
		}
		if errors.Is(err, ErrFileSizeChanged) || errors.Is(err, errOpenFailed) {
			return 0, false, fmt.Errorf("upload: %w", cause)
		}
		return 0, true, fmt.Errorf("upload to %s failed: %w", req.URL.Host, cause)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated, http.StatusNoContent:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return resp.StatusCode, false, nil
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, uploadSnippetBytes))
	upErr := &UploadError{HTTPStatus: resp.StatusCode, Snippet: snippet(head, uploadSnippetBytes)}
	var ossErr struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
		RequestID string   `xml:"RequestId"`
	}
	if xml.Unmarshal(head, &ossErr) == nil && ossErr.Code != "" {
		upErr.Code, upErr.Message, upErr.RequestID = ossErr.Code, ossErr.Message, ossErr.RequestID
	}
	retry = resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
	return resp.StatusCode, retry, upErr
}

func (c *Client) logUpload(ctx context.Context, host, key string, size int64, attempt, status int, duration time.Duration, err error, wait time.Duration) {
	if c.cfg.Logger == nil {
		return
	}
	fields := map[string]any{
		"action":      uploadLogAction,
		"attempt":     attempt + 1,
		"http_status": status,
		"duration_ms": duration.Milliseconds(),
		"host":        host,
		"key":         key,
		"size":        size,
	}
	if err != nil {
		var upErr *UploadError
		if errors.As(err, &upErr) {
			fields["error"] = upErr.Code
			if upErr.RequestID != "" {
				fields["request_id"] = upErr.RequestID
			}
		} else {
			fields["error"] = err.Error()
		}
	}
	if wait > 0 {
		fields["retry_in_ms"] = wait.Milliseconds()
	}
	c.debug(ctx, "OSS upload", fields)
}

// maxObjectStemBytes bounds the name part of an object key built from a
// file name.
const maxObjectStemBytes = 100

// objectKey is the OSS key a file is uploaded under: the token's Dir plus a
// name of only [A-Za-z0-9._-]. A name that is already safe is kept; any other
// has each run of other characters replaced by "_" and a digest of the
// original name appended, so distinct names keep distinct keys. The
// extension (".zip") is kept.
func objectKey(dir, fileName string) string {
	if isSafeObjectName(fileName) {
		return dir + fileName
	}
	stem, ext := fileName, ""
	if dot := strings.LastIndexByte(fileName, '.'); dot > 0 {
		stem, ext = fileName[:dot], sanitizeObjectName(fileName[dot+1:])
	}
	stem = strings.Trim(sanitizeObjectName(stem), "._-")
	if len(stem) > maxObjectStemBytes {
		stem = stem[:maxObjectStemBytes]
	}
	if stem == "" {
		stem = "file"
	}
	sum := sha256.Sum256([]byte(fileName))
	name := stem + "-" + hex.EncodeToString(sum[:4])
	if ext != "" {
		name += "." + ext
	}
	return dir + name
}

// isSafeObjectName reports whether name is a plain file name of only
// [A-Za-z0-9._-], not starting with a dot.
func isSafeObjectName(name string) bool {
	if name == "" || name[0] == '.' || len(name) > maxObjectStemBytes {
		return false
	}
	return sanitizeObjectName(name) == name
}

// sanitizeObjectName replaces each run of bytes outside [A-Za-z0-9._-] by "_".
func sanitizeObjectName(name string) string {
	var b strings.Builder
	replaced := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isUnreserved(c) && c != '~' {
			b.WriteByte(c)
			replaced = false
			continue
		}
		if !replaced {
			b.WriteByte('_')
			replaced = true
		}
	}
	return b.String()
}

func checkUploadFileName(name string) error {
	if name == "" || name == "." || name == ".." {
		return fmt.Errorf("upload: invalid file name %q", name)
	}
	for _, r := range name {
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f {
			return fmt.Errorf("upload: file name %q must be a plain name without slashes or control characters", name)
		}
	}
	return nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// multipartFrame builds everything of the multipart body except the file
// bytes: the fields key, policy, OSSAccessKeyId, Signature and
// success_action_status, then the header of the file part (which OSS
// requires to be last), and separately the closing boundary.
func multipartFrame(token *fileToken, key, fileName string) (prefix, suffix []byte, contentType string, err error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, field := range [][2]string{
		{"key", key},
		{"policy", string(token.Policy)},
		{"OSSAccessKeyId", string(token.Accessid)},
		{"Signature", string(token.Signature)},
		{"success_action_status", "200"},
	} {
		if err := mw.WriteField(field[0], field[1]); err != nil {
			return nil, nil, "", fmt.Errorf("upload: building form: %w", err)
		}
	}
	header := make(textproto.MIMEHeader)
	header.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteEscaper.Replace(fileName)))
	header.Set("Content-Type", "application/octet-stream")
	if _, err := mw.CreatePart(header); err != nil {
		return nil, nil, "", fmt.Errorf("upload: building form: %w", err)
	}
	prefix = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := mw.Close(); err != nil {
		return nil, nil, "", fmt.Errorf("upload: building form: %w", err)
	}
	suffix = bytes.Clone(buf.Bytes())
	return prefix, suffix, mw.FormDataContentType(), nil
}

var errOpenFailed = errors.New("cannot open file")

// uploadSource makes request bodies: prefix + file + suffix. Every body it
// made is closed by closeAll at the end of the attempt (net/http may also
// close them, so closing is idempotent).
type uploadSource struct {
	open   func() (io.ReadCloser, error)
	size   int64
	prefix []byte
	suffix []byte

	mu     sync.Mutex
	bodies []*uploadBody
}

func (s *uploadSource) contentLength() int64 {
	return int64(len(s.prefix)) + s.size + int64(len(s.suffix))
}

func (s *uploadSource) newBody() (io.ReadCloser, error) {
	file, err := s.open()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errOpenFailed, err)
	}
	body := &uploadBody{
		Reader: io.MultiReader(bytes.NewReader(s.prefix), &exactSizeReader{r: file, size: s.size}, bytes.NewReader(s.suffix)),
		file:   file,
	}
	s.mu.Lock()
	s.bodies = append(s.bodies, body)
	s.mu.Unlock()
	return body, nil
}

func (s *uploadSource) closeAll() {
	s.mu.Lock()
	bodies := s.bodies
	s.bodies = nil
	s.mu.Unlock()
	for _, b := range bodies {
		_ = b.Close()
	}
}

type uploadBody struct {
	io.Reader
	file io.Closer
	once sync.Once
	err  error
}

func (b *uploadBody) Close() error {
	b.once.Do(func() { b.err = b.file.Close() })
	return b.err
}

// exactSizeReader fails when r yields more or fewer than size bytes.
type exactSizeReader struct {
	r    io.Reader
	size int64
	n    int64
}

func (e *exactSizeReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.n += int64(n)
	if e.n > e.size {
		return n, fmt.Errorf("%w: expected %d bytes, the file has more", ErrFileSizeChanged, e.size)
	}
	if err == io.EOF && e.n != e.size {
		return n, fmt.Errorf("%w: expected %d bytes, got %d", ErrFileSizeChanged, e.size, e.n)
	}
	return n, err
}
