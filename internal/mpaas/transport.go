package mpaas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	formContentType = "application/x-www-form-urlencoded"
	timestampLayout = "2006-01-02T15:04:05Z"

	// ThrottlingTimeLeftHeaderAPI is the second header the Go SDK reads the
	// throttling wait from (ThrottlingTimeLeftHeader is the first).
	ThrottlingTimeLeftHeaderAPI = "x-ratelimit-user-api"

	baseBackoff      = 250 * time.Millisecond
	maxResponseBytes = 32 << 20
	snippetBytes     = 200
)

// isReadAction reports whether action only reads (List*, Get*, Query*,
// Exist*). Reads are retried on any 5xx and on transport errors; writes are
// not, because the service may have carried them out.
func isReadAction(action string) bool {
	for _, prefix := range []string{"List", "Get", "Query", "Exist"} {
		if strings.HasPrefix(action, prefix) {
			return true
		}
	}
	return false
}

// attemptResult is the outcome of one HTTP attempt.
type attemptResult struct {
	err       error
	status    int
	requestID string
	retry     bool          // worth another attempt
	ambiguous bool          // a write that may have been carried out
	timeLeft  time.Duration // server-requested wait (throttling)
}

// call performs one API action: it adds the common parameters, signs, sends,
// retries what is safe to retry, and decodes the answer into out. It returns
// nil only when the HTTP status is 2xx, ResultCode is a success code
// (successResultCodes) or absent without a gateway Code, and the result
// object is present with Success=true.
func (c *Client) call(ctx context.Context, action string, params url.Values, out response) error {
	form := make(url.Values, len(params)+3)
	for name, values := range params {
		form[name] = values
	}
	form.Set("AppId", c.cfg.AppID)
	form.Set("WorkspaceId", c.cfg.WorkspaceID)
	form.Set("TenantId", c.cfg.TenantID)
	body := form.Encode()

	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)

	read := isReadAction(action)
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return ctxError("mPaaS API "+action, err)
		}
		req, err := c.newAPIRequest(ctx, action, form, body)
		if err != nil {
			return err
		}
		start := time.Now()
		resp, err := c.http.Do(req)
		var res attemptResult
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				c.logAttempt(ctx, action, attempt, names, attemptResult{err: ctxErr}, time.Since(start), 0)
				return ctxError("mPaaS API "+action, ctxErr)
			}
			res = c.transportFailure(action, read, err)
		} else {
			res = c.readAPIResponse(action, read, resp, out)
		}
		duration := time.Since(start)

		if res.err == nil {
			c.logAttempt(ctx, action, attempt, names, res, duration, 0)
			return nil
		}
		if res.ambiguous {
			c.logAttempt(ctx, action, attempt, names, res, duration, 0)
			return &AmbiguousError{Action: action, Err: res.err}
		}
		if !res.retry || attempt >= c.cfg.MaxRetries {
			c.logAttempt(ctx, action, attempt, names, res, duration, 0)
			return res.err
		}
		wait := c.backoff(attempt, res.timeLeft)
		c.logAttempt(ctx, action, attempt, names, res, duration, wait)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("mPaaS API %s: gave up waiting to retry (last error: %v): %w", action, res.err, err)
		}
	}
}

// transportFailure classifies an error that produced no HTTP answer.
func (c *Client) transportFailure(action string, read bool, err error) attemptResult {
	cause := err
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		// url.Error prints the URL, which in V1 holds the signature and token.
		cause = urlErr.Err
	}
	res := attemptResult{err: &TransportError{Action: action, Host: c.endpoint.Host, Err: cause}}
	switch {
	case read:
		res.retry = true
	case isDialError(cause):
		// Nothing reached the server: safe to retry even a write.
		res.retry = true
	default:
		res.ambiguous = true
	}
	return res
}

func isDialError(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// readAPIResponse reads and classifies one HTTP answer.
func (c *Client) readAPIResponse(action string, read bool, resp *http.Response, out response) attemptResult {
	defer resp.Body.Close()
	res := attemptResult{status: resp.StatusCode, timeLeft: throttlingTimeLeft(resp.Header)}
	res.requestID = resp.Header.Get("x-acs-request-id")
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		failure := c.transportFailure(action, read, fmt.Errorf("reading response body (HTTP %d): %w", resp.StatusCode, err))
		failure.status = resp.StatusCode
		return failure
	}

	if !isSuccessStatus(resp.StatusCode) {
		var gw gatewayError
		if jsonErr := json.Unmarshal(body, &gw); jsonErr == nil && gw.Code != "" {
			if gw.RequestId != "" {
				res.requestID = string(gw.RequestId)
			}
			res.err = &APIError{Action: action, Code: string(gw.Code), Message: c.redact(string(gw.Message)), RequestID: res.requestID, HTTPStatus: resp.StatusCode}
			res.retry, res.ambiguous = classify(read, resp.StatusCode, string(gw.Code))
			return res
		}
		res.err = &InvalidResponseError{Action: action, HTTPStatus: resp.StatusCode, RequestID: res.requestID,
			Reason: "body is not a JSON error object", Snippet: c.redact(snippet(body, snippetBytes))}
		res.retry, res.ambiguous = classify(read, resp.StatusCode, "")
		return res
	}

	if err := json.Unmarshal(body, out); err != nil {
		res.err = &InvalidResponseError{Action: action, HTTPStatus: resp.StatusCode, RequestID: res.requestID,
			Reason: "body is not the expected JSON: " + err.Error(), Snippet: c.redact(snippet(body, snippetBytes))}
		return res
	}
	env := out.envelope()
	if env.RequestId != "" {
		res.requestID = string(env.RequestId)
	}
	if env.ResultCode == "" {
		// A gateway-shaped error delivered with HTTP 200; without one, the
		// result object decides, as in the official SDK.
		var gw gatewayError
		if json.Unmarshal(body, &gw) == nil && gw.Code != "" {
			res.err = &APIError{Action: action, Code: string(gw.Code), Message: c.redact(string(gw.Message)), RequestID: res.requestID, HTTPStatus: resp.StatusCode}
			res.retry, res.ambiguous = classify(read, resp.StatusCode, string(gw.Code))
			return res
		}
	}
	if !isSuccessResultCode(string(env.ResultCode)) {
		res.err = &APIError{Action: action, Code: string(env.ResultCode), Message: c.redact(string(env.ResultMessage)), RequestID: res.requestID, HTTPStatus: resp.StatusCode}
		res.retry, res.ambiguous = classify(read, resp.StatusCode, string(env.ResultCode))
		return res
	}
	st := out.status()
	if !st.present {
		res.err = &InvalidResponseError{Action: action, HTTPStatus: resp.StatusCode, RequestID: res.requestID,
			Reason: "response has no result object", Snippet: c.redact(snippet(body, snippetBytes))}
		return res
	}
	if !st.success {
		code := st.code
		if code == "" {
			code = CodeFailed
		}
		requestID := st.requestID
		if requestID == "" {
			requestID = res.requestID
		}
		res.err = &APIError{Action: action, Code: code, Message: c.redact(st.msg), RequestID: requestID, HTTPStatus: resp.StatusCode}
		res.retry, res.ambiguous = classify(read, resp.StatusCode, code)
		return res
	}
	return res
}

// isSuccessStatus reports whether an HTTP status carries an answer to decode:
// any 2xx, as the official SDK (which raises errors only for 4xx and 5xx;
// DESIGN.md section 6.2).
func isSuccessStatus(status int) bool {
	return status >= 200 && status < 300
}

// backoff returns the wait before retry number attempt+1: full jitter over
// an exponential ceiling (250ms doubling, capped at MaxBackoff), raised to
// the server-requested timeLeft but never above 2*MaxBackoff.
func (c *Client) backoff(attempt int, timeLeft time.Duration) time.Duration {
	ceiling := c.cfg.MaxBackoff
	if attempt < 30 {
		if d := baseBackoff << attempt; d < ceiling {
			ceiling = d
		}
	}
	wait := time.Duration(rand.Int64N(int64(ceiling) + 1))
	if timeLeft > wait {
		wait = timeLeft
	}
	if limit := 2 * c.cfg.MaxBackoff; wait > limit {
		wait = limit
	}
	return wait
}

// throttlingTimeLeft reads the wait the gateway asks for from
// x-ratelimit-user-api and x-ratelimit-user (comma-separated key:value
// pairs, e.g. "Limit:600,TimeLeft:1500") and returns the larger one.
//
// Unit: milliseconds. darabonba-openapi's utils.GetThrottlingTimeLeft returns
// the raw TimeLeft integer as ThrottlingError.RetryAfter, and the tea/dara
// retry policy (dara/retry.go GetBackoffDelay) uses RetryAfter directly as
// the backoff delay, in the same unit as its MIN_DELAY_TIME = 100 ("100
// milliseconds") and MAX_DELAY_TIME = 120*1000 ("120 seconds"), i.e. ms.
func throttlingTimeLeft(h http.Header) time.Duration {
	var longest time.Duration
	for _, name := range []string{ThrottlingTimeLeftHeaderAPI, ThrottlingTimeLeftHeader} {
		for _, pair := range strings.Split(h.Get(name), ",") {
			key, value, ok := strings.Cut(strings.TrimSpace(pair), ":")
			if !ok || strings.TrimSpace(key) != "TimeLeft" {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n <= 0 {
				continue
			}
			if d := time.Duration(n) * time.Millisecond; d > longest {
				longest = d
			}
		}
	}
	return longest
}

// newAPIRequest builds and signs one attempt. Every attempt gets a fresh
// date, nonce and signature.
func (c *Client) newAPIRequest(ctx context.Context, action string, form url.Values, body string) (*http.Request, error) {
	u := *c.endpoint
	u.Path = "/"
	timestamp := c.cfg.Now().UTC().Format(timestampLayout)
	nonce := c.cfg.NewNonce()

	if c.cfg.SignatureVersion == SignatureVersionV1 {
		query := url.Values{
			"Action":           {action},
			"Format":           {"json"},
			"Version":          {APIVersion},
			"Timestamp":        {timestamp},
			"SignatureNonce":   {nonce},
			"SignatureMethod":  {AlgorithmV1},
			"SignatureVersion": {"1.0"},
			"AccessKeyId":      {c.cfg.AccessKeyID},
		}
		if c.cfg.SecurityToken != "" {
			query.Set("SecurityToken", c.cfg.SecurityToken)
		}
		signed := make(url.Values, len(query)+len(form))
		for name, values := range form {
			signed[name] = values
		}
		for name, values := range query {
			signed[name] = values
		}
		query.Set("Signature", SignV1(c.cfg.AccessKeySecret, StringToSignV1(http.MethodPost, signed)))
		u.RawQuery = query.Encode()
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("mPaaS API %s: building request: %w", action, err)
	}
	req.Host = u.Host
	req.Header.Set("Content-Type", formContentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("x-acs-action", action)
	req.Header.Set("x-acs-version", APIVersion)
	if c.cfg.SignatureVersion == SignatureVersionV1 {
		return req, nil
	}

	payloadHash := HexSHA256([]byte(body))
	signed := map[string]string{
		"host":                  u.Host,
		"content-type":          formContentType,
		"x-acs-action":          action,
		"x-acs-version":         APIVersion,
		"x-acs-date":            timestamp,
		"x-acs-signature-nonce": nonce,
		"x-acs-content-sha256":  payloadHash,
	}
	if c.cfg.SecurityToken != "" {
		signed["x-acs-security-token"] = c.cfg.SecurityToken
		signed["x-acs-accesskey-id"] = c.cfg.AccessKeyID
	}
	for name, value := range signed {
		if name != "host" {
			req.Header.Set(name, value)
		}
	}
	req.Header.Set("Authorization", AuthorizationV3(c.cfg.AccessKeyID, c.cfg.AccessKeySecret, http.MethodPost, "/", nil, signed, payloadHash))
	return req, nil
}

// logAttempt logs one attempt. It never logs headers, bodies, the secret,
// the token or a signature: only the body parameter names.
func (c *Client) logAttempt(ctx context.Context, action string, attempt int, names []string, res attemptResult, duration, wait time.Duration) {
	if c.cfg.Logger == nil {
		return
	}
	fields := map[string]any{
		"action":            action,
		"attempt":           attempt + 1,
		"http_status":       res.status,
		"request_id":        res.requestID,
		"duration_ms":       duration.Milliseconds(),
		"body_params":       strings.Join(names, ","),
		"signature_version": c.cfg.SignatureVersion,
	}
	if res.err != nil {
		fields["error"] = errorSummary(res.err)
	}
	if wait > 0 || (res.err != nil && res.retry && attempt < c.cfg.MaxRetries) {
		fields["retry_in_ms"] = wait.Milliseconds()
	}
	c.debug(ctx, "mPaaS API request", fields)
}

// errorSummary is a short description safe to log: the error code for
// service errors, the cause for transport errors.
func errorSummary(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	var invalid *InvalidResponseError
	if errors.As(err, &invalid) {
		return "invalid response: " + invalid.Reason
	}
	var te *TransportError
	if errors.As(err, &te) {
		return te.Err.Error()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err.Error()
	}
	return "error"
}

// redact removes the secret and the security token (raw and percent-encoded)
// from text that came back from a server, in case it echoes a string to sign.
func (c *Client) redact(s string) string {
	for _, secret := range []string{c.cfg.AccessKeySecret, c.cfg.SecurityToken} {
		if len(secret) < 4 {
			continue
		}
		for _, form := range []string{secret, url.QueryEscape(secret), PercentEncode(secret), PercentEncode(PercentEncode(secret))} {
			s = strings.ReplaceAll(s, form, "***")
		}
	}
	return s
}

func snippet(body []byte, n int) string {
	body = bytes.TrimSpace(body)
	if len(body) > n {
		body = body[:n]
	}
	return strings.ToValidUTF8(string(body), "?")
}
