package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// readActions are the only actions live-check lets through: the read actions
// the provider uses. Nothing else leaves the machine (readOnlyTransport), so
// no code path of this tool can write to the workspace.
var readActions = map[string]bool{
	mpaas.ActionListNebulaApps:      true,
	mpaas.ActionListNebulaResources: true,
	mpaas.ActionGetNebulaResource:   true,
	mpaas.ActionListNebulaTasks:     true,
	mpaas.ActionGetNebulaTaskDetail: true,
	mpaas.ActionQueryVhost:          true,
	mpaas.ActionExistRsaKey:         true,
	mpaas.ActionListWhitelists:      true,
}

// readOnlyTransport sends a request only when it is a POST / of an action
// of readActions (named in x-acs-action for V3, in the Action query
// parameter for V1, never both differently); anything else, an upload
// included, fails before it is sent. It keeps each answer's body by action.
type readOnlyTransport struct {
	next http.RoundTripper

	mu      sync.Mutex
	bodies  map[string][][]byte
	refused []string
}

// errNotARead is the error of a refused request.
type errNotARead struct{ what string }

func (e errNotARead) Error() string {
	return "live-check sends only read actions; refused " + e.what
}

func (t *readOnlyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	action, err := readAction(req)
	if err != nil {
		t.mu.Lock()
		t.refused = append(t.refused, err.Error())
		t.mu.Unlock()
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	name := action
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		name = gatewayErrorShape
	}
	t.mu.Lock()
	t.bodies[name] = append(t.bodies[name], body)
	t.mu.Unlock()
	return resp, nil
}

// readAction is the action a request calls, when it is a read of readActions.
func readAction(req *http.Request) (string, error) {
	v3 := req.Header.Get("x-acs-action")
	v1 := req.URL.Query().Get("Action")
	action := v3
	if action == "" {
		action = v1
	}
	switch {
	case req.Method != http.MethodPost || (req.URL.Path != "/" && req.URL.Path != ""):
		return "", errNotARead{fmt.Sprintf("%s %s", req.Method, req.URL.Redacted())}
	case action == "":
		return "", errNotARead{"a request that names no action"}
	case v3 != "" && v1 != "" && v3 != v1:
		return "", errNotARead{fmt.Sprintf("a request naming two actions (%s, %s)", v3, v1)}
	case !readActions[action]:
		return "", errNotARead{"action " + action + ", which is not a read"}
	}
	return action, nil
}

// actionsRead lists the actions answered, sorted.
func (t *readOnlyTransport) actionsRead() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := make([]string, 0, len(t.bodies))
	for name := range t.bodies {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
