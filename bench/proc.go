package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ServerUsage is what the server process used during a run, read from
// /proc (Linux): CPU seconds (user + system) and peak resident memory.
type ServerUsage struct {
	PID        int     `json:"pid"`
	CPUSeconds float64 `json:"cpu_s"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	// PeakReset says whether the kernel's peak counter was reset at the
	// start of the run (possible for our own child); otherwise the peak is
	// since the process started.
	PeakReset bool `json:"peak_since_run_start"`
}

// clockTicks is USER_HZ, 100 on every Linux this runs on.
const clockTicks = 100

// procWatch measures a process over one run.
type procWatch struct {
	pid       int
	cpuBefore float64
	reset     bool
}

func watchProcess(pid int) *procWatch {
	if pid <= 0 {
		return nil
	}
	w := &procWatch{pid: pid}
	w.cpuBefore, _ = cpuSeconds(pid)
	// "5" resets the peak RSS (VmHWM) to the current RSS.
	w.reset = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
	return w
}

func (w *procWatch) done() *ServerUsage {
	if w == nil {
		return nil
	}
	cpu, err := cpuSeconds(w.pid)
	if err != nil {
		return nil
	}
	peak, _ := statusKB(w.pid, "VmHWM:")
	return &ServerUsage{PID: w.pid, CPUSeconds: round(cpu-w.cpuBefore, 2), PeakRSSMB: round(peak/1024, 1), PeakReset: w.reset}
}

// cpuSeconds is utime + stime from /proc/PID/stat.
func cpuSeconds(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces: fields start after its ")".
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("bench: short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / clockTicks, nil
}

// statusKB reads a "Key:  123 kB" line of /proc/PID/status.
func statusKB(pid int, key string) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				return strconv.ParseFloat(f[0], 64)
			}
		}
	}
	return 0, fmt.Errorf("bench: %s not in /proc/%d/status", key, pid)
}
