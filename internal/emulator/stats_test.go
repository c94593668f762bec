package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestStatsEndpointCountsActions(t *testing.T) {
	srv, err := New(Options{DataDir: t.TempDir(), Credentials: []Credential{{AccessKeyID: "id", AccessKeySecret: "secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.count("ListMcubeNebulaApps")
	srv.count("ListMcubeNebulaApps")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, statsPath, nil))
	var stats map[string]int64
	if err := json.Unmarshal(rec.Body.Bytes(), &stats); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("status %d, body %q, %v", rec.Code, rec.Body.String(), err)
	}
	if stats["ListMcubeNebulaApps"] != 2 {
		t.Fatalf("stats = %v", stats)
	}
}
