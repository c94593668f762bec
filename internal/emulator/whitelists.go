package emulator

import (
	"bufio"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/delivery"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Whitelists (Mobile Delivery Service "Whitelist management"): the five
// actions with the official SDK's shapes (DESIGN.md section 6), and the
// membership the delivery decision reads. The WhitelistType codes are the
// client's guesses (mpaas.WhitelistTypeOf); a regex member matches a user ID
// in full (mpaas.WhitelistPattern).

// whitelistRecord is what the emulator keeps of a whitelist: its members
// sorted, each once.
type whitelistRecord struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Type        string   `json:"type"` // the wire code
	Members     []string `json:"members"`
	GmtCreate   string   `json:"gmtCreate"`
	GmtModified string   `json:"gmtModified"`
}

// Whitelist business error codes.
const (
	errWhitelistNotFound = "WHITELIST_NOT_FOUND"
	maxWhitelistName     = 100
	maxWhitelistValue    = 1024
	maxWhitelistFileLine = 64 << 10
)

// ---- wire shapes ----

// whitelistResult is the status of the whitelist results: no ErrorCode, so a
// failure's code leads its message (as dataFail).
type whitelistResult struct {
	ResultMsg string `json:"ResultMsg"`
	Success   bool   `json:"Success"`
}

type createWhitelistResult struct {
	whitelistResult
	WhitelistId string `json:"WhitelistId"`
}

type createMcubeWhitelistResponse struct {
	envelope
	CreateWhitelistResult *createWhitelistResult `json:"CreateWhitelistResult"`
}

type addWhitelistInfo struct {
	FailNum     int64  `json:"FailNum"`
	FailUserIds string `json:"FailUserIds"`
	SuccessNum  int64  `json:"SuccessNum"`
}

type addWhitelistResult struct {
	whitelistResult
	AddWhitelistInfo *addWhitelistInfo `json:"AddWhitelistInfo"`
}

type updateMcubeWhitelistResponse struct {
	envelope
	AddWhitelistResult *addWhitelistResult `json:"AddWhitelistResult"`
}

type whitelistItem struct {
	AppCode        string `json:"AppCode"`
	GmtCreate      string `json:"GmtCreate"`
	GmtModified    string `json:"GmtModified"`
	Id             int64  `json:"Id"`
	WhiteListCount int64  `json:"WhiteListCount"`
	WhiteListName  string `json:"WhiteListName"`
	WhitelistType  string `json:"WhitelistType"`
}

type listWhitelistResult struct {
	whitelistResult
	*ListPaging
	Whitelists []whitelistItem `json:"Whitelists"`
}

type listMcubeWhitelistsResponse struct {
	envelope
	ListWhitelistResult *listWhitelistResult `json:"ListWhitelistResult"`
}

type deleteWhitelistResult struct {
	whitelistResult
	Data string `json:"Data"`
}

type deleteMcubeWhitelistResponse struct {
	envelope
	DeleteWhitelistResult *deleteWhitelistResult `json:"DeleteWhitelistResult"`
}

type deleteWhitelistContentData struct {
	whitelistResult
	Content   string `json:"Content"`
	ErrorCode string `json:"ErrorCode"`
}

type deleteWhitelistContent struct {
	Data      *deleteWhitelistContentData `json:"Data"`
	RequestId string                      `json:"RequestId"`
}

type deleteMdsWhitelistContentResponse struct {
	envelope
	ResultContent *deleteWhitelistContent `json:"ResultContent"`
}

func (c *call) whitelistOK() whitelistResult { return whitelistResult{Success: true} }

// whitelistFail is a failed whitelist result (see bizError and dataFail).
func (c *call) whitelistFail(e *bizError) whitelistResult {
	c.s.logf("mpaas-emulator: %s %s failed: %s: %s", c.requestID, c.action, e.Code, e.Msg)
	return whitelistResult{Success: false, ResultMsg: e.Code + ": " + e.Msg}
}

// ---- actions ----

func (c *call) createWhitelist() (any, error) {
	resp := &createMcubeWhitelistResponse{envelope: c.okEnvelope()}
	name, code := c.p.Get("WhiteListName"), c.p.Get("WhitelistType")
	if e := checkWhitelistName(name); e != nil {
		resp.CreateWhitelistResult = &createWhitelistResult{whitelistResult: c.whitelistFail(e)}
		return resp, nil
	}
	if _, err := mpaas.WhitelistTypeOf(code); err != nil {
		e := bizErrorf(errInvalidParameter, "WhitelistType %q must be %q (exact user IDs) or %q (regular expressions)",
			code, mpaas.WhitelistTypeCode(mpaas.WhitelistNormal), mpaas.WhitelistTypeCode(mpaas.WhitelistRegex))
		resp.CreateWhitelistResult = &createWhitelistResult{whitelistResult: c.whitelistFail(e)}
		return resp, nil
	}
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.st.NextWhitelistID < firstServerID {
		st.st.NextWhitelistID = firstServerID
	}
	id := st.st.NextWhitelistID
	st.st.NextWhitelistID++
	now := c.gmt(c.now)
	sc := st.st.scope(c.scope, true)
	sc.Whitelists[id] = &whitelistRecord{ID: id, Name: name, Type: code, Members: []string{}, GmtCreate: now, GmtModified: now}
	if err := st.commitLocked(change{scope: sc, whitelists: []int64{id}}); err != nil {
		return nil, err
	}
	resp.CreateWhitelistResult = &createWhitelistResult{whitelistResult: c.whitelistOK(), WhitelistId: strconv.FormatInt(id, 10)}
	return resp, nil
}

func checkWhitelistName(name string) *bizError {
	if strings.TrimSpace(name) == "" || len(name) > maxWhitelistName || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return bizErrorf(errInvalidParameter, "WhiteListName %q must be 1 to %d characters without control characters", name, maxWhitelistName)
	}
	return nil
}

// updateWhitelist adds the values of KeyIds (comma-separated) or of the file
// at OssUrl (one a line). Values a whitelist cannot hold (empty after
// trimming, too long, or an expression that does not compile) are counted in
// FailNum and named in FailUserIds; the others are added.
func (c *call) updateWhitelist() (any, error) {
	resp := &updateMcubeWhitelistResponse{envelope: c.okEnvelope()}
	fail := func(e *bizError) (any, error) {
		resp.AddWhitelistResult = &addWhitelistResult{whitelistResult: c.whitelistFail(e)}
		return resp, nil
	}
	if flag := c.p.Get("OnexFlag"); flag != "true" && flag != "false" {
		return fail(bizErrorf(errInvalidParameter, "OnexFlag is required: true or false, got %q", flag))
	}
	keyIDs, ossURL := c.p.Get("KeyIds"), c.p.Get("OssUrl")
	if (keyIDs == "") == (ossURL == "") {
		return fail(bizErrorf(errInvalidParameter, "exactly one of KeyIds and OssUrl is required"))
	}
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	w, e := c.whitelistNamed("Id")
	if e != nil {
		return fail(e)
	}
	values := strings.Split(keyIDs, ",")
	if ossURL != "" {
		var err error
		if values, e, err = c.whitelistFileValues(ossURL); e != nil || err != nil {
			if err != nil {
				return nil, err
			}
			return fail(e)
		}
	}
	info := w.add(values)
	w.GmtModified = c.gmt(c.now)
	if err := st.commitLocked(change{scope: st.st.scope(c.scope, false), whitelists: []int64{w.ID}}); err != nil {
		return nil, err
	}
	resp.AddWhitelistResult = &addWhitelistResult{whitelistResult: c.whitelistOK(), AddWhitelistInfo: info}
	return resp, nil
}

// whitelistNamed returns the scope's whitelist whose ID is the parameter
// param. The caller holds the store's lock.
func (c *call) whitelistNamed(param string) (*whitelistRecord, *bizError) {
	raw := c.p.Get(param)
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil {
		return nil, bizErrorf(errInvalidParameter, "%s %q is not a whitelist ID (a whole number)", param, raw)
	}
	sc := c.s.store.st.scope(c.scope, false)
	if sc == nil || sc.Whitelists[id] == nil {
		return nil, bizErrorf(errWhitelistNotFound, "whitelist %d does not exist in this workspace", id)
	}
	return sc.Whitelists[id], nil
}

// whitelistFileValues reads an uploaded file of one value a line. The
// caller holds the store's lock.
func (c *call) whitelistFileValues(ossURL string) ([]string, *bizError, error) {
	obj, e := c.objectForFileURL(ossURL)
	if e != nil {
		return nil, e, nil
	}
	f, err := os.Open(c.s.store.abs(obj.File))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var values []string
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 0, 4096), maxWhitelistFileLine)
	for lines.Scan() {
		values = append(values, lines.Text())
	}
	if err := lines.Err(); err != nil {
		return nil, bizErrorf(errInvalidParameter, "OssUrl %q is not a file of one value a line: %v", ossURL, err), nil
	}
	return values, nil, nil
}

// add merges values into the members and says what it added and refused.
func (w *whitelistRecord) add(values []string) *addWhitelistInfo {
	members := make(map[string]bool, len(w.Members)+len(values))
	for _, m := range w.Members {
		members[m] = true
	}
	info := &addWhitelistInfo{}
	var refused []string
	for _, raw := range values {
		v := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if v == "" && raw == "" {
			continue // an empty line or a trailing comma
		}
		if !w.canHold(v) {
			info.FailNum++
			refused = append(refused, raw)
			continue
		}
		members[v] = true
		info.SuccessNum++
	}
	info.FailUserIds = strings.Join(refused, ",")
	w.Members = w.Members[:0]
	for m := range members {
		w.Members = append(w.Members, m)
	}
	sort.Strings(w.Members)
	return info
}

func (w *whitelistRecord) canHold(v string) bool {
	if v == "" || len(v) > maxWhitelistValue || strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return false
	}
	if kind, _ := mpaas.WhitelistTypeOf(w.Type); kind == mpaas.WhitelistRegex {
		_, err := mpaas.WhitelistPattern(v)
		return err == nil
	}
	return true
}

func (c *call) listWhitelists() (any, error) {
	resp := &listMcubeWhitelistsResponse{envelope: c.okEnvelope()}
	pageNum, pageSize, e := c.paging()
	if e != nil {
		resp.ListWhitelistResult = &listWhitelistResult{whitelistResult: c.whitelistFail(e), Whitelists: []whitelistItem{}}
		return resp, nil
	}
	name := c.p.Get("WhitelistName")
	st := c.s.store
	st.mu.Lock()
	var matched []whitelistItem
	if sc := st.st.scope(c.scope, false); sc != nil {
		for _, w := range sc.Whitelists {
			if strings.Contains(w.Name, name) {
				matched = append(matched, whitelistItem{
					AppCode: c.scope.AppID + "-" + c.scope.WorkspaceID, GmtCreate: w.GmtCreate, GmtModified: w.GmtModified,
					Id: w.ID, WhiteListCount: int64(len(w.Members)), WhiteListName: w.Name, WhitelistType: w.Type,
				})
			}
		}
	}
	st.mu.Unlock()
	sort.Slice(matched, func(i, j int) bool { return matched[i].Id < matched[j].Id })
	total := int64(len(matched))
	from, to, hasMore := page(total, pageNum, pageSize)
	resp.ListWhitelistResult = &listWhitelistResult{
		whitelistResult: c.whitelistOK(),
		ListPaging:      c.pagingKeys(pageNum, pageSize, total, hasMore),
		Whitelists:      append([]whitelistItem{}, matched[from:to]...),
	}
	return resp, nil
}

func (c *call) deleteWhitelist() (any, error) {
	resp := &deleteMcubeWhitelistResponse{envelope: c.okEnvelope()}
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	w, e := c.whitelistNamed("Id")
	if e != nil {
		resp.DeleteWhitelistResult = &deleteWhitelistResult{whitelistResult: c.whitelistFail(e)}
		return resp, nil
	}
	sc := st.st.scope(c.scope, false)
	delete(sc.Whitelists, w.ID)
	if err := st.commitLocked(change{scope: sc, whitelists: []int64{w.ID}}); err != nil {
		return nil, err
	}
	resp.DeleteWhitelistResult = &deleteWhitelistResult{whitelistResult: c.whitelistOK(), Data: "success"}
	return resp, nil
}

// deleteWhitelistContent removes one value; a value the whitelist does not
// hold is not an error. [INFERRED]: the service's answer then is unknown.
func (c *call) deleteWhitelistContent() (any, error) {
	resp := &deleteMdsWhitelistContentResponse{envelope: c.okEnvelope()}
	answer := func(data *deleteWhitelistContentData) (any, error) {
		resp.ResultContent = &deleteWhitelistContent{Data: data, RequestId: c.requestID}
		return resp, nil
	}
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	w, e := c.whitelistNamed("WhitelistId")
	if e == nil && c.p.Get("WhitelistValue") == "" {
		e = bizErrorf(errInvalidParameter, "WhitelistValue is required")
	}
	if e != nil {
		return answer(&deleteWhitelistContentData{whitelistResult: c.whitelistFail(e), ErrorCode: e.Code})
	}
	value := strings.TrimSpace(c.p.Get("WhitelistValue"))
	if i := sort.SearchStrings(w.Members, value); i < len(w.Members) && w.Members[i] == value {
		w.Members = append(w.Members[:i], w.Members[i+1:]...)
		w.GmtModified = c.gmt(c.now)
		if err := st.commitLocked(change{scope: st.st.scope(c.scope, false), whitelists: []int64{w.ID}}); err != nil {
			return nil, err
		}
	}
	return answer(&deleteWhitelistContentData{whitelistResult: c.whitelistOK(), Content: value})
}

// ---- delivery ----

// deliveryWhitelist resolves a whitelist ID a release names (one entry of
// its comma-separated WhitelistIds) into its members. The caller holds the
// store's lock.
func deliveryWhitelist(sc *scopeState, raw string) delivery.Whitelist {
	var entry delivery.Whitelist
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	w := sc.Whitelists[id]
	switch kind, _ := whitelistKind(w); {
	case err != nil || w == nil:
		entry.Missing = true
	case kind == mpaas.WhitelistRegex:
		entry.Patterns = compiledPatterns(w.Members)
	default:
		entry.Members = w.Members
	}
	return entry
}

func whitelistKind(w *whitelistRecord) (mpaas.WhitelistType, error) {
	if w == nil {
		return "", nil
	}
	return mpaas.WhitelistTypeOf(w.Type)
}

// compiledPatterns compiles the members of a regex whitelist (each was
// checked when it was added).
func compiledPatterns(members []string) []*regexp.Regexp {
	patterns := make([]*regexp.Regexp, 0, len(members))
	for _, m := range members {
		if re, err := mpaas.WhitelistPattern(m); err == nil {
			patterns = append(patterns, re)
		}
	}
	return patterns
}
