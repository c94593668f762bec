package offlinepkg

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// MaxBatchFiles is the most .zip files one batch import may hold (R22).
const MaxBatchFiles = 100

// MaxBatchBytes is the most bytes the .zip files of one batch import may
// total (R22): 300 MB in decimal units, i.e. 300,000,000 bytes, as the
// console states it (not 300 MiB).
const MaxBatchBytes = 300 * 1000 * 1000

// BatchFile is one package of a batch import directory: a "<id>.zip" file,
// or a "<id>/" package folder (see BuildZip).
type BatchFile struct {
	H5AppID string // from the file or folder name (R21)
	Path    string // directory joined with the file or folder name
	Size    int64  // bytes, when the directory was scanned (a folder: its files)
	Folder  bool   // a package folder, zipped at apply
}

// BatchProblem is one reason a batch import cannot proceed (R26).
type BatchProblem struct {
	File    string // base name of the offending file; "" for the directory as a whole
	Message string // full sentence naming the file and what to change
}

// ScanBatchDir lists dir (not recursively) for a batch import. Every *.zip
// (any letter case) must be named "<8-digit H5App ID>.zip" with a usable ID
// (R21, R2-R4); those that are not become problems and are left out of files.
// A subfolder named like an H5App ID (eight digits) is a package folder; one
// ID may not be both a zip and a folder. Anything else (other files and
// subfolders) is returned in ignored. The count and total-size caps (R22) are
// checked over every package found, since all of them would be imported.
// files is sorted by H5AppID. err is only for a missing or unreadable
// directory.
func ScanBatchDir(dir string) (files []BatchFile, ignored []string, problems []BatchProblem, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	var zipCount int
	var total int64
	byID := make(map[string]string)
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		fi, statErr := os.Stat(path) // follows symlinks
		if statErr != nil {
			if IsZipName(name) {
				problems = append(problems, BatchProblem{File: name, Message: fmt.Sprintf("%s cannot be read: %v.", name, statErr)})
			} else {
				ignored = append(ignored, name)
			}
			continue
		}
		if fi.IsDir() && isEightDigits(name) {
			zipCount++
			folder, problem := scanBatchFolder(path, name, byID)
			if problem != nil {
				problems = append(problems, *problem)
				continue
			}
			total += folder.Size
			files = append(files, folder)
			continue
		}
		if fi.IsDir() || !IsZipName(name) {
			ignored = append(ignored, name)
			continue
		}
		zipCount++
		if !fi.Mode().IsRegular() {
			problems = append(problems, BatchProblem{File: name, Message: fmt.Sprintf("%s is not a regular file; every .zip in the directory must be an offline package.", name)})
			continue
		}
		total += fi.Size()
		id := name[:len(name)-len(".zip")]
		if idProblems := CheckH5AppID(id); len(idProblems) > 0 {
			msgs := make([]string, len(idProblems))
			for i, p := range idProblems {
				msgs[i] = fmt.Sprintf("H5App ID %q %s (%s)", id, p.Message, p.Rule)
			}
			problems = append(problems, BatchProblem{File: name, Message: fmt.Sprintf(
				"%s must be named after its 8-digit H5App ID, such as 12345678.zip (R21): %s.", name, strings.Join(msgs, "; "))})
			continue
		}
		if other, dup := byID[id]; dup {
			problems = append(problems, BatchProblem{File: name, Message: fmt.Sprintf(
				"%s and %s both name H5App %s; keep only one of them.", other, name, id)})
			continue
		}
		byID[id] = name
		files = append(files, BatchFile{H5AppID: id, Path: path, Size: fi.Size()})
	}
	if zipCount > MaxBatchFiles {
		problems = append(problems, BatchProblem{Message: fmt.Sprintf(
			"The directory holds %d packages (.zip files and package folders); at most %d are allowed in one batch import (R22). Split them across several directories.", zipCount, MaxBatchFiles)})
	}
	if total > MaxBatchBytes {
		problems = append(problems, BatchProblem{Message: fmt.Sprintf(
			"The packages total %d bytes (%.1f MB); at most %d bytes (300 MB) are allowed in one batch import (R22). Split them across several directories.",
			total, float64(total)/1e6, MaxBatchBytes)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].H5AppID < files[j].H5AppID })
	sort.Strings(ignored)
	sortProblems(problems)
	return files, ignored, problems, nil
}

// scanBatchFolder checks the package folder name (an ID, R2-R4) and sums
// the size of its files.
func scanBatchFolder(path, name string, byID map[string]string) (BatchFile, *BatchProblem) {
	if idProblems := CheckH5AppID(name); len(idProblems) > 0 {
		msgs := make([]string, len(idProblems))
		for i, p := range idProblems {
			msgs[i] = fmt.Sprintf("%s (%s)", p.Message, p.Rule)
		}
		return BatchFile{}, &BatchProblem{File: name + "/", Message: fmt.Sprintf(
			"The package folder %s/ is named like an H5App ID that cannot be used: %s. Rename it after the H5App it holds.", name, strings.Join(msgs, "; "))}
	}
	files, _, err := ListDir(path)
	if err != nil {
		return BatchFile{}, &BatchProblem{File: name + "/", Message: fmt.Sprintf("The package folder %s/ cannot be read: %v.", name, err)}
	}
	var size int64
	for _, f := range files {
		size += f.Size
	}
	if other, dup := byID[name]; dup {
		return BatchFile{}, &BatchProblem{File: name + "/", Message: fmt.Sprintf(
			"%s and %s/ both name H5App %s; keep only one of them.", other, name, name)}
	}
	byID[name] = name + "/"
	return BatchFile{H5AppID: name, Path: path, Size: size, Folder: true}, nil
}

// InspectBatch applies the package rules to every file (the central
// directory of a zip, the names and sizes of a folder's files) with workers
// goroutines (<= 0 means GOMAXPROCS). Nothing is hashed: a batch read at
// every plan must not read every byte of every package; the resources
// digest their own files, and not again while a file's stamp is unchanged.
// There is one problem per offending file, naming the file and every
// violation; problems are sorted by file. opts may be nil, which checks each
// file against its own H5AppID only.
func InspectBatch(files []BatchFile, opts func(BatchFile) InspectOptions, workers int) (problems []BatchProblem) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(files))
	if opts == nil {
		opts = func(f BatchFile) InspectOptions { return InspectOptions{H5AppID: f.H5AppID} }
	}
	found := make([]*BatchProblem, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				found[i] = inspectBatchFile(files[i], opts(files[i]))
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, problem := range found {
		if problem != nil {
			problems = append(problems, *problem)
		}
	}
	sortProblems(problems)
	return problems
}

// inspectBatchFile returns what is wrong with one package, or nil.
func inspectBatchFile(f BatchFile, opts InspectOptions) *BatchProblem {
	var violations []Violation
	var err error
	if f.Folder {
		violations, err = InspectDir(f.Path, opts)
	} else {
		_, violations, err = InspectFile(f.Path, opts)
	}
	var msgs []string
	if err != nil {
		msgs = append(msgs, fmt.Sprintf("cannot be read: %v", err))
	}
	for _, v := range violations {
		msgs = append(msgs, v.String())
	}
	if len(msgs) == 0 {
		return nil
	}
	name := filepath.Base(f.Path)
	return &BatchProblem{File: name, Message: batchMessage(name, f.H5AppID, msgs)}
}

func batchMessage(name, id string, msgs []string) string {
	var b strings.Builder
	if len(msgs) == 1 {
		fmt.Fprintf(&b, "%s (H5App %s): %s", name, id, msgs[0])
	} else {
		fmt.Fprintf(&b, "%s (H5App %s) has %d problems:", name, id, len(msgs))
		for i, m := range msgs {
			fmt.Fprintf(&b, " (%d) %s", i+1, m)
		}
	}
	return b.String()
}

func sortProblems(p []BatchProblem) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].File < p[j].File })
}
