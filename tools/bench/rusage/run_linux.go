//go:build linux

package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER (linux/prctl.h): orphaned
// descendants are re-parented to this process instead of init.
const prSetChildSubreaper = 36

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat; Linux
// fixes it at 100 for user space on every architecture.
const clockTicks = 100

type options struct {
	out        string
	watches    map[string]string // label -> absolute binary path
	serverPID  int
	interval   time.Duration
	orphanWait time.Duration
	command    []string
}

func parse(args []string) (options, error) {
	flags := flag.NewFlagSet("rusage", flag.ContinueOnError)
	opts := options{watches: map[string]string{}}
	flags.StringVar(&opts.out, "out", "", "file to write KEY=VALUE lines to (required)")
	flags.IntVar(&opts.serverPID, "server-pid", 0, "a server process whose CPU time during the command is reported")
	flags.DurationVar(&opts.interval, "interval", 50*time.Millisecond, "how often /proc is sampled")
	flags.DurationVar(&opts.orphanWait, "orphan-wait", 5*time.Second, "how long orphaned descendants may run on before they are killed")
	flags.Func("watch", "LABEL=BINARY: report peak RSS and CPU of processes running BINARY (repeatable)", func(v string) error {
		label, binary, ok := strings.Cut(v, "=")
		if !ok || label == "" || binary == "" {
			return fmt.Errorf("want LABEL=BINARY, got %q", v)
		}
		abs, err := filepath.Abs(binary)
		if err != nil {
			return err
		}
		opts.watches[label] = abs
		return nil
	})
	if err := flags.Parse(args); err != nil {
		return options{}, err
	}
	opts.command = flags.Args()
	if opts.out == "" || len(opts.command) == 0 {
		return options{}, errors.New("usage: rusage -out FILE [-watch LABEL=BINARY]... [-server-pid PID] -- COMMAND [ARGS...]")
	}
	return opts, nil
}

func run(args []string) (int, error) {
	opts, err := parse(args)
	if err != nil {
		return 0, err
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return 0, fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %w", errno)
	}
	serverBefore, _ := readStat(opts.serverPID)
	sampler := startSampler(opts.watches, opts.interval)

	cmd := exec.Command(opts.command[0], opts.command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		sampler.stop()
		return 0, err
	}
	waitErr := cmd.Wait()
	wall := time.Since(start)
	orphans := reapOrphans(opts.orphanWait)
	seen := sampler.stop()
	code, err := exitCode(cmd, waitErr)
	if err != nil {
		return 0, err
	}

	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &usage); err != nil {
		return 0, err
	}
	report := map[string]string{
		"wall_s":          seconds(wall.Seconds()),
		"user_s":          seconds(timeval(usage.Utime)),
		"sys_s":           seconds(timeval(usage.Stime)),
		"cpu_s":           seconds(timeval(usage.Utime) + timeval(usage.Stime)),
		"exit_code":       fmt.Sprint(code),
		"orphans":         fmt.Sprint(orphans),
		"tree_maxrss_kib": fmt.Sprint(usage.Maxrss),
	}
	for label := range opts.watches {
		w := seen[label]
		report[label+"_peak_kib"] = fmt.Sprint(w.peakKiB)
		report[label+"_procs"] = fmt.Sprint(len(w.cpuTicks))
		report[label+"_cpu_s"] = seconds(float64(w.totalTicks()) / clockTicks)
	}
	if opts.serverPID > 0 {
		after, err := readStat(opts.serverPID)
		if err != nil {
			return 0, fmt.Errorf("server %d: %w", opts.serverPID, err)
		}
		report["server_cpu_s"] = seconds(float64(after.cpuTicks-serverBefore.cpuTicks) / clockTicks)
		report["server_hwm_kib"] = fmt.Sprint(readHWM(opts.serverPID))
	}
	return code, writeReport(opts.out, report)
}

func exitCode(cmd *exec.Cmd, waitErr error) (int, error) {
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		return 0, waitErr
	}
	return cmd.ProcessState.ExitCode(), nil
}

// reapOrphans waits for descendants re-parented to this process, so that
// their CPU time counts in RUSAGE_CHILDREN; after patience it kills them.
func reapOrphans(patience time.Duration) int {
	reaped := 0
	deadline := time.Now().Add(patience)
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		switch {
		case errors.Is(err, syscall.ECHILD):
			return reaped
		case err != nil && !errors.Is(err, syscall.EINTR):
			return reaped
		case pid > 0:
			reaped++
			continue
		}
		if time.Now().After(deadline) {
			killChildren()
			deadline = time.Now().Add(time.Hour)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func killChildren() {
	self := os.Getpid()
	for _, pid := range listPIDs() {
		if stat, err := readStat(pid); err == nil && stat.ppid == self {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func writeReport(path string, report map[string]string) error {
	keys := make([]string, 0, len(report))
	for k := range report {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, report[k])
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func timeval(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
