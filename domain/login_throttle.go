package domain

import (
	"sync"
	"time"
)

// The login throttle slows password guessing without letting anyone who
// knows an email lock its owner out. Failures are counted per (email,
// client IP) pair: the first pairFreeFailures cost nothing, then each
// further attempt must wait a delay that doubles (1 s, 2 s, 4 s … capped at
// pairMaxDelay). An attempt made before its wait is over is refused and
// counts as a failure too, so hammering only lengthens the attacker's own
// wait. The owner, signing in from another address, is untouched.
//
// Against guessing spread over many addresses the email also has a much
// higher ceiling of failures per window across all sources; once it is
// spent, only a source that has not failed for that email may still try
// (once), so a botnet gets one guess per address per window while the
// owner, who has not failed, still gets in.
//
// A login that proves a known device (login_device.go) is counted apart:
// on the device's own key, outside the email's ceiling and the address's
// budget, so neither a stranger's failures nor a shared office address
// keep the owner out of a device they already signed in from.
//
// Like the rest of the throttling it lives in process memory, per replica.
const (
	pairFreeFailures = 3
	pairFirstDelay   = time.Second
	pairMaxDelay     = 5 * time.Minute
)

// pairDelay is how long the pair must wait before its next attempt after
// failures failures (0 while failures are still free).
func pairDelay(failures int) time.Duration {
	if failures < pairFreeFailures {
		return 0
	}
	d := pairFirstDelay
	for range failures - pairFreeFailures {
		d *= 2
		if d >= pairMaxDelay {
			return pairMaxDelay
		}
	}
	return d
}

type pairFailures struct {
	count int
	last  time.Time
}

// loginThrottle decides every login attempt under one lock, before the slow
// password check, so concurrent guesses cannot all slip through.
type loginThrottle struct {
	mu    sync.Mutex
	pairs map[string]*pairFailures
	email *throttle // failures per email across all sources
}

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{pairs: map[string]*pairFailures{}, email: newThrottle()}
}

// take counts one attempt by (email, ip) as a failure until success clears
// it. It refuses, with the wait, when the pair must still wait or when the
// email's ceiling is spent and this source has already failed for it.
// forget is how long a quiet pair keeps its failures.
func (t *loginThrottle) take(email, ip string, ceiling int, forget time.Duration, now time.Time) (bool, time.Duration) {
	return t.takeAs(email, email+"\x00"+ip, ceiling, forget, now)
}

// takeKnown counts an attempt from a known device of email (a valid device
// token, login_device.go) on that device's own key, with the same growing
// waits, and apart from the email's ceiling: strangers' failures never
// refuse it, and its failures never count against the email.
func (t *loginThrottle) takeKnown(email, device string, forget time.Duration, now time.Time) (bool, time.Duration) {
	return t.takeAs(email, email+"\x00device\x00"+device, 0, forget, now)
}

// takeAs counts an attempt on key; a ceiling of 0 skips the email's.
func (t *loginThrottle) takeAs(email, key string, ceiling int, forget time.Duration, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.pairs[key]
	if p != nil && now.Sub(p.last) >= forget {
		p = nil
	}
	if p == nil {
		p = &pairFailures{}
		t.pairs[key] = p
		t.sweep(now, forget)
	}
	if wait := p.last.Add(pairDelay(p.count)).Sub(now); p.count > 0 && wait > 0 {
		p.count++ // hammering while told to wait doubles the wait
		p.last = now
		return false, pairDelay(p.count)
	}
	if ceiling > 0 {
		if ok, wait := t.email.take(email, ceiling, forget, now); !ok && p.count > 0 {
			return false, wait
		}
	}
	p.count++
	p.last = now
	return true, 0
}

// succeeded forgets the pair's failures and gives back the email's.
func (t *loginThrottle) succeeded(email, ip string) {
	t.mu.Lock()
	delete(t.pairs, email+"\x00"+ip)
	t.mu.Unlock()
	t.email.refund(email)
}

// succeededKnown forgets a known device's failures; the email's ceiling
// was never touched.
func (t *loginThrottle) succeededKnown(email, device string) {
	t.mu.Lock()
	delete(t.pairs, email+"\x00device\x00"+device)
	t.mu.Unlock()
}

// sweep bounds memory under a spray of keys; called with mu held.
func (t *loginThrottle) sweep(now time.Time, forget time.Duration) {
	if len(t.pairs) <= 100_000 {
		return
	}
	for k, p := range t.pairs {
		if now.Sub(p.last) >= forget {
			delete(t.pairs, k)
		}
	}
}
