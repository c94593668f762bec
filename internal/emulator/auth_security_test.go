package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// A request with no signature at all (no Authorization header, no V1 query)
// is refused and changes nothing.
func TestUnsignedRequestRefused(t *testing.T) {
	e := newEnv(t)
	body := e.params("H5Id", "12345678", "H5Name", "x").Encode()
	for name, prepare := range map[string]func(*http.Request){
		"bare form": func(*http.Request) {},
		"v3 headers only": func(r *http.Request) {
			r.Header.Set("x-acs-action", mpaas.ActionCreateNebulaApp)
			r.Header.Set("x-acs-version", mpaas.APIVersion)
		},
		"empty authorization": func(r *http.Request) { r.Header.Set("Authorization", mpaas.AlgorithmV3+" ") },
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			prepare(req)
			status, out := e.send(req)
			expectGateway(t, status, out, http.StatusBadRequest, "MissingParameter")
		})
	}
	if n := e.appCount(); n != 0 {
		t.Fatalf("an unsigned create was processed: %d apps", n)
	}
}

// A V1 request signs the query and the form merged. A form parameter must not
// be able to stand in, in the signature, for a query parameter that was
// changed: here a signed ListMcubeNebulaApps is replayed as
// DeleteMcubeNebulaApp with Action=ListMcubeNebulaApps added to the form.
func TestV1FormCannotShadowQueryParameter(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "Demo")
	req := e.requestV1(mpaas.ActionListNebulaApps, e.params("H5Id", "12345678"), signing{})
	q := req.URL.Query()
	q.Set("Action", mpaas.ActionDeleteNebulaApp)
	req.URL.RawQuery = q.Encode()
	form := e.params("H5Id", "12345678", "Action", mpaas.ActionListNebulaApps).Encode()
	req.Body = ioNopCloser(form)
	req.ContentLength = int64(len(form))
	status, out := e.send(req)
	if status == http.StatusOK {
		t.Errorf("the rewritten request was accepted: %s", out)
	}
	if n := e.appCount(); n != 1 {
		t.Fatalf("the app was deleted by a request signed for a list")
	}
}
