package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// A signed header sent on several lines is canonicalised as the SDK does:
// values trimmed, sorted and joined with commas, whatever their order on the wire.
func TestV3RepeatedHeaderValuesJoinedSorted(t *testing.T) {
	e := newEnv(t)
	body := e.params().Encode()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := mpaas.HexSHA256([]byte(body))
	signed := map[string]string{
		"host":                  req.URL.Host,
		"content-type":          "application/x-www-form-urlencoded",
		"x-acs-action":          mpaas.ActionListNebulaApps,
		"x-acs-version":         mpaas.APIVersion,
		"x-acs-date":            e.now.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": e.nextNonce(),
		"x-acs-content-sha256":  sum,
		"x-acs-extra":           "alpha,beta",
	}
	for name, value := range signed {
		if name != "host" && name != "x-acs-extra" {
			req.Header.Set(name, value)
		}
	}
	req.Header.Add("x-acs-extra", "beta")
	req.Header.Add("x-acs-extra", " alpha")
	req.Header.Set("Authorization", mpaas.AuthorizationV3(testKeyID, testSecret, http.MethodPost, "/", nil, signed, sum))
	if status, resp := e.send(req); status != http.StatusOK {
		t.Fatalf("HTTP %d: %s", status, resp)
	}
	if got := e.srv.Stats()[mpaas.ActionListNebulaApps]; got != 1 {
		t.Errorf("ListMcubeNebulaApps served %d times, want 1", got)
	}
}
