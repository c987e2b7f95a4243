// Package ratelimit is the arithmetic of the API's rate limits: fixed
// windows (one minute for the API), what a caller has left in each of its
// policies after a request, when the window resets, whether the request
// goes through and how long a refused caller should wait. It also spells
// the IETF RateLimit-Policy and RateLimit fields
// (draft-ietf-httpapi-ratelimit-headers). It is pure: the counts come from
// the caller (a shared counter in the database), the clock too.
package ratelimit

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Policy is one quota: at most Quota units (requests, or GraphQL cost
// points) per Window for one subject (an API key, a user, a workspace).
type Policy struct {
	Name   string // shown to clients: "per-key", "per-workspace", …
	Quota  int64
	Window time.Duration
}

// WindowStart is the start of the fixed window of length window holding
// now. Windows are aligned to the Unix epoch, so every replica agrees on
// them without talking to the others.
func WindowStart(now time.Time, window time.Duration) time.Time {
	return now.Truncate(window)
}

// Usage is a policy and what its subject has counted in the current
// window, this request included.
type Usage struct {
	Policy Policy
	Used   int64
}

// Status is what a client is told about one policy.
type Status struct {
	Policy    Policy
	Remaining int64
	// Reset is how long until the window ends and the quota is whole again
	// (whole seconds, at least 1).
	Reset time.Duration
}

// Decision is the outcome of one request against all its policies.
type Decision struct {
	Allowed  bool
	Statuses []Status
	// RetryAfter is, when refused, how long to wait before the exhausted
	// quotas are whole again (whole seconds, at least 1).
	RetryAfter time.Duration
	// Exhausted names the first policy whose quota the request exceeded.
	Exhausted string
}

// Decide checks usages (counts after this request) at now. A request is
// refused when any policy counted more than its quota; a quota of 0 or
// less means the policy is off and it is ignored.
func Decide(usages []Usage, now time.Time) Decision {
	d := Decision{Allowed: true}
	for _, u := range usages {
		if u.Policy.Quota <= 0 || u.Policy.Window <= 0 {
			continue
		}
		reset := untilReset(now, u.Policy.Window)
		d.Statuses = append(d.Statuses, Status{Policy: u.Policy, Remaining: max(u.Policy.Quota-u.Used, 0), Reset: reset})
		if u.Used > u.Policy.Quota {
			if d.Allowed {
				d.Exhausted = u.Policy.Name
			}
			d.Allowed = false
			d.RetryAfter = max(d.RetryAfter, reset)
		}
	}
	return d
}

// untilReset is the time left in now's window, rounded up to whole
// seconds (the unit of the header fields and of Retry-After).
func untilReset(now time.Time, window time.Duration) time.Duration {
	left := WindowStart(now, window).Add(window).Sub(now)
	return time.Duration(max(math.Ceil(left.Seconds()), 1)) * time.Second
}

// Seconds is d in whole seconds, for header fields.
func Seconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

// PolicyField spells the RateLimit-Policy field of statuses:
// `"per-key";q=600;w=60, "per-workspace";q=3000;w=60`.
func PolicyField(statuses []Status) string {
	items := make([]string, len(statuses))
	for i, s := range statuses {
		items[i] = strconv.Quote(s.Policy.Name) + ";q=" + strconv.FormatInt(s.Policy.Quota, 10) +
			";w=" + strconv.Itoa(Seconds(s.Policy.Window))
	}
	return strings.Join(items, ", ")
}

// LimitField spells the RateLimit field of statuses (remaining quota and
// seconds to reset): `"per-key";r=123;t=42, "per-workspace";r=2900;t=42`.
func LimitField(statuses []Status) string {
	items := make([]string, len(statuses))
	for i, s := range statuses {
		items[i] = strconv.Quote(s.Policy.Name) + ";r=" + strconv.FormatInt(s.Remaining, 10) +
			";t=" + strconv.Itoa(Seconds(s.Reset))
	}
	return strings.Join(items, ", ")
}
