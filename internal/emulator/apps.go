package emulator

import (
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/offlinepkg"
)

// checkH5ID applies R2-R4 and names every broken rule.
func checkH5ID(id string) *bizError {
	problems := offlinepkg.CheckH5AppID(id)
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(problems))
	for _, p := range problems {
		msgs = append(msgs, p.Rule+": H5Id "+quoteString(id)+" "+p.Message)
	}
	return bizErrorf(errInvalidH5ID, "%s", strings.Join(msgs, "; "))
}

func checkH5Name(name string) *bizError {
	switch {
	case strings.TrimSpace(name) == "":
		return bizErrorf(errInvalidParameter, "H5Name must not be empty")
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return bizErrorf(errInvalidParameter, "H5Name %q must be valid UTF-8 without control characters", name)
	case utf8.RuneCountInString(name) > 128:
		return bizErrorf(errInvalidParameter, "H5Name must be at most 128 characters")
	}
	return nil
}

func (c *call) createApp() (any, error) {
	resp := &createMcubeNebulaAppResponse{envelope: c.okEnvelope()}
	fail := func(e *bizError) (any, error) {
		r := c.nebulaFail(e)
		resp.CreateNebulaAppResult = &r
		return resp, nil
	}
	h5ID, name := c.p.Get("H5Id"), c.p.Get("H5Name")
	if e := checkH5ID(h5ID); e != nil {
		return fail(e)
	}
	if e := checkH5Name(name); e != nil {
		return fail(e)
	}
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	sc := st.st.scope(c.scope, true)
	if _, ok := sc.Apps[h5ID]; ok {
		return fail(bizErrorf(errAppExists, "H5App %s already exists in this workspace", h5ID))
	}
	sc.Apps[h5ID] = &appRecord{MetaID: st.st.NextAppID, H5Id: h5ID, H5Name: name, Created: c.now}
	st.st.NextAppID++
	if err := st.commitLocked(change{scope: sc, apps: []string{h5ID}}); err != nil {
		return nil, err
	}
	r := c.ok()
	resp.CreateNebulaAppResult = &r
	return resp, nil
}

func (c *call) listApps() (any, error) {
	resp := &listMcubeNebulaAppsResponse{envelope: c.okEnvelope()}
	pageNum, pageSize, e := c.paging()
	if e != nil {
		resp.ListMcubeNebulaAppsResult = &listMcubeNebulaAppsResult{nebulaResult: c.nebulaFail(e), NebulaAppInfos: []nebulaAppInfo{}}
		return resp, nil
	}
	keyword := c.p.Get("Keyword")
	st := c.s.store
	st.mu.Lock()
	var matched []nebulaAppInfo
	if sc := st.st.scope(c.scope, false); sc != nil {
		for _, app := range sc.Apps {
			if c.keywordMatches(keyword, app) {
				matched = append(matched, nebulaAppInfo{H5Id: app.H5Id, H5Name: app.H5Name})
			}
		}
	}
	st.mu.Unlock()
	sort.Slice(matched, func(i, j int) bool { return matched[i].H5Id < matched[j].H5Id })
	total := int64(len(matched))
	from, to, hasMore := page(total, pageNum, pageSize)
	infos := append([]nebulaAppInfo{}, matched[from:to]...)
	resp.ListMcubeNebulaAppsResult = &listMcubeNebulaAppsResult{
		nebulaResult:   c.ok(),
		ListPaging:     c.pagingKeys(pageNum, pageSize, total, hasMore),
		NebulaAppInfos: infos,
	}
	return resp, nil
}

// deleteApp removes the app with its packages and their tasks.
//
// [INFERRED] The service's cascade behaviour is undocumented (DESIGN.md section 6).
func (c *call) deleteApp() (any, error) {
	resp := &deleteMcubeNebulaAppResponse{envelope: c.okEnvelope()}
	h5ID := c.p.Get("H5Id")
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	sc := st.st.scope(c.scope, false)
	if sc == nil || sc.Apps[h5ID] == nil {
		r := c.nebulaFail(bizErrorf(errAppNotFound, "H5App %q does not exist in this workspace", h5ID))
		resp.DeleteMcubeNebulaAppResult = &r
		return resp, nil
	}
	delete(sc.Apps, h5ID)
	var files []string
	gone := change{scope: sc, apps: []string{h5ID}}
	for id, res := range sc.Resources {
		if res.Item.H5ID != h5ID {
			continue
		}
		files = append(files, res.File)
		delete(sc.Resources, id)
		gone.resources = append(gone.resources, id)
		for tid, task := range sc.Tasks {
			if task.Detail.PackageID == id {
				delete(sc.Tasks, tid)
				gone.tasks = append(gone.tasks, tid)
			}
		}
	}
	if err := st.commitLocked(gone); err != nil {
		return nil, err
	}
	for _, f := range files {
		_ = os.Remove(st.abs(f))
	}
	r := c.ok()
	resp.DeleteMcubeNebulaAppResult = &r
	return resp, nil
}

func quoteString(s string) string { return `"` + s + `"` }
