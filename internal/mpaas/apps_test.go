package mpaas

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// appsServer serves ListMcubeNebulaApps over ids with a substring Keyword
// filter and 1-based paging.
func appsServer(t *testing.T, ids []string) *fakeAPI {
	return newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
		if r.Action != ActionListNebulaApps {
			t.Errorf("unexpected action %s", r.Action)
		}
		var matched []nebulaAppInfo
		for _, id := range ids {
			if strings.Contains(id, r.Form.Get("Keyword")) {
				matched = append(matched, nebulaAppInfo{H5Id: flexString(id), H5Name: flexString("app " + id)})
			}
		}
		pageNum, _ := strconv.Atoi(r.Form.Get("PageNum"))
		pageSize, _ := strconv.Atoi(r.Form.Get("PageSize"))
		if pageNum < 1 {
			pageNum = 1
		}
		if pageSize < 1 {
			pageSize = 20
		}
		from := min((pageNum-1)*pageSize, len(matched))
		to := min(from+pageSize, len(matched))
		writeJSON(w, 200, listMcubeNebulaAppsResponse{responseEnvelope: okEnvelope(), ListMcubeNebulaAppsResult: &listMcubeNebulaAppsResult{
			nebulaResult: *okNebula(),
			listPaging:   hasMore(pageNum*pageSize < len(matched)), NebulaAppInfos: matched[from:to],
		}})
	})
}

func TestListAppsPages(t *testing.T) {
	var ids []string
	for i := 0; i < 250; i++ {
		ids = append(ids, fmt.Sprintf("%08d", 10000000+i))
	}
	api := appsServer(t, ids)
	c, _ := newTestClient(t, api.srv.URL)
	apps, err := c.ListApps(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 250 || apps[0].H5AppID != ids[0] || apps[249].H5AppID != ids[249] || apps[0].Name != "app "+ids[0] {
		t.Fatalf("got %d apps", len(apps))
	}
	reqs := api.recorded()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.Form.Get("PageNum") != strconv.Itoa(i+1) || r.Form.Get("PageSize") != "100" || r.Form.Has("Keyword") {
			t.Errorf("request %d form %v", i, r.Form)
		}
	}
}

func TestListAllStopsOnEmptyPageWithHasMore(t *testing.T) {
	api := newFakeAPI(t, func(n int, _ recorded, w http.ResponseWriter) {
		var items []nebulaAppInfo
		if n == 0 {
			items = []nebulaAppInfo{{H5Id: "11111111"}}
		}
		writeJSON(w, 200, listMcubeNebulaAppsResponse{responseEnvelope: okEnvelope(), ListMcubeNebulaAppsResult: &listMcubeNebulaAppsResult{
			nebulaResult: *okNebula(), listPaging: hasMore(true), NebulaAppInfos: items}})
	})
	c, _ := newTestClient(t, api.srv.URL)
	apps, err := c.ListApps(context.Background(), "x")
	if err != nil || len(apps) != 1 {
		t.Fatalf("apps %v, err %v", apps, err)
	}
	if n := len(api.recorded()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestFindApp(t *testing.T) {
	api := appsServer(t, []string{"11234567", "12345678", "23456781", "99999999"})
	c, _ := newTestClient(t, api.srv.URL)
	app, err := c.FindApp(context.Background(), "12345678")
	if err != nil || app == nil || app.H5AppID != "12345678" || app.Name != "app 12345678" {
		t.Fatalf("FindApp = %+v, %v", app, err)
	}
	if kw := api.recorded()[0].Form.Get("Keyword"); kw != "12345678" {
		t.Errorf("Keyword = %q", kw)
	}
	// "2345678" matches two apps by substring but none exactly.
	app, err = c.FindApp(context.Background(), "2345678")
	if err != nil || app != nil {
		t.Fatalf("FindApp(absent) = %+v, %v; want nil, nil", app, err)
	}
}

func TestListPackagesPages(t *testing.T) {
	api := newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
		page, _ := strconv.Atoi(r.Form.Get("PageNum"))
		var items []nebulaResourceListItem
		count := 100
		if page == 2 {
			count = 7
		}
		for i := 0; i < count; i++ {
			item := nebulaResourceListItem{Md5: "m"}
			item.Id = flexIntOf(int64(page*1000 + i))
			item.H5Id = flexString(r.Form.Get("H5Id"))
			item.ResourceType, item.Platform, item.FileSize = "0", PlatformAndroid, "12"
			items = append(items, item)
		}
		writeJSON(w, 200, listMcubeNebulaResourcesResponse{responseEnvelope: okEnvelope(), ListMcubeNebulaResourceResult: &listMcubeNebulaResourceResult{
			nebulaResult: *okNebula(), listPaging: hasMore(page < 2), NebulaResourceInfo: items}})
	})
	c, _ := newTestClient(t, api.srv.URL)
	items, err := c.ListPackages(context.Background(), "12345678")
	if err != nil || len(items) != 107 || items[106].ID != 2006 || items[0].H5AppID != "12345678" || items[0].MD5 != "m" ||
		items[0].FileSize != 12 || items[0].ResourceType != ResourceTypeNormal || items[0].DecodeError != nil {
		t.Fatalf("got %d items, err %v", len(items), err)
	}
	if n := len(api.recorded()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// hasMore is the paging of an answer that says only HasMore.
func hasMore(more bool) listPaging { return listPaging{HasMore: flexBoolOf(more)} }
