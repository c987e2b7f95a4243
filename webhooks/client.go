package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/centralita/centralita/domain/netguard"
)

// ErrBlockedAddress is the dial error for an address a webhook may not
// reach.
var ErrBlockedAddress = errors.New("webhooks: address not allowed")

// Timeout is the longest one delivery attempt may take.
const Timeout = 15 * time.Second

// guard is the net.Dialer Control hook: it runs after name resolution for
// every address of every connection, so a name that resolves (or
// re-resolves, DNS rebinding) to a private address is refused before any
// packet is sent to it.
func guard(allow netguard.AllowList) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if network != "tcp4" && network != "tcp6" {
			return fmt.Errorf("%w: network %s", ErrBlockedAddress, network)
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrBlockedAddress, address)
		}
		if reason := allow.Refusal(ap.Addr()); reason != "" {
			return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, ap.Addr(), reason)
		}
		return nil
	}
}

// NewClient is the HTTP client deliveries go through: every connection
// is dialled through the guard, no proxy from the environment, redirects
// never followed (a 3xx is the answer), keep-alives per host.
func NewClient(allow netguard.AllowList) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: guard(allow)}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: Timeout,
	}
	return &http.Client{Transport: transport, Timeout: Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// dialContext is used by tests to check the guard without HTTP.
func dialContext(ctx context.Context, allow netguard.AllowList, address string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 2 * time.Second, Control: guard(allow)}
	return d.DialContext(ctx, "tcp", address)
}
