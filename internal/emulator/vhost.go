package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
)

// validHostName reports whether s is a DNS host name: dot-separated labels of
// letters, digits and hyphens, 1-63 characters each, not starting or ending
// with a hyphen, 253 characters at most.
func validHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			ch := label[i]
			if !('a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || ch == '-') {
				return false
			}
		}
	}
	return true
}

func (c *call) createVhost() (any, error) {
	resp := &createMcubeVhostResponse{envelope: c.okEnvelope()}
	vhost := c.p.Get("Vhost")
	if !validHostName(vhost) {
		resp.CreateVhostResult = c.dataFail(bizErrorf(errInvalidParameter, "Vhost %q is not a DNS host name such as h5app.example.com (no scheme, port or path)", vhost))
		return resp, nil
	}
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	sc := st.st.scope(c.scope, true)
	sc.Vhost = vhost
	if err := st.commitLocked(change{scope: sc}); err != nil {
		return nil, err
	}
	resp.CreateVhostResult = &dataResult{Success: true, Data: "success"}
	return resp, nil
}

func (c *call) queryVhost() (any, error) {
	st := c.s.store
	st.mu.Lock()
	vhost := ""
	if sc := st.st.scope(c.scope, false); sc != nil {
		vhost = sc.Vhost
	}
	st.mu.Unlock()
	return &queryMcubeVhostResponse{envelope: c.okEnvelope(), QueryVhostResult: &dataResult{Success: true, Data: vhost}}, nil
}

func (c *call) existRsaKey() (any, error) {
	st := c.s.store
	st.mu.Lock()
	exists := false
	if sc := st.st.scope(c.scope, false); sc != nil {
		exists = sc.RsaKeyFile != ""
	}
	st.mu.Unlock()
	data := "false"
	if exists {
		data = "true"
	}
	return &existMcubeRsaKeyResponse{envelope: c.okEnvelope(), CheckRsaKeyResult: &dataResult{Success: true, Data: data}}, nil
}

// uploadRsaKey stores the uploaded key file for the scope, once it parses as
// an RSA private key (rsakey.go). The emulator does not sign .amr files with it.
func (c *call) uploadRsaKey() (any, error) {
	resp := &uploadMcubeRsaKeyResponse{envelope: c.okEnvelope()}
	st := c.s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	obj, e := c.objectForFileURL(c.p.Get("FileUrl"))
	if e != nil {
		resp.UploadRsaResult = c.dataFail(e)
		return resp, nil
	}
	e, err := checkRsaKeyFile(st.abs(obj.File))
	if err != nil {
		return nil, err
	}
	if e != nil {
		resp.UploadRsaResult = c.dataFail(e)
		return resp, nil
	}
	sum := sha256.Sum256([]byte(c.scope.String()))
	rel := rsaDir + "/" + hex.EncodeToString(sum[:])
	tmp := rel + ".tmp-" + newUUID()
	if err := linkOrCopy(st.abs(obj.File), st.abs(tmp)); err != nil {
		return nil, err
	}
	if err := os.Rename(st.abs(tmp), st.abs(rel)); err != nil {
		_ = os.Remove(st.abs(tmp))
		return nil, err
	}
	sc := st.st.scope(c.scope, true)
	sc.RsaKeyFile = rel
	if err := st.commitLocked(change{scope: sc}); err != nil {
		return nil, err
	}
	resp.UploadRsaResult = &dataResult{Success: true, Data: "success"}
	return resp, nil
}
