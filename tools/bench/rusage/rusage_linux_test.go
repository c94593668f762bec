//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestParseStatCountsFieldsAfterTheCommandName(t *testing.T) {
	// A command name may hold spaces and parentheses.
	line := "4242 (tf (x) y) S 17 4242 4242 0 -1 4194560 500 0 0 0 250 40 3 1 20 0 12 0 100 1000 200"
	stat, err := parseStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if stat.ppid != 17 || stat.cpuTicks != 290 {
		t.Fatalf("ppid %d cpuTicks %d, want 17 and 290", stat.ppid, stat.cpuTicks)
	}
	if _, err := parseStat([]byte("4242 (short) S 1")); err == nil {
		t.Fatal("a truncated stat line must be rejected")
	}
}

func TestRunReportsExitCodeOrphansAndTheirCPU(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report")
	shell, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		t.Skip("no /bin/sh")
	}
	// The background loop outlives the shell, so only the subreaper can
	// reap it and count its CPU.
	script := `(i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done) & exit 3`
	code, err := run([]string{"-out", out, "-watch", "sh=" + shell, "-interval", "5ms", "--", shell, "-c", script})
	if err != nil {
		t.Fatal(err)
	}
	if code != 3 {
		t.Errorf("exit code %d, want the command's 3", code)
	}
	report := readReport(t, out)
	if report["exit_code"] != "3" || report["orphans"] != "1" {
		t.Errorf("exit_code %q orphans %q, want 3 and 1", report["exit_code"], report["orphans"])
	}
	if cpu, _ := strconv.ParseFloat(report["cpu_s"], 64); cpu <= 0 {
		t.Errorf("cpu_s %q: the orphan's loop is not counted", report["cpu_s"])
	}
	if procs, _ := strconv.Atoi(report["sh_procs"]); procs < 1 {
		t.Errorf("sh_procs %q: the watched shell was never sampled", report["sh_procs"])
	}
}

func readReport(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	report := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		key, value, _ := strings.Cut(line, "=")
		report[key] = value
	}
	return report
}
