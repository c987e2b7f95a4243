package domain

import (
	"context"
	"sync"
	"time"
)

// TimerKind names a durable timer: something the domain must look at again
// at an instant (an SLA target, an inactivity limit). Timers are jobs in
// the database, never goroutines, so a restart or a second replica changes
// nothing.
type TimerKind string

// Timer is one scheduled look at a subject (a conversation id) at At.
type Timer struct {
	Kind      TimerKind
	SubjectID string
	At        time.Time
}

// TimerStore schedules a timer in the caller's transaction, so a change
// and the timer it starts commit or roll back together.
type TimerStore interface {
	ScheduleTimer(ctx context.Context, t Timer) error
}

// TimerHandler acts on a timer that came due. Timers are never cancelled:
// a handler first checks that what it was set for still holds (the due
// time it was scheduled for is still the conversation's, the target is
// not met), and does nothing otherwise. It runs as the workspace's system
// and may run more than once.
type TimerHandler func(ctx context.Context, subjectID string, at time.Time) error

// timers maps each kind to its handler; features register theirs.
type timers struct {
	mu       sync.RWMutex
	handlers map[TimerKind]TimerHandler
}

// HandleTimer registers the handler of a kind (features at construction,
// tests for their own kinds). A later registration replaces an earlier one.
func (s *Service) HandleTimer(kind TimerKind, h TimerHandler) {
	s.timers.mu.Lock()
	defer s.timers.mu.Unlock()
	if s.timers.handlers == nil {
		s.timers.handlers = map[TimerKind]TimerHandler{}
	}
	s.timers.handlers[kind] = h
}

// FireTimer runs a due timer. ctx must act as the system of the timer's
// workspace. Errors: not_found for a kind nobody handles (a timer left by
// a newer version), so the job is retried and, if still unknown, dropped.
func (s *Service) FireTimer(ctx context.Context, kind TimerKind, subjectID string, at time.Time) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.System {
		return Errorf(CodeForbidden, "only the system fires timers")
	}
	s.timers.mu.RLock()
	h := s.timers.handlers[kind]
	s.timers.mu.RUnlock()
	if h == nil {
		return Errorf(CodeNotFound, "no handler for timer %q", kind)
	}
	return h(ctx, subjectID, at)
}

// schedule starts a timer in the caller's transaction.
func (s *Service) schedule(ctx context.Context, kind TimerKind, subjectID string, at time.Time) error {
	return s.store.ScheduleTimer(ctx, Timer{Kind: kind, SubjectID: subjectID, At: at.UTC()})
}
