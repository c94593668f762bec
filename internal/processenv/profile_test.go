package processenv

import (
	"compress/gzip"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestProfilesAreOffUnlessAFolderIsNamed(t *testing.T) {
	for _, value := range []string{"", "off", "OFF"} {
		dir := t.TempDir()
		t.Chdir(dir) // a relative folder named "off" would land here
		stop, err := StartProfiles(func(string) string { return value }, 4242)
		if err != nil {
			t.Fatalf("%q: %v", value, err)
		}
		if err := stop(); err != nil {
			t.Fatalf("%q: stop: %v", value, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%q wrote %d files, want none", value, len(entries))
		}
	}
}

func TestProfilesAreCompleteFilesNamedAfterTheProcess(t *testing.T) {
	root := t.TempDir()
	env := map[string]string{
		cpuProfileEnv: filepath.Join(root, "cpu", "nested"), // created when missing
		memProfileEnv: filepath.Join(root, "mem"),
	}
	stop, err := StartProfiles(func(name string) string { return env[name] }, 4242)
	if err != nil {
		t.Fatal(err)
	}
	burnCPU()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		filepath.Join(env[cpuProfileEnv], "cpu-4242.pprof"),
		filepath.Join(env[memProfileEnv], "heap-4242.pprof"),
	} {
		if n := gunzippedSize(t, path); n == 0 {
			t.Errorf("%s holds an empty profile", path)
		}
	}
}

func TestProfileFolderThatCannotBeCreatedIsAnError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{cpuProfileEnv: filepath.Join(file, "sub")}
	if _, err := StartProfiles(func(name string) string { return env[name] }, 1); err == nil {
		t.Fatal("a CPU profile folder under a regular file must be refused")
	}
}

// gunzippedSize reads a whole profile (pprof writes gzipped protobuf), so a
// truncated file fails the test.
func gunzippedSize(t *testing.T, path string) int64 {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	reader, err := gzip.NewReader(file)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	n, err := io.Copy(io.Discard, reader)
	if err != nil {
		t.Fatalf("%s is incomplete: %v", path, err)
	}
	return n
}

func burnCPU() {
	sum := sha256.Sum256(nil)
	for range 20000 {
		sum = sha256.Sum256(sum[:])
	}
}
