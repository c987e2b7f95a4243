//go:build !unix

package persistencetest

// processRunning cannot tell here, so leftovers wait for staleAfter.
func processRunning(int) bool { return true }
