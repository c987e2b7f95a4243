package domain

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/centralita/centralita/domain/access"
)

// EventFeedPage is one page of the pull feed. Next is where the following
// read starts: the last event's position, or the requested one when the
// page is empty, so a poller always has a cursor to come back with.
type EventFeedPage struct {
	Events  []*Event
	Next    EventPosition
	HasMore bool
}

// EventFeed reads the workspace's events in commit order after the cursor
// after ("" from the start), optionally only some types (owners, admins
// and keys of those roles: the feed shows every conversation's events).
// Errors: forbidden, invalid (after, types, limit).
func (s *Service) EventFeed(ctx context.Context, after string, types []string, limit *int) (EventFeedPage, error) {
	p, err := principal(ctx)
	if err != nil {
		return EventFeedPage{}, err
	}
	if err := p.may(access.ReadEvents); err != nil {
		return EventFeedPage{}, err
	}
	n, err := pageSize(limit)
	if err != nil {
		return EventFeedPage{}, err
	}
	pos, err := ParseEventCursor(after)
	if err != nil {
		return EventFeedPage{}, err
	}
	if err := checkEventTypes("types", types); err != nil {
		return EventFeedPage{}, err
	}
	events, err := s.store.ListEventsAfter(ctx, EventFeedQuery{After: pos, Types: types, Limit: n + 1})
	if err != nil {
		return EventFeedPage{}, err
	}
	page := EventFeedPage{Events: events, Next: pos}
	if len(events) > n {
		page.Events, page.HasMore = events[:n], true
	}
	if len(page.Events) > 0 {
		page.Next = page.Events[len(page.Events)-1].Position
	}
	return page, nil
}

// AuditLogFilter selects audit-log rows; zero fields do not filter.
type AuditLogFilter struct {
	ActorKind ActorKind
	ActorID   string
	Type      string
	// Since is inclusive, Until exclusive.
	Since, Until *time.Time
	Page         PageRequest
}

// AuditQuery is a validated AuditLogFilter for the store.
type AuditQuery struct {
	ActorKind    ActorKind
	ActorID      string
	Type         string
	Since, Until *time.Time
	Before       *Cursor
	Limit        int
}

// AuditLog lists the workspace's events newest first: who (a person, a key,
// the bot, a rule, the system) did what. Owners and admins read it, and
// supervisors too (read-only: nothing changes through it).
// Errors: forbidden, invalid (naming the parameter).
func (s *Service) AuditLog(ctx context.Context, f AuditLogFilter) (Page[*Event], error) {
	q, err := s.auditQuery(ctx, f)
	if err != nil {
		return Page[*Event]{}, err
	}
	events, err := s.store.ListAuditEvents(ctx, q)
	if err != nil {
		return Page[*Event]{}, err
	}
	return MakePage(events, q.Limit-1, eventCursor), nil
}

func eventCursor(e *Event) Cursor { return Cursor{Time: e.CreatedAt, ID: e.ID} }

// auditExportBatch is how many rows an export reads at a time: memory stays
// flat however long the log.
const auditExportBatch = 500

// ExportAuditLog hands every row matching f (its page is ignored) to write,
// newest first, reading in batches. The export is itself recorded first
// (audit_log.exported, with its filters), so even an export cut short
// leaves its trace. Errors: as AuditLog, and write's.
func (s *Service) ExportAuditLog(ctx context.Context, f AuditLogFilter, write func(*Event) error) error {
	f.Page = PageRequest{}
	q, err := s.auditQuery(ctx, f)
	if err != nil {
		return err
	}
	filters := map[string]any{"actor_kind": string(f.ActorKind), "actor_id": f.ActorID, "type": f.Type}
	if f.Since != nil {
		filters["since"] = f.Since.UTC().Format(time.RFC3339Nano)
	}
	if f.Until != nil {
		filters["until"] = f.Until.UTC().Format(time.RFC3339Nano)
	}
	p, _ := principal(ctx)
	err = s.record(ctx, EventAuditLogExported, p.WorkspaceID, map[string]any{"format": "csv", "filters": filters})
	if err != nil {
		return err
	}
	q.Limit = auditExportBatch
	for {
		events, err := s.store.ListAuditEvents(ctx, q)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := write(e); err != nil {
				return err
			}
		}
		if len(events) < q.Limit {
			return nil
		}
		last := eventCursor(events[len(events)-1])
		q.Before = &last
	}
}

// auditQuery checks the caller and the filter and builds the store query
// (Limit is one more than the page, to tell whether more follow).
func (s *Service) auditQuery(ctx context.Context, f AuditLogFilter) (AuditQuery, error) {
	p, err := principal(ctx)
	if err != nil {
		return AuditQuery{}, err
	}
	if err := p.may(access.ReadAuditLog); err != nil {
		return AuditQuery{}, err
	}
	limit, before, err := f.Page.Normalize()
	if err != nil {
		return AuditQuery{}, err
	}
	if f.ActorKind != "" && !slices.Contains(ActorKinds, f.ActorKind) {
		return AuditQuery{}, FieldError("actor_kind", "actor_kind must be one of %s", joinKinds())
	}
	if len(f.ActorID) > 100 {
		return AuditQuery{}, FieldError("actor_id", "actor_id is not an id")
	}
	if f.Type != "" {
		if err := checkEventTypes("type", []string{f.Type}); err != nil {
			return AuditQuery{}, err
		}
	}
	if f.Since != nil && f.Until != nil && !f.Until.After(*f.Since) {
		return AuditQuery{}, FieldError("until", "until must be after since")
	}
	return AuditQuery{ActorKind: f.ActorKind, ActorID: f.ActorID, Type: f.Type, Since: utcPtr(f.Since),
		Until: utcPtr(f.Until), Before: before, Limit: limit + 1}, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func joinKinds() string {
	names := make([]string, len(ActorKinds))
	for i, k := range ActorKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// checkEventTypes refuses a type filter naming an unknown type: it would
// silently match nothing, and an integrator would think the feed empty.
func checkEventTypes(field string, types []string) error {
	for _, t := range types {
		if !KnownEventType(t) {
			return FieldError(field, "unknown event type %q (see the README's list of event types)", t)
		}
	}
	return nil
}

// pageSize reads a requested page size: DefaultPageSize when nil, else 1
// to MaxPageSize.
func pageSize(limit *int) (int, error) {
	n, _, err := PageRequest{Limit: limit}.Normalize()
	return n, err
}
