package mpaas

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// ossPart is one multipart part as the fake OSS saw it.
type ossPart struct {
	Name, FileName, ContentType string
	Value                       string // non-file fields
	Size                        int64
	SHA256                      [32]byte
}

type ossRequest struct {
	ContentLength    int64
	BodyBytes        int64
	TransferEncoding []string
	Parts            []ossPart
}

// fakeOSS streams each multipart upload (never holding the file) and
// records what it saw. answer decides the response of request n.
type fakeOSS struct {
	srv      *httptest.Server
	mu       sync.Mutex
	requests []ossRequest
	answer   func(n int, w http.ResponseWriter)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func newFakeOSS(t *testing.T, answer func(n int, w http.ResponseWriter)) *fakeOSS {
	f := &fakeOSS{answer: answer}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		counted := &countingReader{r: r.Body}
		r.Body = io.NopCloser(counted)
		rec := ossRequest{ContentLength: r.ContentLength, TransferEncoding: r.TransferEncoding}
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			p := ossPart{Name: part.FormName(), FileName: part.FileName(), ContentType: part.Header.Get("Content-Type")}
			if p.FileName != "" {
				h := sha256.New()
				p.Size, err = io.Copy(h, part)
				copy(p.SHA256[:], h.Sum(nil))
			} else {
				var b []byte
				b, err = io.ReadAll(part)
				p.Value = string(b)
			}
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			rec.Parts = append(rec.Parts, p)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		rec.BodyBytes = counted.n
		f.mu.Lock()
		n := len(f.requests)
		f.requests = append(f.requests, rec)
		f.mu.Unlock()
		f.answer(n, w)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOSS) recorded() []ossRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ossRequest(nil), f.requests...)
}

func ossOK(_ int, w http.ResponseWriter) { w.WriteHeader(200) }

func testFileToken(host string) *fileToken {
	return &fileToken{Accessid: "LTAIxxxx", Dir: "mds/tempFileForOnex/APP/default/TNT/uuid/",
		Host: flexString(host), Policy: "eyJleHBpcmF0aW9uIjoiMjAyNCJ9", Signature: "c2lnbmF0dXJl"}
}

// opener returns an open func over content that counts opens and closes.
func opener(content []byte, opens, closes *atomic.Int32) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		opens.Add(1)
		return &closeCounter{Reader: bytes.NewReader(content), closes: closes}, nil
	}
}

type closeCounter struct {
	io.Reader
	closes *atomic.Int32
}

func (c *closeCounter) Close() error { c.closes.Add(1); return nil }

func TestUploadMultipart(t *testing.T) {
	oss := newFakeOSS(t, ossOK)
	c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
	content := []byte(strings.Repeat("PK\x03\x04 zip bytes ", 1000))
	var opens, closes atomic.Int32
	token := testFileToken(oss.srv.URL + "/")
	fileURL, err := c.upload(context.Background(), token, `12345678 "v1".zip`, int64(len(content)), opener(content, &opens, &closes))
	if err != nil {
		t.Fatal(err)
	}
	// The key is safe whatever the file name; the name is only the multipart filename.
	wantURL := oss.srv.URL + "/mds/tempFileForOnex/APP/default/TNT/uuid/12345678_v1-eb18d83b.zip"
	if fileURL != wantURL {
		t.Errorf("fileURL %q, want %q", fileURL, wantURL)
	}
	reqs := oss.recorded()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.ContentLength <= 0 || r.ContentLength != r.BodyBytes || len(r.TransferEncoding) != 0 {
		t.Errorf("Content-Length %d, body %d bytes, transfer encoding %v; want exact length, not chunked", r.ContentLength, r.BodyBytes, r.TransferEncoding)
	}
	var names []string
	for _, p := range r.Parts {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "key,policy,OSSAccessKeyId,Signature,success_action_status,file" {
		t.Errorf("field order %s", got)
	}
	values := map[string]string{}
	for _, p := range r.Parts[:5] {
		values[p.Name] = p.Value
	}
	want := map[string]string{"key": string(token.Dir) + "12345678_v1-eb18d83b.zip", "policy": string(token.Policy), "OSSAccessKeyId": string(token.Accessid),
		"Signature": string(token.Signature), "success_action_status": "200"}
	for k, v := range want {
		if values[k] != v {
			t.Errorf("field %s = %q, want %q", k, values[k], v)
		}
	}
	file := r.Parts[5]
	if file.FileName != `12345678 "v1".zip` || file.ContentType != "application/octet-stream" ||
		file.Size != int64(len(content)) || file.SHA256 != sha256.Sum256(content) {
		t.Errorf("file part %+v", file)
	}
	if opens.Load() != 1 || closes.Load() < 1 {
		t.Errorf("opens %d closes %d", opens.Load(), closes.Load())
	}
}

func TestUploadRetryReopens(t *testing.T) {
	oss := newFakeOSS(t, func(n int, w http.ResponseWriter) {
		if n == 0 {
			w.WriteHeader(500)
			_, _ = w.Write([]byte("<Error><Code>InternalError</Code><Message>try again</Message></Error>"))
			return
		}
		w.WriteHeader(204)
	})
	log := &captureLogger{}
	c, sleeps := newTestClient(t, "https://mpaas.aliyuncs.com", func(cfg *Config) { cfg.Logger = log })
	content := []byte("hello zip")
	var opens, closes atomic.Int32
	if _, err := c.upload(context.Background(), testFileToken(oss.srv.URL), "a.zip", int64(len(content)), opener(content, &opens, &closes)); err != nil {
		t.Fatal(err)
	}
	reqs := oss.recorded()
	if len(reqs) != 2 || opens.Load() != 2 || len(sleeps.all()) != 1 {
		t.Errorf("requests %d, opens %d, waits %d; want 2, 2, 1", len(reqs), opens.Load(), len(sleeps.all()))
	}
	if closes.Load() < opens.Load() {
		t.Errorf("opened %d readers, closed %d", opens.Load(), closes.Load())
	}
	for _, r := range reqs {
		if last := r.Parts[len(r.Parts)-1]; last.Size != int64(len(content)) {
			t.Errorf("retry sent %d file bytes", last.Size)
		}
	}
	text := log.text()
	for _, s := range []string{string(testFileToken("").Policy), string(testFileToken("").Signature)} {
		if strings.Contains(text, s) {
			t.Errorf("upload log contains policy/signature %q", s)
		}
	}
}

func TestUploadErrors(t *testing.T) {
	t.Run("OSS 403 XML not retried", func(t *testing.T) {
		oss := newFakeOSS(t, func(_ int, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(403)
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message><RequestId>5C3D9175B6FC201293AD</RequestId></Error>`))
		})
		c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
		var opens, closes atomic.Int32
		_, err := c.upload(context.Background(), testFileToken(oss.srv.URL), "a.zip", 3, opener([]byte("abc"), &opens, &closes))
		var upErr *UploadError
		if !errors.As(err, &upErr) || upErr.HTTPStatus != 403 || upErr.Code != "AccessDenied" ||
			upErr.Message != "Invalid according to Policy: Policy expired." || upErr.RequestID != "5C3D9175B6FC201293AD" {
			t.Fatalf("err = %#v", err)
		}
		if len(oss.recorded()) != 1 {
			t.Errorf("%d requests, want 1", len(oss.recorded()))
		}
	})
	t.Run("non-XML error body", func(t *testing.T) {
		oss := newFakeOSS(t, func(_ int, w http.ResponseWriter) {
			w.WriteHeader(400)
			_, _ = w.Write([]byte(strings.Repeat("x", 2000)))
		})
		c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
		var opens, closes atomic.Int32
		_, err := c.upload(context.Background(), testFileToken(oss.srv.URL), "a.zip", 3, opener([]byte("abc"), &opens, &closes))
		var upErr *UploadError
		if !errors.As(err, &upErr) || len(upErr.Snippet) != 500 || !strings.Contains(err.Error(), "HTTP 400") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("5xx retries exhausted", func(t *testing.T) {
		oss := newFakeOSS(t, func(_ int, w http.ResponseWriter) { w.WriteHeader(503) })
		c, _ := newTestClient(t, "https://mpaas.aliyuncs.com", func(cfg *Config) { cfg.MaxRetries = 2 })
		var opens, closes atomic.Int32
		_, err := c.upload(context.Background(), testFileToken(oss.srv.URL), "a.zip", 3, opener([]byte("abc"), &opens, &closes))
		if err == nil || len(oss.recorded()) != 3 || opens.Load() != 3 {
			t.Fatalf("err %v, %d requests, %d opens; want error, 3, 3", err, len(oss.recorded()), opens.Load())
		}
	})
	t.Run("http non-loopback host refused", func(t *testing.T) {
		c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
		var opens, closes atomic.Int32
		for _, host := range []string{"http://mcube-prod.oss-cn-hangzhou.aliyuncs.com", "http://10.1.2.3:8080", "ftp://127.0.0.1", "not a url"} {
			_, err := c.upload(context.Background(), testFileToken(host), "a.zip", 3, opener([]byte("abc"), &opens, &closes))
			if err == nil {
				t.Errorf("host %q accepted", host)
			}
		}
		if opens.Load() != 0 {
			t.Errorf("file opened %d times for refused hosts", opens.Load())
		}
	})
	t.Run("size mismatch not retried", func(t *testing.T) {
		oss := newFakeOSS(t, ossOK)
		c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
		for _, size := range []int64{2, 10} {
			var opens, closes atomic.Int32
			_, err := c.upload(context.Background(), testFileToken(oss.srv.URL), "a.zip", size, opener([]byte("abcdef"), &opens, &closes))
			if !errors.Is(err, ErrFileSizeChanged) || opens.Load() != 1 {
				t.Errorf("size %d: err %v, opens %d; want ErrFileSizeChanged after 1 open", size, err, opens.Load())
			}
		}
	})
	t.Run("bad file names", func(t *testing.T) {
		c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
		for _, name := range []string{"", "..", "a/b.zip", "a\\b", "a\r\nX-Evil: 1"} {
			if _, err := c.upload(context.Background(), testFileToken("https://h"), name, 0, nil); err == nil {
				t.Errorf("file name %q accepted", name)
			}
		}
	})
	t.Run("open error", func(t *testing.T) {
		oss := newFakeOSS(t, ossOK)
		c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
		_, err := c.upload(context.Background(), testFileToken(oss.srv.URL), "a.zip", 1, func() (io.ReadCloser, error) {
			return nil, errors.New("permission denied")
		})
		if err == nil || !strings.Contains(err.Error(), "permission denied") || len(oss.recorded()) != 0 {
			t.Errorf("err %v", err)
		}
	})
}

func TestUploadFileGetsTokenThenUploads(t *testing.T) {
	oss := newFakeOSS(t, ossOK)
	api := newFakeAPI(t, func(_ int, r recorded, w http.ResponseWriter) {
		if r.Action != ActionGetFileToken || r.Form.Get("OnexFlag") != "true" {
			t.Errorf("unexpected %s %v", r.Action, r.Form)
		}
		writeJSON(w, 200, getMcubeFileTokenResponse{responseEnvelope: okEnvelope(), GetFileTokenResult: &getFileTokenResult{Success: flexBoolOf(true), FileToken: testFileToken(oss.srv.URL)}})
	})
	c, _ := newTestClient(t, api.srv.URL)
	var opens, closes atomic.Int32
	fileURL, err := c.UploadFile(context.Background(), "12345678.zip", 4, opener([]byte("data"), &opens, &closes))
	if err != nil {
		t.Fatal(err)
	}
	if fileURL != oss.srv.URL+"/"+string(testFileToken("").Dir)+"12345678.zip" || len(oss.recorded()) != 1 {
		t.Errorf("fileURL %s", fileURL)
	}
}

// patternReader yields n bytes without holding them.
type patternReader struct{ remaining int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.remaining <= 0 {
		return 0, io.EOF
	}
	n := int64(len(b))
	if n > p.remaining {
		n = p.remaining
	}
	for i := range b[:n] {
		b[i] = byte(i)
	}
	p.remaining -= n
	return int(n), nil
}

func (p *patternReader) Close() error { return nil }

func TestUploadStreamsLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB upload")
	}
	const size = 50 << 20
	oss := newFakeOSS(t, ossOK)
	c, _ := newTestClient(t, "https://mpaas.aliyuncs.com")
	open := func() (io.ReadCloser, error) { return &patternReader{remaining: size}, nil }

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := c.upload(context.Background(), testFileToken(oss.srv.URL), "big.zip", size, open); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	// Client and server together; the file itself must never be buffered.
	if allocated > size/5 {
		t.Errorf("allocated %d MB while uploading %d MB: the body is not streamed", allocated>>20, size>>20)
	}
	t.Logf("allocated %d KB for a %d MB upload", allocated>>10, size>>20)
	reqs := oss.recorded()
	if len(reqs) != 1 || reqs[0].Parts[len(reqs[0].Parts)-1].Size != size {
		t.Fatalf("server saw %+v", reqs)
	}
	if reqs[0].ContentLength != reqs[0].BodyBytes {
		t.Errorf("Content-Length %d != body %d", reqs[0].ContentLength, reqs[0].BodyBytes)
	}
}

func TestMultipartFrameIsValid(t *testing.T) {
	prefix, suffix, ct, err := multipartFrame(testFileToken("https://h"), "k", "f.zip")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct, "multipart/form-data; boundary=") {
		t.Errorf("content type %q", ct)
	}
	boundary := strings.TrimPrefix(ct, "multipart/form-data; boundary=")
	if want := fmt.Sprintf("\r\n--%s--\r\n", boundary); string(suffix) != want {
		t.Errorf("suffix %q, want %q", suffix, want)
	}
	if !bytes.HasSuffix(prefix, []byte("Content-Type: application/octet-stream\r\n\r\n")) {
		t.Errorf("prefix does not end with the file part header: %q", prefix[len(prefix)-80:])
	}
}
