package mpaas

import (
	"errors"
	"fmt"
	"net/http"
)

// Gateway error codes the client treats specially (DESIGN.md section 6).
const (
	CodeThrottling         = "Throttling"
	CodeThrottlingUser     = "Throttling.User"
	CodeThrottlingAPI      = "Throttling.Api"
	CodeServiceUnavailable = "ServiceUnavailable"
	// CodeFailed is used when an inner result says Success=false without an ErrorCode.
	CodeFailed = "Failed"
)

// APIError is a failure reported by the service: a gateway error (HTTP
// 4xx/5xx with Code/Message), a ResultCode other than "OK", or an inner
// result with Success=false.
type APIError struct {
	Action     string
	Code       string
	Message    string
	RequestID  string
	HTTPStatus int
}

func (e *APIError) Error() string {
	requestID := e.RequestID
	if requestID == "" {
		requestID = "none"
	}
	msg := e.Message
	if msg == "" {
		msg = "(no message)"
	}
	return fmt.Sprintf("mPaaS API %s failed: %s: %s (request id %s, HTTP %d)", e.Action, e.Code, msg, requestID, e.HTTPStatus)
}

// InvalidResponseError is an answer the client cannot interpret: a body that
// is not JSON (an HTML error page from a proxy, say) or a JSON body without
// the expected result object.
type InvalidResponseError struct {
	Action     string
	HTTPStatus int
	RequestID  string
	Reason     string
	// Snippet is the start of the body (at most 200 bytes).
	Snippet string
}

func (e *InvalidResponseError) Error() string {
	s := fmt.Sprintf("mPaaS API %s: unexpected response (HTTP %d): %s", e.Action, e.HTTPStatus, e.Reason)
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	if e.Snippet != "" {
		s += fmt.Sprintf("; body starts with %q", e.Snippet)
	}
	return s
}

// TransportError is a failure to get any HTTP answer (connection refused or
// reset, EOF, timeout). The URL is left out on purpose: in signature V1 it
// carries the signature and the security token.
type TransportError struct {
	Action string
	Host   string
	Err    error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("mPaaS API %s: request to %s failed: %v", e.Action, e.Host, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// AmbiguousError wraps the failure of a write action (Create*, Delete*,
// Change*, Upload*) that may nevertheless have been carried out: the
// connection broke, or the server answered 500/502/504. Such calls are not
// retried; the caller should look the object up before trying again.
type AmbiguousError struct {
	Action string
	Err    error
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%v (the %s request may or may not have been carried out)", e.Err, e.Action)
}

func (e *AmbiguousError) Unwrap() error { return e.Err }

// IsAmbiguous reports whether err says a write may have been carried out
// despite the failure.
func IsAmbiguous(err error) bool {
	var ae *AmbiguousError
	return errors.As(err, &ae)
}

// IsThrottling reports whether err is a throttling answer from the service.
func IsThrottling(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return isThrottlingCode(apiErr.Code) || apiErr.HTTPStatus == http.StatusTooManyRequests
}

// ErrorCode returns the service error code carried by err, or "".
func ErrorCode(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return ""
}

func isThrottlingCode(code string) bool {
	switch code {
	case CodeThrottling, CodeThrottlingUser, CodeThrottlingAPI:
		return true
	}
	return false
}

// IsTransient reports whether err is a passing condition rather than an
// answer about the request: throttling, a 5xx, a broken connection, or an
// ambiguous write. Retrying later may succeed.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if IsThrottling(err) || IsAmbiguous(err) {
		return true
	}
	var transportErr *TransportError
	if errors.As(err, &transportErr) {
		return true
	}
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.HTTPStatus >= 500 || apiErr.Code == CodeServiceUnavailable)
}
