package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The store's journal: state.json is a snapshot, and every mutation since
// it is one JSON line appended to journal.jsonl (then fsynced), holding the
// current value of each record the mutation touched (null for a deleted
// one) and the id counters. A mutation therefore costs the size of what it
// changed, not of the whole state. Loading reads the snapshot and replays
// the journal; a last line that is cut short or unreadable (a crash in the
// middle of an append) is ignored, any other unreadable line is an error.
// The journal is folded into a new snapshot when the store opens, when it
// closes, and when it has grown past compactBytes and four times the
// snapshot. Replay is idempotent (each line sets values; it never adds to
// them), so a crash between writing a snapshot and replacing the journal
// loses nothing: the old journal replayed over the new snapshot gives the
// same state.
const (
	journalFile  = "journal.jsonl"
	compactBytes = 1 << 20
)

// change names the records one mutation touched; commitLocked journals
// their current values.
type change struct {
	scope      *scopeState // nil when only objects changed
	apps       []string
	resources  []int64
	tasks      []int64
	whitelists []int64
	objects    []string
}

// journalEntry is one line of the journal.
type journalEntry struct {
	Next      [3]int64                  `json:"next"` // NextAppID, NextResourceID, NextTaskID
	Scope     *scopeHead                `json:"scope,omitempty"`
	Apps      map[string]*appRecord     `json:"apps,omitempty"` // null: deleted
	Resources map[int64]*resourceRecord `json:"resources,omitempty"`
	Tasks     map[int64]*taskRecord     `json:"tasks,omitempty"`
	// NextWhitelist and Whitelists: whitelists (whitelists.go), kept apart
	// from Next so that journals written before them still read.
	NextWhitelist int64                      `json:"nextWhitelist,omitempty"`
	Whitelists    map[int64]*whitelistRecord `json:"whitelists,omitempty"`
	Objects       map[string]*objectRecord   `json:"objects,omitempty"`
}

// scopeHead is a scope's own fields.
type scopeHead struct {
	AppID       string `json:"appId"`
	WorkspaceID string `json:"workspaceId"`
	TenantID    string `json:"tenantId"`
	Vhost       string `json:"vhost"`
	RsaKeyFile  string `json:"rsaKeyFile,omitempty"`
}

func (h *scopeHead) key() string {
	return scopeKey{AppID: h.AppID, WorkspaceID: h.WorkspaceID, TenantID: h.TenantID}.String()
}

// entry captures the current values of what ch names.
func (st *state) entry(ch change) *journalEntry {
	e := &journalEntry{Next: [3]int64{st.NextAppID, st.NextResourceID, st.NextTaskID}, NextWhitelist: st.NextWhitelistID}
	if sc := ch.scope; sc != nil {
		e.Scope = &scopeHead{AppID: sc.AppID, WorkspaceID: sc.WorkspaceID, TenantID: sc.TenantID, Vhost: sc.Vhost, RsaKeyFile: sc.RsaKeyFile}
		e.Apps = pick(sc.Apps, ch.apps)
		e.Resources = pick(sc.Resources, ch.resources)
		e.Tasks = pick(sc.Tasks, ch.tasks)
		e.Whitelists = pick(sc.Whitelists, ch.whitelists)
	}
	e.Objects = pick(st.Objects, ch.objects)
	return e
}

// pick copies the named entries of m; an absent one maps to nil.
func pick[K comparable, V any](m map[K]*V, keys []K) map[K]*V {
	if len(keys) == 0 {
		return nil
	}
	out := make(map[K]*V, len(keys))
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

// apply replays one entry.
func (st *state) apply(e *journalEntry) {
	st.NextAppID, st.NextResourceID, st.NextTaskID = e.Next[0], e.Next[1], e.Next[2]
	if e.NextWhitelist > st.NextWhitelistID {
		st.NextWhitelistID = e.NextWhitelist
	}
	if h := e.Scope; h != nil {
		sc := st.Scopes[h.key()]
		if sc == nil {
			sc = &scopeState{}
			sc.init()
			st.Scopes[h.key()] = sc
		}
		sc.AppID, sc.WorkspaceID, sc.TenantID, sc.Vhost, sc.RsaKeyFile = h.AppID, h.WorkspaceID, h.TenantID, h.Vhost, h.RsaKeyFile
		put(sc.Apps, e.Apps)
		put(sc.Resources, e.Resources)
		put(sc.Tasks, e.Tasks)
		if sc.Whitelists == nil {
			sc.Whitelists = map[int64]*whitelistRecord{}
		}
		put(sc.Whitelists, e.Whitelists)
	}
	put(st.Objects, e.Objects)
}

// put sets each entry of values in m, deleting those that are nil.
func put[K comparable, V any](m map[K]*V, values map[K]*V) {
	for k, v := range values {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
}

// replayJournal applies the journal at path to st and returns how many
// bytes of it were read as whole entries.
func replayJournal(path string, st *state) (int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var good int64
	for line := 1; ; line++ {
		data, readErr := r.ReadBytes('\n')
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return good, readErr
		}
		if len(data) == 0 {
			return good, nil
		}
		var e journalEntry
		if err := json.Unmarshal(bytes.TrimSpace(data), &e); err != nil || data[len(data)-1] != '\n' {
			if _, peekErr := r.Peek(1); errors.Is(peekErr, io.EOF) {
				return good, nil // a torn last line: the append it was part of never completed
			}
			return good, fmt.Errorf("emulator: %s line %d is not a journal entry: %v", path, line, err)
		}
		st.apply(&e)
		good += int64(len(data))
	}
}

// journal is the open journal file.
type journal struct {
	file  *os.File
	bytes int64 // written since the snapshot
}

// openJournal starts an empty journal, replacing any earlier one (a new
// file, so that a store still holding the old one can tell; see sameJournal).
func (s *store) openJournal() error {
	if s.journal.file != nil {
		s.journal.file.Close()
	}
	if err := writeFileAtomic(s.dir, journalFile, nil); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, journalFile), os.O_WRONLY|os.O_APPEND, fileMode)
	if err != nil {
		return err
	}
	s.journal = journal{file: f}
	return nil
}

// appendEntry writes one entry and syncs it. On failure the journal is cut
// back to its last whole entry; when that fails too, the next commit writes
// a snapshot instead.
func (s *store) appendEntry(e *journalEntry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if err := s.appendBytes(s.journal.file, data); err != nil {
		if s.journal.file == nil || s.journal.file.Truncate(s.journal.bytes) != nil {
			s.broken = true
		}
		return err
	}
	s.journal.bytes += int64(len(data))
	return nil
}

func appendAndSync(f *os.File, data []byte) error {
	if f == nil {
		return errors.New("emulator: the store is closed")
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// compactLocked writes the state as a new snapshot and starts an empty
// journal.
func (s *store) compactLocked() error {
	data, err := json.MarshalIndent(s.st, "", " ")
	if err != nil {
		return err
	}
	if err := s.write(s.dir, stateFile, data); err != nil {
		return err
	}
	s.snapshotBytes = int64(len(data))
	if err := s.openJournal(); err != nil {
		return err
	}
	s.broken = false
	return nil
}

// sameJournal reports whether the journal on disk is still the file this
// store appends to (another store opened on the folder since replaces it).
func (s *store) sameJournal() bool {
	if s.journal.file == nil {
		return false
	}
	mine, err := s.journal.file.Stat()
	if err != nil {
		return false
	}
	onDisk, err := os.Stat(filepath.Join(s.dir, journalFile))
	return err == nil && os.SameFile(mine, onDisk)
}

// close folds the journal into the snapshot, unless another store has
// opened the folder since, and closes the journal.
func (s *store) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.journal.file == nil {
		return nil
	}
	var err error
	if s.sameJournal() && (s.journal.bytes > 0 || s.broken) {
		err = s.compactLocked()
	}
	if s.journal.file != nil {
		if cerr := s.journal.file.Close(); err == nil {
			err = cerr
		}
	}
	s.journal.file = nil
	return err
}
