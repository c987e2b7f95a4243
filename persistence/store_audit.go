package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

// ListAuditEvents reads the workspace's events newest first by
// (created_at, id), filtered as q says (events_created and events_actor
// serve it).
func (s *Store) ListAuditEvents(ctx context.Context, q domain.AuditQuery) ([]*domain.Event, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	query := db.Table("events").Where("workspace_id = ?", ws)
	if q.ActorKind != "" {
		query = query.Where("actor_kind = ?", string(q.ActorKind))
	}
	if q.ActorID != "" {
		query = query.Where("actor_id = ?", q.ActorID)
	}
	if q.Type != "" {
		query = query.Where("type = ?", q.Type)
	}
	if q.Since != nil {
		query = query.Where("created_at >= ?", storedTime(q.Since))
	}
	if q.Until != nil {
		query = query.Where("created_at < ?", storedTime(q.Until))
	}
	if q.Before != nil {
		at := storedTime(&q.Before.Time)
		query = query.Where("(created_at < ? OR (created_at = ? AND id < ?))", at, at, q.Before.ID)
	}
	var rows []eventRow
	if err := query.Order("created_at DESC, id DESC").Limit(q.Limit).Find(&rows).Error; err != nil {
		return nil, writeError(err, "event")
	}
	events := make([]*domain.Event, len(rows))
	for i := range rows {
		events[i] = rows[i].toDomain()
	}
	return events, nil
}

// PruneExpiredEvents deletes, in each workspace, up to batch events older
// than the workspace's retention allows at now. The retention of every
// workspace is read across tenants; each delete runs inside its own
// workspace (row-level security admits no cross-tenant delete of events),
// one bounded statement per workspace, so every transaction stays short.
func (s *Store) PruneExpiredEvents(ctx context.Context, now time.Time, batch int) (int64, error) {
	var workspaces []struct {
		ID                 string
		EventRetentionDays int
	}
	err := s.conn(crossTenant(ctx)).Table("workspaces").Select("id, event_retention_days").Find(&workspaces).Error
	if err != nil {
		return 0, writeError(err, "workspace")
	}
	var total int64
	for _, w := range workspaces {
		cutoff := now.Add(-time.Duration(w.EventRetentionDays) * 24 * time.Hour)
		res := s.conn(inWorkspace(ctx, w.ID)).Exec(`DELETE FROM events WHERE id IN (SELECT id FROM events
			WHERE workspace_id = ? AND created_at < ? ORDER BY created_at LIMIT ?)`,
			w.ID, storedTime(&cutoff), batch)
		if res.Error != nil {
			return total, writeError(res.Error, "event")
		}
		total += res.RowsAffected
	}
	return total, nil
}
