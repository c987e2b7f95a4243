//go:build !unix

package main

import "syscall"

// smallReceiveBuffer is a no-op where SO_RCVBUF cannot be set portably:
// the slow-subscriber test then sends more before the drop.
func smallReceiveBuffer(int) func(network, address string, c syscall.RawConn) error { return nil }
