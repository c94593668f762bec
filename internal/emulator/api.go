package emulator

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// call is one authenticated API request.
type call struct {
	s         *Server
	r         *http.Request
	requestID string
	action    string
	scope     scopeKey
	p         url.Values // form body
	now       time.Time
	base      string // PublicURL or the request's base URL
}

type handler func(c *call) (any, error)

// actions are the actions the emulator serves, by wire name.
var actions = map[string]handler{
	mpaas.ActionCreateNebulaApp:        (*call).createApp,
	mpaas.ActionListNebulaApps:         (*call).listApps,
	mpaas.ActionDeleteNebulaApp:        (*call).deleteApp,
	mpaas.ActionCreateNebulaResource:   (*call).createResource,
	mpaas.ActionGetNebulaResource:      (*call).getResource,
	mpaas.ActionListNebulaResources:    (*call).listResources,
	mpaas.ActionCreateNebulaTask:       (*call).createTask,
	mpaas.ActionListNebulaTasks:        (*call).listTasks,
	mpaas.ActionGetNebulaTaskDetail:    (*call).getTaskDetail,
	mpaas.ActionChangeNebulaTaskStatus: (*call).changeTaskStatus,
	mpaas.ActionGetFileToken:           (*call).getFileToken,
	mpaas.ActionCreateVhost:            (*call).createVhost,
	mpaas.ActionQueryVhost:             (*call).queryVhost,
	mpaas.ActionExistRsaKey:            (*call).existRsaKey,
	mpaas.ActionUploadRsaKey:           (*call).uploadRsaKey,

	mpaas.ActionCreateWhitelist:        (*call).createWhitelist,
	mpaas.ActionUpdateWhitelist:        (*call).updateWhitelist,
	mpaas.ActionListWhitelists:         (*call).listWhitelists,
	mpaas.ActionDeleteWhitelist:        (*call).deleteWhitelist,
	mpaas.ActionDeleteWhitelistContent: (*call).deleteWhitelistContent,
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	raw, err := io.ReadAll(io.LimitReader(r.Body, apiBodyLimit+1))
	if err != nil {
		s.gatewayError(w, requestID, http.StatusBadRequest, "InvalidParameter", "reading the request body: "+err.Error())
		return
	}
	if len(raw) > apiBodyLimit {
		s.gatewayError(w, requestID, http.StatusRequestEntityTooLarge, "InvalidParameter", "the request body exceeds 1 MiB; package files go through the upload endpoint from GetMcubeFileToken")
		return
	}
	a, gerr := s.authenticate(r, raw)
	if gerr != nil {
		s.gatewayError(w, requestID, gerr.status, gerr.code, gerr.message)
		return
	}
	s.count(a.action)
	s.count(SignatureStat(a.algorithm))
	scope, gerr := scopeFrom(a.body)
	if gerr != nil {
		s.gatewayError(w, requestID, gerr.status, gerr.code, gerr.message)
		return
	}
	c := &call{s: s, r: r, requestID: requestID, action: a.action, scope: scope, p: a.body, now: s.opts.Now().UTC(), base: s.baseURL(r)}
	resp, err := actions[a.action](c)
	if err != nil {
		s.gatewayError(w, requestID, http.StatusInternalServerError, "InternalFailure", "The request processing has failed due to some unknown error: "+err.Error())
		return
	}
	s.logf("mpaas-emulator: %s %s scope=%s ok", requestID, a.action, scope)
	w.Header().Set("x-acs-request-id", requestID)
	if s.opts.Quirks.SDKLenient {
		writeJSONIn(w, http.StatusOK, resp, func(body []byte) []byte { return sdkLenientBody(body, s.opts.TimeZone) })
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// scopeFrom reads AppId, WorkspaceId and TenantId from the form body.
func scopeFrom(body url.Values) (scopeKey, *gwErr) {
	k := scopeKey{AppID: body.Get("AppId"), WorkspaceID: body.Get("WorkspaceId"), TenantID: body.Get("TenantId")}
	for _, f := range []struct{ name, value string }{{"AppId", k.AppID}, {"WorkspaceId", k.WorkspaceID}, {"TenantId", k.TenantID}} {
		if f.value == "" {
			return k, missing(f.name)
		}
		if len(f.value) > 128 || strings.ContainsAny(f.value, "/\\") || strings.IndexFunc(f.value, unicode.IsControl) >= 0 || f.value == "." || f.value == ".." {
			return k, &gwErr{http.StatusBadRequest, "InvalidParameter", fmt.Sprintf("%s %q must be at most 128 characters without slashes or control characters", f.name, f.value)}
		}
	}
	return k, nil
}

// okEnvelope is the top level of every answer that reaches an action.
func (c *call) okEnvelope() envelope {
	return envelope{RequestId: c.requestID, ResultCode: resultCodeOK, ResultMessage: ""}
}

// bizError is a business validation failure.
//
// [INFERRED] The real service's shape for these is undocumented (DESIGN.md section 6.1).
// The emulator answers HTTP 200 with the envelope's ResultCode "OK" and
// the inner result carrying Success=false, ErrorCode (for results that have
// one) and a descriptive ResultMsg. This is the one place that decides it:
// nebulaFail and dataFail below build every such answer.
type bizError struct {
	Code string
	Msg  string
}

func bizErrorf(code, format string, args ...any) *bizError {
	return &bizError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Business error codes.
const (
	errInvalidH5ID          = "INVALID_H5ID"
	errAppNotFound          = mpaas.CodeAppNotFound
	errAppExists            = "H5APP_EXISTS"
	errVersionExists        = "VERSION_EXISTS"
	errResourceTypeMismatch = "RESOURCE_TYPE_MISMATCH"
	errInvalidParameter     = "INVALID_PARAMETER"
	errInvalidPackage       = "INVALID_PACKAGE"
	errFileNotFound         = "FILE_NOT_FOUND"
	errResourceNotFound     = mpaas.CodeResourceNotFound
	errTaskNotFound         = mpaas.CodeTaskNotFound
	errTaskEnded            = "TASK_ENDED"
)

// ok is a successful Nebula result status.
func (c *call) ok() nebulaResult {
	return nebulaResult{Success: true, RequestId: c.requestID}
}

// nebulaFail is the status of a failed Nebula result (see bizError).
func (c *call) nebulaFail(e *bizError) nebulaResult {
	c.s.logf("mpaas-emulator: %s %s failed: %s: %s", c.requestID, c.action, e.Code, e.Msg)
	return nebulaResult{Success: false, ErrorCode: e.Code, ResultMsg: e.Msg, RequestId: c.requestID}
}

// dataFail is a failed {Data, ResultMsg, Success} result, which has no
// ErrorCode: the code leads the message instead (see bizError).
func (c *call) dataFail(e *bizError) *dataResult {
	c.s.logf("mpaas-emulator: %s %s failed: %s: %s", c.requestID, c.action, e.Code, e.Msg)
	return &dataResult{Success: false, ResultMsg: e.Code + ": " + e.Msg}
}

// intParam parses an optional integer form parameter; absent gives def.
func (c *call) intParam(name string, def int64, bits int) (int64, *bizError) {
	v := strings.TrimSpace(c.p.Get(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, bits)
	if err != nil {
		return 0, bizErrorf(errInvalidParameter, "%s %q is not a whole number", name, v)
	}
	return n, nil
}

// paging reads PageNum (1-based, default 1) and PageSize (default 20, at most 100).
//
// [INFERRED] defaults and bounds (DESIGN.md section 6.1, paging).
func (c *call) paging() (pageNum, pageSize int64, e *bizError) {
	if pageNum, e = c.intParam("PageNum", 1, 32); e != nil {
		return 0, 0, e
	}
	if pageSize, e = c.intParam("PageSize", 20, 32); e != nil {
		return 0, 0, e
	}
	if pageNum == 0 {
		pageNum = 1
	}
	if pageSize == 0 {
		pageSize = 20
	}
	if pageNum < 0 || pageSize < 0 {
		return 0, 0, bizErrorf(errInvalidParameter, "PageNum and PageSize must be positive, got %d and %d", pageNum, pageSize)
	}
	if pageSize > 100 {
		pageSize = 100
	}
	return pageNum, pageSize, nil
}

// page returns the [from, to) bounds of a page over total items.
func page(total, pageNum, pageSize int64) (from, to int64, hasMore bool) {
	from = (pageNum - 1) * pageSize
	if from > total {
		from = total
	}
	to = from + pageSize
	if to > total {
		to = total
	}
	return from, to, pageNum*pageSize < total
}

// gmt formats a GmtCreate/GmtModified in the emulator's time zone.
func (c *call) gmt(t time.Time) string { return t.In(c.s.opts.TimeZone).Format(mpaas.GmtLayout) }
