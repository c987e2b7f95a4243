//go:build unix

package persistencetest

import (
	"errors"
	"syscall"
)

// processRunning reports whether pid is a live process of this machine.
func processRunning(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
