package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// maxAsyncReqRate is the upper bound of ExtendInfo.asyncReqRate in seconds (R16).
const maxAsyncReqRate = 86400

// resourceRequest is a CreateMcubeNebulaResource request after parsing.
type resourceRequest struct {
	h5ID, h5Name, version      string
	typeCode, typeName         string
	platform, minVer, maxVer   string
	mainURL, vhost, extendInfo string
	fileURL                    string
	autoInstall, installType   int32
}

func (c *call) parseResourceRequest() (*resourceRequest, *bizError) {
	q := &resourceRequest{
		h5ID: c.p.Get("H5Id"), h5Name: c.p.Get("H5Name"), version: c.p.Get("H5Version"),
		platform: c.p.Get("Platform"), minVer: c.p.Get("ClientVersionMin"), maxVer: c.p.Get("ClientVersionMax"),
		mainURL: c.p.Get("MainUrl"), vhost: c.p.Get("Vhost"), extendInfo: c.p.Get("ExtendInfo"),
		fileURL: c.p.Get("FileUrl"),
	}
	if e := checkH5ID(q.h5ID); e != nil {
		return nil, e
	}
	if q.h5Name != "" {
		if e := checkH5Name(q.h5Name); e != nil {
			return nil, e
		}
	}
	if _, err := offlinepkg.ParseVersion(q.version); err != nil {
		return nil, bizErrorf(errInvalidParameter, "R8: H5Version: %v", err)
	}
	code := strings.TrimSpace(c.p.Get("ResourceType"))
	if code == "" {
		return nil, bizErrorf(errInvalidParameter, "ResourceType is required (the code of \"normal\" or \"global\")")
	}
	n, err := strconv.ParseInt(code, 10, 32)
	if err != nil {
		return nil, bizErrorf(errInvalidParameter, "ResourceType %q is not a whole number", code)
	}
	q.typeCode = strconv.FormatInt(n, 10)
	typeName, err := mpaas.ResourceTypeName(q.typeCode)
	if err != nil {
		return nil, bizErrorf(errInvalidParameter, "R6: ResourceType: %v", err)
	}
	q.typeName = string(typeName)
	if e := checkTargets(q.platform, q.minVer, q.maxVer); e != nil {
		return nil, e
	}
	if q.mainURL != "" && !strings.HasPrefix(q.mainURL, "/") {
		return nil, bizErrorf(errInvalidParameter, "R15: MainUrl %q must be a full path inside the package starting with \"/\", such as /www/index.html", q.mainURL)
	}
	if e := checkExtendInfo(q.extendInfo); e != nil {
		return nil, e
	}
	for _, f := range []struct {
		name string
		dst  *int32
	}{{"AutoInstall", &q.autoInstall}, {"InstallType", &q.installType}} {
		v, e := c.intParam(f.name, 0, 32)
		if e != nil {
			return nil, e
		}
		if v != 0 && v != 1 {
			return nil, bizErrorf(errInvalidParameter, "%s must be 0 or 1, got %d", f.name, v)
		}
		*f.dst = int32(v)
	}
	return q, nil
}

// checkTargets applies R10-R12 to the Platform and client version fields.
func checkTargets(platform, minVer, maxVer string) *bizError {
	if platform == "" {
		return bizErrorf(errInvalidParameter, "R11: Platform is required: %s, %s or %s (both)", mpaas.PlatformAndroid, mpaas.PlatformIOS, mpaas.PlatformAll)
	}
	if strings.EqualFold(platform, mpaas.PlatformAll) && strings.Contains(maxVer, ":") {
		return bizErrorf(errInvalidParameter, "R12: with both platforms the maximum client version follows one strategy: both empty (all future versions) or one common value; ClientVersionMax %q gives per-platform values", maxVer)
	}
	targets, err := mpaas.DecodeTargets(platform, minVer, maxVer)
	if err != nil {
		return bizErrorf(errInvalidParameter, "R10: %v", err)
	}
	for _, t := range []struct {
		name string
		r    *mpaas.VersionRange
	}{{mpaas.PlatformAndroid, targets.Android}, {mpaas.PlatformIOS, targets.IOS}} {
		if t.r == nil {
			continue
		}
		lo, err := offlinepkg.ParseClientVersion(t.r.Min)
		if err != nil {
			return bizErrorf(errInvalidParameter, "R10: %s ClientVersionMin: %v", t.name, err)
		}
		if t.r.Max == "" {
			continue
		}
		hi, err := offlinepkg.ParseClientVersion(t.r.Max)
		if err != nil {
			return bizErrorf(errInvalidParameter, "R10: %s ClientVersionMax: %v", t.name, err)
		}
		if lo.Compare(hi) > 0 {
			return bizErrorf(errInvalidParameter, "R10: %s ClientVersionMin %s is above ClientVersionMax %s", t.name, t.r.Min, t.r.Max)
		}
	}
	return nil
}

// checkExtendInfo applies R16: empty or a JSON object whose asyncReqRate, if
// present, is a whole number of seconds 0..86400 (a JSON number or a numeric string).
func checkExtendInfo(s string) *bizError {
	if s == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
		return bizErrorf(errInvalidParameter, "R16: ExtendInfo must be a JSON object such as {\"asyncReqRate\":\"1800\"}")
	}
	v, ok := obj["asyncReqRate"]
	if !ok {
		return nil
	}
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = strings.TrimSpace(x)
	default:
		return bizErrorf(errInvalidParameter, "R16: ExtendInfo asyncReqRate must be a number of seconds (0 to %d), got %v", maxAsyncReqRate, v)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 || n > maxAsyncReqRate {
		return bizErrorf(errInvalidParameter, "R16: ExtendInfo asyncReqRate must be a whole number of seconds from 0 to %d (0 removes the limit), got %q", maxAsyncReqRate, text)
	}
	return nil
}

// checkAgainstApp applies the rules that depend on stored state. The caller
// holds the store lock.
func (c *call) checkAgainstApp(sc *scopeState, q *resourceRequest) (*appRecord, *bizError) {
	var app *appRecord
	if sc != nil {
		app = sc.Apps[q.h5ID]
	}
	if app == nil {
		return nil, bizErrorf(errAppNotFound, "H5App %s does not exist in this workspace; create it with CreateMcubeNebulaApp first", q.h5ID)
	}
	for _, res := range sc.Resources {
		if res.Item.H5ID == q.h5ID && res.Item.H5Version == q.version {
			return nil, bizErrorf(errVersionExists, "H5App %s already has a package version %s; a new package needs a new version", q.h5ID, q.version)
		}
	}
	if app.ResourceType != "" && app.ResourceType != q.typeName {
		return nil, bizErrorf(errResourceTypeMismatch, "R6: H5App %s holds %s packages; its resource type was fixed by its first package and cannot become %s", q.h5ID, app.ResourceType, q.typeName)
	}
	return app, nil
}

func (c *call) createResource() (any, error) {
	resp := &createMcubeNebulaResourceResponse{envelope: c.okEnvelope()}
	fail := func(e *bizError) (any, error) {
		resp.CreateMcubeNebulaResourceReslult = &createMcubeNebulaResourceResult{nebulaResult: c.nebulaFail(e)}
		return resp, nil
	}
	q, e := c.parseResourceRequest()
	if e != nil {
		return fail(e)
	}
	st := c.s.store

	// Phase 1, locked: check against the store and take an immutable twin
	// of the uploaded object, so a later upload to the same key cannot change it.
	st.mu.Lock()
	sc := st.st.scope(c.scope, false)
	if _, e := c.checkAgainstApp(sc, q); e != nil {
		st.mu.Unlock()
		return fail(e)
	}
	obj, e := c.objectForFileURL(q.fileURL)
	if e != nil {
		st.mu.Unlock()
		return fail(e)
	}
	pending := packagesDir + "/.pending-" + newUUID()
	objMD5, objSize := obj.MD5, obj.Size
	err := linkOrCopy(st.abs(obj.File), st.abs(pending))
	st.mu.Unlock()
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		if !keep {
			_ = os.Remove(st.abs(pending))
		}
	}()

	// Phase 2, unlocked: inspect the zip like the service does.
	_, violations, err := offlinepkg.InspectFile(st.abs(pending), offlinepkg.InspectOptions{
		H5AppID: q.h5ID, ResourceType: q.typeName, MainURL: q.mainURL,
	})
	if err != nil {
		return nil, err
	}
	if len(violations) > 0 {
		msgs := make([]string, len(violations))
		for i, v := range violations {
			msgs[i] = v.Rule + ": " + v.Message
		}
		return fail(bizErrorf(errInvalidPackage, "the package at FileUrl is not a valid offline package: %s", strings.Join(msgs, " ")))
	}

	// Phase 3, locked: check again (the store may have changed), then record.
	st.mu.Lock()
	defer st.mu.Unlock()
	sc = st.st.scope(c.scope, false)
	app, e := c.checkAgainstApp(sc, q)
	if e != nil {
		return fail(e)
	}
	id := st.st.NextResourceID
	st.st.NextResourceID++
	file := fmt.Sprintf("%s/%d.zip", packagesDir, id)
	if err := os.Rename(st.abs(pending), st.abs(file)); err != nil {
		return nil, err
	}
	name := q.h5Name
	if name == "" {
		name = app.H5Name
	}
	vhost := q.vhost
	if vhost == "" {
		vhost = sc.Vhost // R5
	}
	appCode := c.scope.AppID + "-" + c.scope.WorkspaceID
	now := c.gmt(c.now)
	rec := &resourceRecord{
		File:         file,
		DownloadPath: fmt.Sprintf("%s/%s/%s_all/nebula/%s_%s.amr", appCode, q.h5ID, q.version, q.h5ID, q.version),
		Item: packageRecord{
			ID: id, MetaID: app.MetaID, AppCode: appCode,
			H5ID: q.h5ID, H5Name: name, H5Version: q.version,
			ResourceType: q.typeCode, PackageType: 0, Platform: q.platform,
			ClientVersionMin: q.minVer, ClientVersionMax: q.maxVer,
			InstallType: q.installType, AutoInstall: q.autoInstall,
			MainURL: q.mainURL, Vhost: vhost, ExtendInfo: q.extendInfo,
			FileSize: strconv.FormatInt(objSize, 10), Status: 1,
			Creator: "emulator", Modifier: "emulator", GmtCreate: now, GmtModified: now,
			MD5: objMD5, ReleaseVersion: q.version,
		},
	}
	sc.Resources[id] = rec
	app.ResourceType = q.typeName
	if err := st.commitLocked(change{scope: sc, apps: []string{q.h5ID}, resources: []int64{id}}); err != nil {
		_ = os.Remove(st.abs(file))
		return nil, err
	}
	keep = true
	resp.CreateMcubeNebulaResourceReslult = &createMcubeNebulaResourceResult{
		nebulaResult:     c.ok(),
		NebulaResourceId: strconv.FormatInt(id, 10),
	}
	return resp, nil
}

// downloadURL is where this request's client downloads the package.
func (c *call) downloadURL(rec *resourceRecord) string {
	return c.base + "/download/" + rec.DownloadPath
}

// listItem is the package as ListMcubeNebulaResources answers it, with its
// URLs built for this request; GetMcubeNebulaResource answers its
// nebulaResourceInfo.
func (c *call) listItem(rec *resourceRecord) nebulaResourceListItem {
	p := rec.Item
	return nebulaResourceListItem{
		nebulaResourceInfo: nebulaResourceInfo{
			Id: p.ID, MetaId: p.MetaID, AppCode: p.AppCode,
			H5Id: p.H5ID, H5Name: p.H5Name, H5Version: p.H5Version,
			ResourceType: p.ResourceType, PackageType: p.PackageType, Platform: p.Platform,
			ClientVersionMin: p.ClientVersionMin, ClientVersionMax: p.ClientVersionMax,
			InstallType: p.InstallType, AutoInstall: p.AutoInstall,
			MainUrl: p.MainURL, Vhost: p.Vhost, ExtendInfo: p.ExtendInfo,
			DownloadUrl:     c.downloadURL(rec),
			FallbackBaseUrl: c.base + "/download/" + rec.DownloadPath[:strings.LastIndex(rec.DownloadPath, "/")] + "/fallback/",
			FileSize:        p.FileSize, Status: p.Status,
			Creator: p.Creator, Modifier: p.Modifier, GmtCreate: p.GmtCreate, GmtModified: p.GmtModified,
		},
		Md5:            p.MD5,
		ReleaseVersion: p.ReleaseVersion,
	}
}

func (c *call) getResource() (any, error) {
	resp := &getMcubeNebulaResourceResponse{envelope: c.okEnvelope()}
	raw := c.p.Get("Id")
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var rec *resourceRecord
	if sc := st.st.scope(c.scope, false); sc != nil && err == nil {
		rec = sc.Resources[id]
	}
	switch {
	case rec == nil && c.s.opts.Quirks.NotFoundAsEmptyObject:
		resp.GetNebulaResourceResult = &getNebulaResourceResult{nebulaResult: c.ok(), NebulaResourceInfo: &nebulaResourceInfo{}}
		return resp, nil
	case rec == nil:
		resp.GetNebulaResourceResult = &getNebulaResourceResult{nebulaResult: c.nebulaFail(bizErrorf(errResourceNotFound, "package %q does not exist in this workspace", raw))}
		return resp, nil
	}
	info := c.listItem(rec).nebulaResourceInfo
	resp.GetNebulaResourceResult = &getNebulaResourceResult{nebulaResult: c.ok(), NebulaResourceInfo: &info}
	return resp, nil
}

// listResources lists an app's packages, newest version first.
//
// [INFERRED] The service's order is undocumented; newest first matches the console.
func (c *call) listResources() (any, error) {
	resp := &listMcubeNebulaResourcesResponse{envelope: c.okEnvelope()}
	fail := func(e *bizError) (any, error) {
		resp.ListMcubeNebulaResourceResult = &listMcubeNebulaResourceResult{nebulaResult: c.nebulaFail(e), NebulaResourceInfo: []nebulaResourceListItem{}}
		return resp, nil
	}
	pageNum, pageSize, e := c.paging()
	if e != nil {
		return fail(e)
	}
	h5ID := c.p.Get("H5Id")
	st := c.s.store
	st.mu.Lock()
	sc := st.st.scope(c.scope, false)
	if sc == nil || sc.Apps[h5ID] == nil {
		st.mu.Unlock()
		return fail(bizErrorf(errAppNotFound, "H5App %q does not exist in this workspace", h5ID))
	}
	type entry struct {
		v    offlinepkg.Version
		item nebulaResourceListItem
	}
	var all []entry
	for _, rec := range sc.Resources {
		if rec.Item.H5ID != h5ID || c.unlisted(rec) {
			continue
		}
		v, _ := offlinepkg.ParseVersion(rec.Item.H5Version)
		all = append(all, entry{v, c.listItem(rec)})
	}
	st.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].v.Compare(all[j].v) > 0 })
	total := int64(len(all))
	from, to, hasMore := page(total, pageNum, pageSize)
	items := make([]nebulaResourceListItem, 0, to-from)
	for _, en := range all[from:to] {
		items = append(items, en.item)
	}
	resp.ListMcubeNebulaResourceResult = &listMcubeNebulaResourceResult{
		nebulaResult: c.ok(), ListPaging: c.pagingKeys(pageNum, pageSize, total, hasMore),
		NebulaResourceInfo: items,
	}
	return resp, nil
}

// serveDownload serves a package file at its DownloadUrl. The ".amr" is the
// uploaded zip itself ([INFERRED], DESIGN.md section 6.1: opaque to API-level tests).
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	s.count("download")
	path := strings.TrimPrefix(r.URL.Path, "/download/")
	st := s.store
	st.mu.Lock()
	file := ""
	for _, sc := range st.st.Scopes {
		for _, rec := range sc.Resources {
			if rec.DownloadPath == path {
				file = rec.File
				break
			}
		}
		if file != "" {
			break
		}
	}
	var f *os.File
	var err error
	if file != "" {
		f, err = os.Open(st.abs(file)) // opened under the lock: a delete cannot race it
	}
	st.mu.Unlock()
	if file == "" || err != nil {
		http.Error(w, "no such package", http.StatusNotFound)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}
