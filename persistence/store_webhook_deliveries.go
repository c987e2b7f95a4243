package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

type webhookDeliveryRow struct {
	ID              string   `gorm:"column:id;primaryKey"`
	WorkspaceID     string   `gorm:"column:workspace_id"`
	EndpointID      string   `gorm:"column:endpoint_id"`
	EventID         string   `gorm:"column:event_id"`
	EventType       string   `gorm:"column:event_type"`
	DeliveryKey     string   `gorm:"column:delivery_key"`
	Attempt         int      `gorm:"column:attempt"`
	StatusCode      int      `gorm:"column:status_code"`
	LatencyMS       int64    `gorm:"column:latency_ms"`
	ResponseExcerpt string   `gorm:"column:response_excerpt"`
	Error           string   `gorm:"column:error"`
	State           string   `gorm:"column:state"`
	NextRetryAt     *utcTime `gorm:"column:next_retry_at"`
	CreatedAt       utcTime  `gorm:"column:created_at;autoCreateTime:false"`
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

func (r *webhookDeliveryRow) toDomain() *domain.WebhookDelivery {
	return &domain.WebhookDelivery{ID: r.ID, WorkspaceID: r.WorkspaceID, EndpointID: r.EndpointID, EventID: r.EventID,
		EventType: r.EventType, Key: r.DeliveryKey, Attempt: r.Attempt, StatusCode: r.StatusCode,
		Latency: time.Duration(r.LatencyMS) * time.Millisecond, ResponseExcerpt: r.ResponseExcerpt, Error: r.Error,
		State: domain.WebhookDeliveryState(r.State), NextRetryAt: timePtr(r.NextRetryAt), CreatedAt: r.CreatedAt.Time}
}

func (s *Store) CountWebhookAttempts(ctx context.Context, endpointID, eventID, key string) (int, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = db.Model(&webhookDeliveryRow{}).Where("workspace_id = ? AND endpoint_id = ? AND event_id = ? AND delivery_key = ?",
		ws, endpointID, eventID, key).Count(&n).Error
	return int(n), writeError(err, "webhook delivery")
}

func (s *Store) AddWebhookAttempt(ctx context.Context, d *domain.WebhookDelivery) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&d.WorkspaceID, ws); err != nil {
		return err
	}
	row := webhookDeliveryRow{ID: d.ID, WorkspaceID: d.WorkspaceID, EndpointID: d.EndpointID, EventID: d.EventID,
		EventType: d.EventType, DeliveryKey: d.Key, Attempt: d.Attempt, StatusCode: d.StatusCode,
		LatencyMS: d.Latency.Milliseconds(), ResponseExcerpt: d.ResponseExcerpt, Error: d.Error, State: string(d.State),
		NextRetryAt: storedTimePtr(d.NextRetryAt), CreatedAt: storedTime(&d.CreatedAt)}
	return writeError(db.Create(&row).Error, "webhook delivery")
}

func (s *Store) FindWebhookDeliveries(ctx context.Context, endpointID string, pq domain.PageQuery) (domain.Page[*domain.WebhookDelivery], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.WebhookDelivery]{}, err
	}
	q := db.Model(&webhookDeliveryRow{}).Where("workspace_id = ? AND endpoint_id = ?", ws, endpointID)
	var rows []webhookDeliveryRow
	if err := keyset(q, "created_at", "id", pq, true).Find(&rows).Error; err != nil {
		return domain.Page[*domain.WebhookDelivery]{}, writeError(err, "webhook delivery")
	}
	return makePage(rows, pq, (*webhookDeliveryRow).toDomain, func(d *domain.WebhookDelivery) domain.Cursor {
		return domain.Cursor{Time: d.CreatedAt, ID: d.ID}
	}), nil
}

// PruneWebhookDeliveries is unscoped (housekeeping): it deletes the
// attempts logged before cutoff in every workspace.
func (s *Store) PruneWebhookDeliveries(ctx context.Context, cutoff time.Time) (int64, error) {
	ctx = crossTenant(ctx)
	res := s.conn(ctx).Where("created_at < ?", storedTime(&cutoff)).Delete(&webhookDeliveryRow{})
	return res.RowsAffected, writeError(res.Error, "webhook delivery")
}
