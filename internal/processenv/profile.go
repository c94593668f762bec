// Package processenv holds what the provider's process sets up from its
// environment before it serves Terraform (main.go calls both): the CPU and
// heap profiles that MPAAS_CPU_PROFILE and MPAAS_MEM_PROFILE ask for, and
// the plugin SDK's trace logging, switched off when no log variable is set.
// It imports nothing from the project.
package processenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
)

// Profiling the provider process, for the benchmark (tools/bench/bench.sh)
// and CONTRIBUTING.md's "Profiling": each variable names a folder, created
// when missing, and every provider process Terraform starts writes its own
// file there, named after its process ID. Unset, empty or "off": no profile.
const (
	cpuProfileEnv = "MPAAS_CPU_PROFILE" // cpu-<pid>.pprof, from start to exit
	memProfileEnv = "MPAAS_MEM_PROFILE" // heap-<pid>.pprof, written at exit
)

// StartProfiles starts the profiles the environment asks for. The returned
// stop, called once the plugin server has returned (Terraform asks the
// plugin to shut down before it stops waiting for it), completes the files.
func StartProfiles(getenv func(string) string, pid int) (stop func() error, err error) {
	cpuDir, memDir := profileDir(getenv(cpuProfileEnv)), profileDir(getenv(memProfileEnv))
	var cpuFile *os.File
	if cpuDir != "" {
		if cpuFile, err = createProfile(cpuDir, "cpu", pid); err != nil {
			return nil, fmt.Errorf("%s: %w", cpuProfileEnv, err)
		}
		if err := pprof.StartCPUProfile(cpuFile); err != nil {
			cpuFile.Close()
			return nil, fmt.Errorf("%s: %w", cpuProfileEnv, err)
		}
	}
	return func() error {
		var errs []error
		if cpuFile != nil {
			pprof.StopCPUProfile()
			errs = append(errs, cpuFile.Close())
		}
		if memDir != "" {
			errs = append(errs, writeHeapProfile(memDir, pid))
		}
		return errors.Join(errs...)
	}, nil
}

func profileDir(value string) string {
	if strings.EqualFold(value, "off") {
		return ""
	}
	return value
}

func createProfile(dir, kind string, pid int) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", kind, pid)))
}

// writeHeapProfile writes the heap profile: its alloc_space and
// alloc_objects samples cover every allocation since the process started.
func writeHeapProfile(dir string, pid int) error {
	file, err := createProfile(dir, "heap", pid)
	if err != nil {
		return fmt.Errorf("%s: %w", memProfileEnv, err)
	}
	runtime.GC() // up to date in-use figures
	if err := pprof.Lookup("heap").WriteTo(file, 0); err != nil {
		file.Close()
		return fmt.Errorf("%s: %w", memProfileEnv, err)
	}
	return file.Close()
}
