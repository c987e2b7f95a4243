// Package bench is Centralita's load tool: open-loop load at a constant
// rate against a server on this machine, one JSON result per run.
//
// Open loop means request i is started at start + i/rate whatever the
// server answered before, and its latency is measured from that scheduled
// instant: when the server falls behind, the queueing delay shows in the
// figures instead of silently lowering the rate (a closed loop hides it).
package bench

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Outcome is what one request got: an HTTP status, or an error kind.
type Outcome struct {
	Status int    // 0 when there was no answer
	Err    string // "timeout", "connection", "generator_saturated", other
	// Items is how many units of work the request carried (messages in a
	// delivery); throughput is counted in items.
	Items int
}

// Load is one open-loop run: Count requests at Rate per second, each
// started on schedule, at most MaxInFlight at once.
type Load struct {
	Rate        float64
	Count       int
	MaxInFlight int
	// Do sends request i; it must honour ctx (the per-request timeout).
	Do      func(ctx context.Context, i int) Outcome
	Timeout time.Duration
	// OK says which statuses count as success (default: 2xx).
	OK func(status int) bool
}

// Sample is one finished request.
type Sample struct {
	Latency time.Duration
	// Lag is how late the request left against its schedule: the
	// generator's own delay (a starved CPU), which Latency includes.
	Lag     time.Duration
	Outcome Outcome
}

// Run fires the load and returns every sample and the wall time from the
// first scheduled request to the last answer (at least Count/Rate).
func (l Load) Run(ctx context.Context) ([]Sample, time.Duration) {
	if l.MaxInFlight <= 0 {
		l.MaxInFlight = 10000
	}
	if l.Timeout <= 0 {
		l.Timeout = 30 * time.Second
	}
	samples := make([]Sample, l.Count)
	slots := make(chan struct{}, l.MaxInFlight)
	var wg sync.WaitGroup
	start := time.Now()
	interval := float64(time.Second) / l.Rate
	for i := 0; i < l.Count; i++ {
		scheduled := start.Add(time.Duration(float64(i) * interval))
		if wait := time.Until(scheduled); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				samples = samples[:i]
				wg.Wait()
				return samples, time.Since(start)
			}
		}
		select {
		case slots <- struct{}{}:
		default:
			// The generator refuses to hold more in flight: the server is
			// that far behind. Counted as an error, never silently skipped.
			samples[i] = Sample{Outcome: Outcome{Err: "generator_saturated"}}
			continue
		}
		wg.Add(1)
		go func(i int, scheduled time.Time) {
			defer wg.Done()
			defer func() { <-slots }()
			rctx, cancel := context.WithDeadline(ctx, scheduled.Add(l.Timeout))
			defer cancel()
			lag := time.Since(scheduled)
			out := l.Do(rctx, i)
			samples[i] = Sample{Latency: time.Since(scheduled), Lag: lag, Outcome: out}
		}(i, scheduled)
	}
	wg.Wait()
	// The run lasts at least its schedule (Count/Rate), also when the last
	// answers come early: throughput is never above what was offered.
	return samples, max(time.Since(start), time.Duration(float64(l.Count)*interval))
}

// classify turns a client error into an error kind.
func classify(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, os.ErrDeadlineExceeded):
		return "connection"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return "connection"
	}
	return "other"
}

// newClient is an HTTP client that keeps as many loopback connections
// open as the load needs, so connection setup is not what is measured.
func newClient(maxConns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns: maxConns, MaxIdleConnsPerHost: maxConns, IdleConnTimeout: 90 * time.Second,
		DisableCompression: true,
	}}
}

// statusKey is how a status is counted in the result.
func statusKey(status int) string { return strconv.Itoa(status) }
