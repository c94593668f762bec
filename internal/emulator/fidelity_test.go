package emulator

import (
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

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

// A FileUrl that is not a well-formed URL is refused with an error naming
// it, as OSS would refuse it; the same object's escaped URL registers.
func TestMalformedFileURLRefused(t *testing.T) {
	e := newEnv(t)
	e.mustCreateApp("12345678", "demo")
	tok := e.fileToken()
	const name = "a b#1 100%.zip"
	f, err := os.Open(normalZip(t, "12345678"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if status, body := e.postObject(tok.Host, tokenFields(tok, tok.Dir+name), f); status != http.StatusOK {
		t.Fatalf("upload: HTTP %d: %s", status, body)
	}
	for _, raw := range []string{
		tok.Host + "/" + tok.Dir + name,
		tok.Host + "/" + tok.Dir + "a%20b%231%20100%.zip",
		tok.Host + "/" + tok.Dir + "a%20b%231%20100%25.zip?x=1",
		tok.Host + "/" + tok.Dir + "包.zip",
	} {
		resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", raw))
		result := resp.CreateMcubeNebulaResourceReslult.nebulaResult
		expectBiz(t, resp.envelope, result, errInvalidParameter)
		if !strings.Contains(result.ResultMsg, strconv.Quote(raw)) {
			t.Errorf("FileUrl %q refused with %q, which does not name it", raw, result.ResultMsg)
		}
	}
	escaped := tok.Host + "/" + tok.Dir + url.PathEscape(name)
	resp := e.createResource(e.resourceParams("12345678", "1.0.0.1", escaped))
	expectOK(t, resp.envelope, resp.CreateMcubeNebulaResourceReslult.nebulaResult)
	if got := e.srv.Stats()[mpaas.ActionCreateNebulaResource]; got != 5 {
		t.Errorf("%d creates served, want 5", got)
	}
}

// Quirks: OmitPaging leaves every paging key out of list answers, and
// KeywordIgnoresIDs matches Keyword against names only.
func TestQuirksPagingAndKeyword(t *testing.T) {
	e := newEnvAt(t, t.TempDir(), func(o *Options) { o.Quirks = Quirks{OmitPaging: true, KeywordIgnoresIDs: true} })
	e.mustCreateApp("12345678", "portal")
	for _, action := range []string{mpaas.ActionListNebulaApps, mpaas.ActionListNebulaResources} {
		status, body := e.send(e.requestV3(action, e.params("H5Id", "12345678"), signing{}))
		if status != http.StatusOK {
			t.Fatalf("%s: HTTP %d: %s", action, status, body)
		}
		for _, key := range []string{"HasMore", "TotalCount", "PageSize", "CurrentPage"} {
			if strings.Contains(string(body), `"`+key+`"`) {
				t.Errorf("%s answer has %s: %s", action, key, body)
			}
		}
	}
	for keyword, want := range map[string]int{"12345678": 0, "port": 1} {
		var list listMcubeNebulaAppsResponse
		e.call(mpaas.ActionListNebulaApps, e.params("Keyword", keyword), &list)
		if got := len(list.ListMcubeNebulaAppsResult.NebulaAppInfos); got != want {
			t.Errorf("Keyword %q matched %d apps, want %d", keyword, got, want)
		}
	}
}

// serviceTime formats t as the emulator reads GreyEndtimeData: in its zone.
func (e *env) serviceTime(t time.Time) string {
	return t.In(e.srv.opts.TimeZone).Format(mpaas.GreyEndtimeLayout)
}
