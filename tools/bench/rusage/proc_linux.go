//go:build linux

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procStat holds the fields of /proc/PID/stat the benchmark needs.
type procStat struct {
	ppid     int
	cpuTicks int64 // utime + stime
}

func readStat(pid int) (procStat, error) {
	if pid <= 0 {
		return procStat{}, nil
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseStat(data)
}

// parseStat reads /proc/PID/stat. The command name (field 2) is in
// parentheses and may hold spaces, so fields are counted after its last ')'.
func parseStat(data []byte) (procStat, error) {
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return procStat{}, fmt.Errorf("malformed stat %q", data)
	}
	fields := strings.Fields(string(data[end+1:]))
	// fields[0] is field 3 (state); ppid is field 4, utime 14, stime 15.
	if len(fields) < 13 {
		return procStat{}, fmt.Errorf("short stat %q", data)
	}
	ppid, err1 := strconv.Atoi(fields[1])
	utime, err2 := strconv.ParseInt(fields[11], 10, 64)
	stime, err3 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return procStat{}, fmt.Errorf("malformed stat %q", data)
	}
	return procStat{ppid: ppid, cpuTicks: utime + stime}, nil
}

// readHWM returns VmHWM of pid in KiB, 0 when it cannot be read.
func readHWM(pid int) int64 {
	file, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if rest, ok := strings.CutPrefix(scanner.Text(), "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kib
		}
	}
	return 0
}

func listPIDs() []int {
	entries, _ := os.ReadDir("/proc")
	pids := make([]int, 0, len(entries))
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// watched is what the sampler saw of the processes of one binary.
type watched struct {
	peakKiB  int64
	cpuTicks map[int]int64 // last sample per process
}

func (w watched) totalTicks() int64 {
	var sum int64
	for _, t := range w.cpuTicks {
		sum += t
	}
	return sum
}

type sampler struct {
	done    chan struct{}
	stopped chan map[string]watched
}

func startSampler(watches map[string]string, interval time.Duration) *sampler {
	s := &sampler{done: make(chan struct{}), stopped: make(chan map[string]watched, 1)}
	seen := map[string]watched{}
	for label := range watches {
		seen[label] = watched{cpuTicks: map[int]int64{}}
	}
	var once sync.Once
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			sample(watches, seen)
			select {
			case <-s.done:
				once.Do(func() { s.stopped <- seen })
				return
			case <-ticker.C:
			}
		}
	}()
	return s
}

// stop takes one last sample and returns what was seen.
func (s *sampler) stop() map[string]watched {
	close(s.done)
	return <-s.stopped
}

// sample records the processes of the watched binaries that descend from
// this one; the same binary run by anyone else on the machine is left out.
func sample(watches map[string]string, seen map[string]watched) {
	if len(watches) == 0 {
		return
	}
	self := os.Getpid()
	for _, pid := range listPIDs() {
		exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		if err != nil {
			continue
		}
		exe = strings.TrimSuffix(exe, " (deleted)")
		for label, binary := range watches {
			if exe != binary || !descends(pid, self) {
				continue
			}
			w := seen[label]
			w.peakKiB = max(w.peakKiB, readHWM(pid))
			if stat, err := readStat(pid); err == nil {
				w.cpuTicks[pid] = stat.cpuTicks
			}
			seen[label] = w
		}
	}
}

func descends(pid, ancestor int) bool {
	for depth := 0; pid > 1 && depth < 64; depth++ {
		stat, err := readStat(pid)
		if err != nil {
			return false
		}
		if stat.ppid == ancestor {
			return true
		}
		pid = stat.ppid
	}
	return false
}
