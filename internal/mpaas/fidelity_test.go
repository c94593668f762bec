package mpaas

import (
	"context"
	"net/http"
	"testing"
)

// Any 2xx status carries an answer, as the official SDK reads it.
func TestAny2xxStatusIsAnAnswer(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusNonAuthoritativeInfo} {
		api := newFakeAPI(t, func(_ int, _ recorded, w http.ResponseWriter) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"RequestId":"R","ResultCode":"OK","CreateNebulaAppResult":{"Success":true}}`))
		})
		c, _ := newTestClient(t, api.srv.URL)
		if err := c.sendCreateApp(context.Background(), "12345678", "x"); err != nil {
			t.Errorf("HTTP %d: %v", status, err)
		}
		if n := len(api.recorded()); n != 1 {
			t.Errorf("HTTP %d: %d requests, want 1", status, n)
		}
	}
}
