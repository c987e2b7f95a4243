//go:build unix

package main

import "syscall"

// smallReceiveBuffer sets SO_RCVBUF before the connection is made (after,
// the window is already advertised), so a client that stops reading
// stalls the server's writes within a few kilobytes.
func smallReceiveBuffer(size int) func(network, address string, c syscall.RawConn) error {
	return func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) {
			err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, size)
		}); cerr != nil {
			return cerr
		}
		return err
	}
}
