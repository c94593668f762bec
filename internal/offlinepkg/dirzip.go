package offlinepkg

import (
	"archive/zip"
	"crypto/md5" //nolint:gosec // see ZipFolderMD5
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// A package folder (source_dir) holds what clients unpack below the H5App
// folder: its file "www/index.html" is the zip entry
// "<h5app_id>/www/index.html". BuildZip makes the same zip from the same
// files every time (sorted entries, fixed times and modes), so its content
// digest is the folder's and its bytes change only with the files.

// zipEpoch is the modification time of every entry BuildZip writes.
var zipEpoch = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// DirFile is one regular file of a package folder.
type DirFile struct {
	Rel  string // slash-separated path below the folder, such as "www/index.html"
	Path string // path on disk
	Size int64
}

// ListDir walks dir and returns its regular files sorted by Rel, and the
// folders below it (slash-separated, with a trailing slash). Symbolic links
// and other special files are an error naming them: a package holds regular
// files only.
func ListDir(dir string) (files []DirFile, folders []string, err error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a folder", dir)
	}
	err = filepath.WalkDir(dir, func(path string, entry fs.DirEntry, walkErr error) error {
		if walkErr != nil {
			return walkErr
		}
		if path == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case entry.IsDir():
			folders = append(folders, rel+"/")
		case entry.Type().IsRegular():
			info, err := entry.Info()
			if err != nil {
				return err
			}
			files = append(files, DirFile{Rel: rel, Path: path, Size: info.Size()})
		default:
			return fmt.Errorf("%s is a %s, not a regular file; a package folder may hold only files and folders", path, describeMode(entry.Type()))
		}
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	sort.Strings(folders)
	return files, folders, err
}

func describeMode(mode fs.FileMode) string {
	if mode&fs.ModeSymlink != 0 {
		return "symbolic link"
	}
	return "special file (" + mode.String() + ")"
}

// DirContent returns the content digest of the package folder dir for the
// H5App h5AppID, the same as that of the zip BuildZip makes from it. Each
// file's SHA-256 comes from cache, so an unchanged file is not read again.
func DirContent(dir, h5AppID string, cache *HashCache) (string, error) {
	folder, err := ReadFolder(dir)
	if err != nil {
		return "", err
	}
	return folder.Content(h5AppID, cache)
}

// InspectDir applies the package rules to the zip BuildZip would make from
// dir (names and sizes only; nothing is compressed). Violations that Inspect
// blames on "source" concern the folder here.
func InspectDir(dir string, opts InspectOptions) ([]Violation, error) {
	folder, err := ReadFolder(dir)
	if err != nil {
		return nil, err
	}
	return folder.Inspect(opts), nil
}

// Folder is one walk of a package folder (ListDir), so that a plan that
// needs both its content digest and its rules walks it once.
type Folder struct {
	Dir     string // the folder as given to ReadFolder
	Files   []DirFile
	Folders []string
}

// ReadFolder walks dir once (see ListDir).
func ReadFolder(dir string) (Folder, error) {
	files, folders, err := ListDir(dir)
	return Folder{Dir: dir, Files: files, Folders: folders}, err
}

// Content is the folder's content digest for h5AppID (see DirContent).
func (f Folder) Content(h5AppID string, cache *HashCache) (string, error) {
	entries := make([]ContentEntry, len(f.Files))
	for i, file := range f.Files {
		digest, err := cache.HashFile(file.Path)
		if err != nil {
			return "", err
		}
		entries[i] = ContentEntry{Name: h5AppID + "/" + file.Rel, Size: digest.Size, SHA256: digest.SHA256}
	}
	return ContentDigest(entries), nil
}

// Inspect applies the package rules to the folder (see InspectDir).
func (f Folder) Inspect(opts InspectOptions) []Violation {
	entries := make([]*zip.File, 0, len(f.Files)+len(f.Folders))
	var total int64
	for _, folder := range f.Folders {
		entries = append(entries, &zip.File{FileHeader: zip.FileHeader{Name: opts.H5AppID + "/" + folder}})
	}
	for _, file := range f.Files {
		size := uint64(file.Size) //nolint:gosec // a file size is never negative
		entries = append(entries, &zip.File{FileHeader: zip.FileHeader{
			Name: opts.H5AppID + "/" + file.Rel, Method: zip.Deflate, UncompressedSize64: size, CompressedSize64: size,
		}})
		total += file.Size
	}
	in := inspector{opts: opts, lim: opts.Limits.withDefaults(), size: max(total, 1), dir: f.Dir}
	_, violations := in.run(entries)
	return violations
}

// BuildZip writes the package zip of dir for h5AppID to w: the folder
// "<h5app_id>/", then every folder and file below it in name order, each
// file deflated with a fixed time and mode. Files are streamed, never held
// in memory. It returns the content digest of what it wrote.
func BuildZip(dir, h5AppID string, w io.Writer) (string, error) {
	files, folders, err := ListDir(dir)
	if err != nil {
		return "", err
	}
	names := append([]string{""}, folders...)
	for _, file := range files {
		names = append(names, file.Rel)
	}
	sort.Strings(names)
	byRel := make(map[string]DirFile, len(files))
	for _, file := range files {
		byRel[file.Rel] = file
	}
	zw := zip.NewWriter(w)
	buf := make([]byte, hashBufferSize)
	entries := make([]ContentEntry, 0, len(files))
	for _, rel := range names {
		file, isFile := byRel[rel]
		if !isFile {
			if err := writeFolderEntry(zw, h5AppID+"/"+rel); err != nil {
				return "", err
			}
			continue
		}
		entry, err := writeFileEntry(zw, h5AppID+"/"+rel, file.Path, buf)
		if err != nil {
			return "", err
		}
		entries = append(entries, entry)
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return ContentDigest(entries), nil
}

func writeFolderEntry(zw *zip.Writer, name string) error {
	header := &zip.FileHeader{Name: name, Method: zip.Store, Modified: zipEpoch}
	header.SetMode(fs.ModeDir | 0o755)
	_, err := zw.CreateHeader(header)
	return err
}

func writeFileEntry(zw *zip.Writer, name, path string, buf []byte) (ContentEntry, error) {
	file, err := os.Open(path)
	if err != nil {
		return ContentEntry{}, err
	}
	defer file.Close()
	header := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipEpoch}
	header.SetMode(0o644)
	w, err := zw.CreateHeader(header)
	if err != nil {
		return ContentEntry{}, err
	}
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(w, h), struct{ io.Reader }{file}, buf)
	if err != nil {
		return ContentEntry{}, err
	}
	return ContentEntry{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// BuildZipFile builds the package zip of dir into a new temporary file in
// tempDir ("" for the system's) and returns its path and content digest.
// The caller removes the file.
func BuildZipFile(dir, h5AppID, tempDir string) (path, content string, err error) {
	file, err := os.CreateTemp(tempDir, "mpaas-"+h5AppID+"-*.zip")
	if err != nil {
		return "", "", err
	}
	content, err = BuildZip(dir, h5AppID, file)
	if closeErr := file.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		_ = os.Remove(file.Name())
		return "", "", err
	}
	return file.Name(), content, nil
}

// ZipFolderMD5 builds the package zip of dir in passing, keeping no copy,
// and returns its size and MD5: what the API reports for a package made
// from this folder.
func ZipFolderMD5(dir, h5AppID string) (size int64, md5sum string, err error) {
	h := md5.New() //nolint:gosec // matches the MD5 the mPaaS API reports; not a security measure
	counter := &countingWriter{w: h}
	if _, err := BuildZip(dir, h5AppID, counter); err != nil {
		return 0, "", err
	}
	return counter.n, hex.EncodeToString(h.Sum(nil)), nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
