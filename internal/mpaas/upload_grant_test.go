package mpaas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tokenService is a fake GetMcubeFileToken: each token has its own Dir and
// the Expire the test sets.
type tokenService struct {
	api    *fakeAPI
	calls  atomic.Int32
	expire atomic.Pointer[json.RawMessage] // Expire of the next token
}

func (s *tokenService) setExpire(raw string) {
	value := json.RawMessage(raw)
	s.expire.Store(&value)
}

func newTokenService(t *testing.T, ossURL string, expire string) *tokenService {
	s := &tokenService{}
	s.setExpire(expire)
	s.api = newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
		if r.Action != ActionGetFileToken {
			t.Errorf("unexpected action %s", r.Action)
		}
		n := s.calls.Add(1)
		token := testFileToken(ossURL)
		token.Dir = flexString(fmt.Sprintf("mds/tempFileForOnex/APP/default/TNT/uuid-%d/", n))
		token.Expire = *s.expire.Load()
		writeJSON(w, 200, getMcubeFileTokenResponse{responseEnvelope: okEnvelope(), GetFileTokenResult: &getFileTokenResult{Success: flexBoolOf(true), FileToken: token}})
	})
	return s
}

// fakeClock is a settable Config.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var grantClockStart = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// grantClient is a client whose clock starts at grantClockStart, with a
// token service whose tokens expire 30 minutes after it.
func grantClient(t *testing.T, oss *fakeOSS) (*Client, *tokenService, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: grantClockStart}
	tokens := newTokenService(t, oss.srv.URL, fmt.Sprintf("%q", fmt.Sprint(grantClockStart.Add(30*time.Minute).Unix())))
	c, _ := newTestClient(t, tokens.api.srv.URL, func(cfg *Config) { cfg.Now = clock.Now })
	return c, tokens, clock
}

func uploadString(t *testing.T, c *Client, name, content string) (string, error) {
	t.Helper()
	var opens, closes atomic.Int32
	return c.UploadFile(context.Background(), name, int64(len(content)), opener([]byte(content), &opens, &closes))
}

// keyOf is the form field key of an OSS request.
func keyOf(r ossRequest) string {
	for _, p := range r.Parts {
		if p.Name == "key" {
			return p.Value
		}
	}
	return ""
}

func TestUploadFileReusesTheTokenWithUniqueKeys(t *testing.T) {
	oss := newFakeOSS(t, ossOK)
	c, tokens, clock := grantClient(t, oss)
	dir := "mds/tempFileForOnex/APP/default/TNT/uuid-1/"
	want := []string{dir + "41000001.zip", dir + "41000002.zip", dir + "41000001-2.zip", dir + "41000001-3.zip", dir + "a_b-7d2c6a3a.zip"}
	for i, name := range []string{"41000001.zip", "41000002.zip", "41000001.zip", "41000001.zip", "a b.zip"} {
		clock.advance(time.Minute) // 5 minutes in all, well within the token's 30
		fileURL, err := uploadString(t, c, name, "zip bytes")
		if err != nil {
			t.Fatal(err)
		}
		if i < 4 && fileURL != oss.srv.URL+"/"+want[i] {
			t.Errorf("upload %d: FileUrl %s, want key %s", i, fileURL, want[i])
		}
	}
	if n := tokens.calls.Load(); n != 1 {
		t.Fatalf("5 uploads fetched %d tokens, want 1", n)
	}
	seen := map[string]bool{}
	for _, r := range oss.recorded() {
		key := keyOf(r)
		if seen[key] || !strings.HasPrefix(key, dir) {
			t.Errorf("key %q repeated or outside %s", key, dir)
		}
		seen[key] = true
	}
}

func TestUploadFileRefetchesBeforeExpiry(t *testing.T) {
	oss := newFakeOSS(t, ossOK)
	c, tokens, clock := grantClient(t, oss)
	if _, err := uploadString(t, c, "a.zip", "x"); err != nil {
		t.Fatal(err)
	}
	// Inside the safety margin: a new token, though the old one has not expired.
	clock.advance(30*time.Minute - fileTokenReuseMargin)
	tokens.setExpire(fmt.Sprint(clock.Now().Add(30 * time.Minute).Unix())) // a JSON number this time
	if _, err := uploadString(t, c, "a.zip", "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := uploadString(t, c, "a.zip", "x"); err != nil {
		t.Fatal(err)
	}
	if n := tokens.calls.Load(); n != 2 {
		t.Fatalf("%d tokens, want 2 (one before and one after the margin)", n)
	}
	keys := []string{keyOf(oss.recorded()[1]), keyOf(oss.recorded()[2])}
	if keys[0] != "mds/tempFileForOnex/APP/default/TNT/uuid-2/a.zip" || keys[1] != "mds/tempFileForOnex/APP/default/TNT/uuid-2/a-2.zip" {
		t.Fatalf("keys under the second token: %v", keys)
	}
}

func TestUploadFileWithoutExpireFetchesEachTime(t *testing.T) {
	for _, expire := range []string{`null`, `""`, `"soon"`, `-5`} {
		oss := newFakeOSS(t, ossOK)
		tokens := newTokenService(t, oss.srv.URL, expire)
		c, _ := newTestClient(t, tokens.api.srv.URL)
		for i := 0; i < 3; i++ {
			if _, err := uploadString(t, c, "a.zip", "x"); err != nil {
				t.Fatal(err)
			}
		}
		if n := tokens.calls.Load(); n != 3 {
			t.Errorf("Expire %s: %d tokens for 3 uploads, want 3", expire, n)
		}
	}
}

func TestUploadFileReplacesARefusedToken(t *testing.T) {
	refuse := atomic.Int32{}     // OSS request numbers answered 403, as a bit set
	badRequest := atomic.Int32{} // and 400
	oss := newFakeOSS(t, func(n int, w http.ResponseWriter) {
		switch {
		case refuse.Load()&(1<<n) != 0:
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message><RequestId>R1</RequestId></Error>`))
		case badRequest.Load()&(1<<n) != 0:
			w.WriteHeader(http.StatusBadRequest)
		default:
			w.WriteHeader(200)
		}
	})
	c, tokens, _ := grantClient(t, oss)
	refuse.Store(1 << 1) // the second upload, made with the reused token
	if _, err := uploadString(t, c, "a.zip", "x"); err != nil {
		t.Fatal(err)
	}
	fileURL, err := uploadString(t, c, "b.zip", "y")
	if err != nil {
		t.Fatalf("a refused reused token must be replaced: %v", err)
	}
	if n := tokens.calls.Load(); n != 2 || len(oss.recorded()) != 3 {
		t.Fatalf("%d tokens, %d uploads; want 2 and 3", n, len(oss.recorded()))
	}
	if !strings.HasSuffix(fileURL, "/uuid-2/b.zip") {
		t.Fatalf("the retried upload must use the new token: %s", fileURL)
	}

	// A fresh token that is refused is an error, not a loop.
	refuse.Store(1<<3 | 1<<4)
	c.grants.drop(c.grants.token)
	_, err = uploadString(t, c, "c.zip", "z")
	var upErr *UploadError
	if !errors.As(err, &upErr) || upErr.HTTPStatus != http.StatusForbidden || upErr.Code != "AccessDenied" {
		t.Fatalf("err = %v, want the 403 AccessDenied", err)
	}
	if n := tokens.calls.Load(); n != 3 || len(oss.recorded()) != 4 {
		t.Fatalf("%d tokens, %d uploads; want 3 and 4", n, len(oss.recorded()))
	}

	// Another refusal (a 400) keeps the token: it is not about the grant.
	refuse.Store(0)
	badRequest.Store(1 << 5)
	if _, err := uploadString(t, c, "d.zip", "z"); err != nil {
		t.Fatal(err)
	}
	if _, err := uploadString(t, c, "e.zip", "z"); err == nil {
		t.Fatal("a 400 must fail the upload")
	}
	if n := tokens.calls.Load(); n != 4 {
		t.Fatalf("%d tokens, want 4", n)
	}
}

func TestUploadFileSharesOneTokenAcrossGoroutines(t *testing.T) {
	oss := newFakeOSS(t, ossOK)
	c, tokens, _ := grantClient(t, oss)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var opens, closes atomic.Int32
			_, err := c.UploadFile(context.Background(), "same.zip", 1, opener([]byte("x"), &opens, &closes))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := tokens.calls.Load(); n != 1 {
		t.Fatalf("40 concurrent uploads fetched %d tokens, want 1", n)
	}
	keys := map[string]bool{}
	for _, r := range oss.recorded() {
		keys[keyOf(r)] = true
	}
	if len(keys) != 40 {
		t.Fatalf("40 uploads of same.zip used %d distinct keys, want 40", len(keys))
	}
}

func TestUploadFileWaitingForATokenHonoursTheContext(t *testing.T) {
	oss := newFakeOSS(t, ossOK)
	c, _, _ := grantClient(t, oss)
	c.grants.turn <- struct{}{} // another upload is fetching
	defer func() { <-c.grants.turn }()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	var opens, closes atomic.Int32
	if _, err := c.UploadFile(ctx, "a.zip", 1, opener([]byte("x"), &opens, &closes)); err == nil || len(oss.recorded()) != 0 {
		t.Fatalf("err = %v with %d uploads; want a context error and none", err, len(oss.recorded()))
	}
}

func TestTokenExpiry(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want int64 // Unix seconds; 0: unreadable
	}{
		{`"1584327372"`, 1584327372},
		{`1584327372`, 1584327372},
		{`" 1584327372 "`, 1584327372},
		{`1584327372000`, 1584327372},
		{`"1584327372000"`, 1584327372},
		{``, 0}, {`null`, 0}, {`""`, 0}, {`"0"`, 0}, {`-1`, 0}, {`1.5e9`, 0}, {`"tomorrow"`, 0}, {`true`, 0},
	} {
		got, ok := tokenExpiry(json.RawMessage(tc.raw))
		if (tc.want == 0) == ok || (ok && got.Unix() != tc.want) {
			t.Errorf("tokenExpiry(%s) = %v, %v; want %d", tc.raw, got, ok, tc.want)
		}
	}
}
