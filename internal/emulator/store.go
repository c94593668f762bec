package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// On-disk layout under DataDir (folders 0700, files 0600):
//
//	state.json       every app, package, task, vhost, RSA key and upload record,
//	                 as of the last compaction (store_journal.go)
//	journal.jsonl    the records each mutation since then changed, one line each
//	objects/<sha>    uploaded objects, named by the SHA-256 of their OSS key
//	packages/<id>    package files, hard links to (or copies of) the uploaded
//	                 object, so that a later upload to the same key cannot change them
//	rsa/<sha>        uploaded RSA keys, per scope
const (
	stateFile     = "state.json"
	objectsDir    = "objects"
	packagesDir   = "packages"
	rsaDir        = "rsa"
	stateFormat   = 1
	dirMode       = 0o700
	fileMode      = 0o600
	firstServerID = int64(1)<<32 + 1 // ids start above int32 so a client that truncates them fails fast
)

// scopeKey is the (AppId, WorkspaceId, TenantId) triple that scopes all data.
type scopeKey struct {
	AppID, WorkspaceID, TenantID string
}

func (k scopeKey) String() string {
	return url.PathEscape(k.AppID) + "/" + url.PathEscape(k.WorkspaceID) + "/" + url.PathEscape(k.TenantID)
}

// state is the whole persisted document.
type state struct {
	Format         int                      `json:"format"`
	OSSSecret      string                   `json:"ossSecret"`
	NextAppID      int64                    `json:"nextAppId"`
	NextResourceID int64                    `json:"nextResourceId"`
	NextTaskID     int64                    `json:"nextTaskId"`
	Scopes         map[string]*scopeState   `json:"scopes"`
	Objects        map[string]*objectRecord `json:"objects"` // by OSS key

	// NextWhitelistID is 0 in a state written before whitelists existed.
	NextWhitelistID int64 `json:"nextWhitelistId,omitempty"`
}

type scopeState struct {
	AppID       string                    `json:"appId"`
	WorkspaceID string                    `json:"workspaceId"`
	TenantID    string                    `json:"tenantId"`
	Vhost       string                    `json:"vhost"`
	RsaKeyFile  string                    `json:"rsaKeyFile,omitempty"`
	Apps        map[string]*appRecord     `json:"apps"` // by H5Id
	Resources   map[int64]*resourceRecord `json:"resources"`
	Tasks       map[int64]*taskRecord     `json:"tasks"`

	Whitelists map[int64]*whitelistRecord `json:"whitelists,omitempty"`
}

type appRecord struct {
	MetaID       int64     `json:"metaId"`
	H5Id         string    `json:"h5Id"`
	H5Name       string    `json:"h5Name"`
	ResourceType string    `json:"resourceType"` // "", "normal" or "global"
	Created      time.Time `json:"created"`
}

// resourceRecord is a package; DownloadUrl and FallbackBaseUrl are built per
// answer from DownloadPath, so they follow the address the emulator is
// reached at.
type resourceRecord struct {
	Item         packageRecord `json:"item"`
	File         string        `json:"file"`         // relative to DataDir
	DownloadPath string        `json:"downloadPath"` // below /download/
}

// taskRecord is a release task; DownloadUrl and FileSize come from its package.
type taskRecord struct {
	Detail releaseRecord `json:"detail"`
}

// The stored package and release task are the emulator's own, apart from the
// wire shapes of wire.go. Their keys are those state.json format 1 has always
// had (it once stored the answers themselves): keys that were never anything
// but empty (DownloadUrl, ExtraData, DebugUrl, RuleType ...) are no longer
// written, and are ignored when an older state.json has them.

// packageRecord is what the emulator keeps of a package version.
type packageRecord struct {
	ID               int64  `json:"Id"`
	MetaID           int64  `json:"MetaId"`
	AppCode          string `json:"AppCode"`
	H5ID             string `json:"H5Id"`
	H5Name           string `json:"H5Name"`
	H5Version        string `json:"H5Version"`
	ResourceType     string `json:"ResourceType"` // the wire code, "0" or "1"
	PackageType      int32  `json:"PackageType"`
	Platform         string `json:"Platform"`
	ClientVersionMin string `json:"ClientVersionMin"`
	ClientVersionMax string `json:"ClientVersionMax"`
	InstallType      int32  `json:"InstallType"`
	AutoInstall      int32  `json:"AutoInstall"`
	MainURL          string `json:"MainUrl"`
	Vhost            string `json:"Vhost"`
	ExtendInfo       string `json:"ExtendInfo"`
	FileSize         string `json:"FileSize"`
	Status           int32  `json:"Status"`
	Creator          string `json:"Creator"`
	Modifier         string `json:"Modifier"`
	GmtCreate        string `json:"GmtCreate"`
	GmtModified      string `json:"GmtModified"`
	MD5              string `json:"Md5"`
	ReleaseVersion   string `json:"ReleaseVersion"`
}

// releaseRecord is what the emulator keeps of a release task.
type releaseRecord struct {
	ID              int64        `json:"Id"`
	PackageID       int64        `json:"PackageId"`
	AppCode         string       `json:"AppCode"`
	BizType         string       `json:"BizType"`
	TaskName        string       `json:"TaskName"`
	TaskType        int32        `json:"TaskType"`
	TaskStatus      int32        `json:"TaskStatus"`
	Status          int32        `json:"Status"`
	TaskVersion     int64        `json:"TaskVersion"`
	ReleaseVersion  string       `json:"ReleaseVersion"`
	PublishType     int32        `json:"PublishType"`
	PublishMode     int32        `json:"PublishMode"`
	Platform        string       `json:"Platform"`
	ProductID       string       `json:"ProductId"`
	ProductVersion  string       `json:"ProductVersion"`
	Percent         int32        `json:"Percent"`
	GreyNum         int32        `json:"GreyNum"`
	GreyURL         string       `json:"GreyUrl"`
	GreyConfigInfo  string       `json:"GreyConfigInfo"`
	GreyEndtime     string       `json:"GreyEndtime"`
	GreyEndtimeData string       `json:"GreyEndtimeData"`
	GreyEndtimeStr  string       `json:"GreyEndtimeStr"`
	WhitelistIDs    string       `json:"WhitelistIds"`
	Memo            string       `json:"Memo"`
	Creator         string       `json:"Creator"`
	Modifier        string       `json:"Modifier"`
	GmtCreate       string       `json:"GmtCreate"`
	GmtModified     string       `json:"GmtModified"`
	GmtModifiedStr  string       `json:"GmtModifiedStr"`
	AppID           string       `json:"AppId"`
	WorkspaceID     string       `json:"WorkspaceId"`
	OssPath         string       `json:"OssPath"`
	PublishPeriod   int32        `json:"PublishPeriod"`
	Rules           []ruleRecord `json:"RuleJsonList"`
}

// ruleRecord is one checked grayscale rule of a release task.
type ruleRecord struct {
	RuleElement string `json:"RuleElement"`
	Operation   string `json:"Operation"` // the operation code as a decimal string
	Value       string `json:"Value"`     // "a,b" or, for ranges, "lo-hi"
}

type objectRecord struct {
	Key     string    `json:"key"`
	Scope   string    `json:"scope"`
	File    string    `json:"file"` // relative to DataDir
	Size    int64     `json:"size"`
	MD5     string    `json:"md5"`
	Created time.Time `json:"created"`
}

// store guards the state; callers hold mu across read-validate-mutate-commit.
type store struct {
	dir string
	mu  sync.Mutex
	st  *state

	journal       journal
	snapshotBytes int64 // size of state.json as last written
	broken        bool  // the journal may end in a torn entry: write a snapshot next
	// snapshotEveryWrite: Options.SnapshotEveryWrite.
	snapshotEveryWrite bool

	write       func(dir, name string, data []byte) error // writeFileAtomic; replaced by tests
	appendBytes func(f *os.File, data []byte) error       // appendAndSync; replaced by tests
}

func openStore(dir string) (*store, error) {
	for _, d := range []string{dir, filepath.Join(dir, objectsDir), filepath.Join(dir, packagesDir), filepath.Join(dir, rsaDir)} {
		if err := os.MkdirAll(d, dirMode); err != nil {
			return nil, fmt.Errorf("emulator: creating %s: %w", d, err)
		}
	}
	s := &store{dir: dir, write: writeFileAtomic, appendBytes: appendAndSync}
	st, err := s.load()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		var secret [32]byte
		if _, err := rand.Read(secret[:]); err != nil {
			return nil, err
		}
		s.st = &state{
			Format:         stateFormat,
			OSSSecret:      base64.StdEncoding.EncodeToString(secret[:]),
			NextAppID:      1,
			NextResourceID: firstServerID,
			NextTaskID:     firstServerID,
			Scopes:         map[string]*scopeState{},
			Objects:        map[string]*objectRecord{},
		}
	case err != nil:
		return nil, err
	default:
		s.st = st
	}
	if err := s.compactLocked(); err != nil {
		return nil, err
	}
	return s, nil
}

// load reads the snapshot and replays the journal over it.
func (s *store) load() (*state, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, stateFile))
	if err != nil {
		return nil, err
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("emulator: reading %s: %w", filepath.Join(s.dir, stateFile), err)
	}
	if st.Format != stateFormat {
		return nil, fmt.Errorf("emulator: %s has format %d, this emulator reads format %d", stateFile, st.Format, stateFormat)
	}
	if st.Scopes == nil {
		st.Scopes = map[string]*scopeState{}
	}
	if st.Objects == nil {
		st.Objects = map[string]*objectRecord{}
	}
	for _, sc := range st.Scopes {
		sc.init()
	}
	if _, err := replayJournal(filepath.Join(s.dir, journalFile), &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// commitLocked records the mutation ch names; on failure the in-memory state
// goes back to the last version on disk so memory and disk never disagree.
func (s *store) commitLocked(ch change) error {
	err := s.persistLocked(ch)
	if err == nil {
		return nil
	}
	if st, lerr := s.load(); lerr == nil {
		s.st = st
	}
	return err
}

// persistLocked appends the change to the journal, or writes a snapshot
// when the journal is broken or has grown large.
func (s *store) persistLocked(ch change) error {
	if s.broken || s.snapshotEveryWrite || s.journal.bytes > max(compactBytes, 4*s.snapshotBytes) {
		return s.compactLocked()
	}
	return s.appendEntry(s.st.entry(ch))
}

// writeFileAtomic writes a file atomically: temp file in the same folder,
// fsync, rename, fsync the folder. A crash leaves the previous version
// readable.
func writeFileAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op after the rename
	if err := tmp.Chmod(fileMode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmpName, filepath.Join(dir, name)); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (sc *scopeState) init() {
	if sc.Apps == nil {
		sc.Apps = map[string]*appRecord{}
	}
	if sc.Resources == nil {
		sc.Resources = map[int64]*resourceRecord{}
	}
	if sc.Tasks == nil {
		sc.Tasks = map[int64]*taskRecord{}
	}
	if sc.Whitelists == nil {
		sc.Whitelists = map[int64]*whitelistRecord{}
	}
}

// scope returns the scope's state, or nil when it has none and create is false.
func (st *state) scope(k scopeKey, create bool) *scopeState {
	if sc, ok := st.Scopes[k.String()]; ok {
		return sc
	}
	if !create {
		return nil
	}
	sc := &scopeState{AppID: k.AppID, WorkspaceID: k.WorkspaceID, TenantID: k.TenantID}
	sc.init()
	st.Scopes[k.String()] = sc
	return sc
}

func (s *store) abs(rel string) string { return filepath.Join(s.dir, filepath.FromSlash(rel)) }

func objectFileName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return objectsDir + "/" + hex.EncodeToString(sum[:])
}

// linkOrCopy makes dst an immutable twin of src: a hard link when possible,
// otherwise a streamed copy. dst must not exist.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}
