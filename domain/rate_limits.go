package domain

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/centralita/centralita/domain/ratelimit"
)

// RateWindow is the window of the API's rate limits: quotas are per minute.
const RateWindow = time.Minute

// RateLimits are the API's quotas per RateWindow; 0 turns one off.
type RateLimits struct {
	// PerCaller bounds the requests of one API key, or of one user across
	// their sessions.
	PerCaller int
	// PerWorkspace bounds the requests of all of a workspace's keys and
	// users together.
	PerWorkspace int
	// GraphQLCost bounds the summed cost (computed complexity) of one
	// caller's GraphQL operations, so one expensive query weighs as much as
	// many cheap ones.
	GraphQLCost int
}

// RateHit adds Amount to the counter of Subject.
type RateHit struct {
	Subject string
	Amount  int64
}

// RateCounterStore keeps the rate counters every replica shares. It is
// unscoped: a counter belongs to a subject ("key:…", "user:…", "ws:…"),
// holds no tenant data and is never listed.
type RateCounterStore interface {
	// AddToRateCounters adds every hit to its subject's counter for the
	// window starting at window, in one statement, and returns the counts
	// after the addition by subject.
	AddToRateCounters(ctx context.Context, window time.Time, hits []RateHit) (map[string]int64, error)
	// PruneRateCounters deletes the counters of windows that started
	// before cutoff and says how many.
	PruneRateCounters(ctx context.Context, cutoff time.Time) (int64, error)
}

// Policy names shown to clients in the RateLimit header fields.
const (
	policyPerKey       = "per-key"
	policyPerUser      = "per-user"
	policyPerWorkspace = "per-workspace"
	policyGraphQLCost  = "graphql-cost"
)

// TakeRequest counts one API request of the caller in ctx against its own
// quota and its workspace's, and says what is left. The error is
// rate_limited (with the wait) when a quota is spent; the decision is
// still filled in for the response's header fields. With every quota off
// it does nothing.
func (s *Service) TakeRequest(ctx context.Context) (ratelimit.Decision, error) {
	limits := s.opts.RateLimits
	if limits.PerCaller <= 0 && limits.PerWorkspace <= 0 {
		return ratelimit.Decision{Allowed: true}, nil
	}
	p, err := principal(ctx)
	if err != nil {
		return ratelimit.Decision{}, err
	}
	subject, name := callerSubject(p)
	return s.take(ctx, []rateCharge{
		{subject: subject, amount: 1, policy: ratelimit.Policy{Name: name, Quota: int64(limits.PerCaller), Window: RateWindow}},
		{subject: "ws:" + p.WorkspaceID, amount: 1,
			policy: ratelimit.Policy{Name: policyPerWorkspace, Quota: int64(limits.PerWorkspace), Window: RateWindow}},
	}, "too many requests")
}

// SpendGraphQLCost counts a GraphQL operation's cost against the caller's
// cost budget. Errors: rate_limited, as for TakeRequest.
func (s *Service) SpendGraphQLCost(ctx context.Context, cost int) (ratelimit.Decision, error) {
	budget := s.opts.RateLimits.GraphQLCost
	if budget <= 0 {
		return ratelimit.Decision{Allowed: true}, nil
	}
	p, err := principal(ctx)
	if err != nil {
		return ratelimit.Decision{}, err
	}
	subject, _ := callerSubject(p)
	return s.take(ctx, []rateCharge{{subject: "cost:" + subject, amount: int64(max(cost, 1)),
		policy: ratelimit.Policy{Name: policyGraphQLCost, Quota: int64(budget), Window: RateWindow}}},
		"GraphQL cost budget spent")
}

// callerSubject names the counter of an API key, or of a user.
func callerSubject(p Principal) (subject, policy string) {
	if p.APIKeyID != "" {
		return "key:" + p.APIKeyID, policyPerKey
	}
	return "user:" + p.UserID, policyPerUser
}

type rateCharge struct {
	subject string
	amount  int64
	policy  ratelimit.Policy
}

// take charges the counters of the policies that are on, in one round
// trip, and decides. A subject already refused in this window is refused
// again from memory, so a caller hammering past its quota costs the
// database nothing until the window resets.
func (s *Service) take(ctx context.Context, charges []rateCharge, message string) (ratelimit.Decision, error) {
	now := s.now()
	window := ratelimit.WindowStart(now, RateWindow)
	active := make([]rateCharge, 0, len(charges))
	for _, c := range charges {
		if c.policy.Quota > 0 {
			active = append(active, c)
		}
	}
	for _, c := range active {
		if s.refusals.refused(c.subject, window) {
			d := ratelimit.Decide([]ratelimit.Usage{{Policy: c.policy, Used: c.policy.Quota + 1}}, now)
			return d, rateRefusal(d, message)
		}
	}
	hits := make([]RateHit, len(active))
	for i, c := range active {
		hits[i] = RateHit{Subject: c.subject, Amount: c.amount}
	}
	// One order for every caller, so concurrent upserts of the same rows
	// never wait on each other crosswise.
	sort.Slice(hits, func(i, j int) bool { return hits[i].Subject < hits[j].Subject })
	counts, err := s.store.AddToRateCounters(ctx, window, hits)
	if err != nil {
		return ratelimit.Decision{}, err
	}
	usages := make([]ratelimit.Usage, len(active))
	for i, c := range active {
		usages[i] = ratelimit.Usage{Policy: c.policy, Used: counts[c.subject]}
	}
	d := ratelimit.Decide(usages, now)
	if d.Allowed {
		return d, nil
	}
	for _, c := range active {
		if c.policy.Name == d.Exhausted {
			s.refusals.refuse(c.subject, window)
		}
	}
	return d, rateRefusal(d, message)
}

func rateRefusal(d ratelimit.Decision, message string) error {
	wait := ratelimit.Seconds(d.RetryAfter)
	return &Error{Code: CodeRateLimited, RetryAfterSeconds: wait,
		Message: fmt.Sprintf("%s (%s quota); retry in %d s", message, d.Exhausted, wait)}
}

// rateRefusals remembers, per replica, the subjects refused in the current
// window.
type rateRefusals struct {
	mu      sync.Mutex
	windows map[string]time.Time
}

func newRateRefusals() *rateRefusals { return &rateRefusals{windows: map[string]time.Time{}} }

func (r *rateRefusals) refused(subject string, window time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	w, ok := r.windows[subject]
	return ok && w.Equal(window)
}

func (r *rateRefusals) refuse(subject string, window time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for s, w := range r.windows { // only refused subjects: few, and gone each window
		if w.Before(window) {
			delete(r.windows, s)
		}
	}
	r.windows[subject] = window
}

// PruneRateCounters deletes rate counters of windows over an hour old; only
// the periodic housekeeping job calls it.
func (s *Service) PruneRateCounters(ctx context.Context) (int64, error) {
	return s.store.PruneRateCounters(ctx, s.now().Add(-time.Hour))
}
