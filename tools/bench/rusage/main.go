// Command rusage runs a command and reports what it cost, for the benchmark
// (tools/bench/bench.sh):
//
//	rusage -out FILE [-watch LABEL=BINARY]... [-server-pid PID] -- COMMAND [ARGS...]
//
// It writes KEY=VALUE lines to FILE and exits with the command's exit code:
//
//	wall_s           wall time of the command
//	user_s, sys_s    CPU seconds of the command and every descendant it waited
//	cpu_s            for (getrusage RUSAGE_CHILDREN: Terraform and its plugins)
//	orphans          descendants that outlived their parent; rusage becomes their
//	                 subreaper, waits for them (killing them after -orphan-wait)
//	                 and so counts their CPU too
//	tree_maxrss_kib  the largest peak RSS of any process in the tree
//	LABEL_peak_kib   the highest VmHWM seen of processes running BINARY
//	LABEL_procs      how many such processes were seen
//	LABEL_cpu_s      their utime+stime as last sampled (misses up to one interval
//	                 per process; informative, cpu_s is exact)
//	server_cpu_s     CPU seconds PID spent while the command ran (the emulator)
//	server_hwm_kib   VmHWM of PID afterwards
//
// Processes are sampled from /proc every -interval. Linux only.
package main

import (
	"fmt"
	"os"
)

func main() {
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "rusage:", err)
		os.Exit(125)
	}
	os.Exit(code)
}
