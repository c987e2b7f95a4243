package persistence

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"github.com/centralita/centralita/domain"
)

type webhookEndpointRow struct {
	ID                      string               `gorm:"column:id;primaryKey"`
	WorkspaceID             string               `gorm:"column:workspace_id"`
	URL                     string               `gorm:"column:url"`
	Description             string               `gorm:"column:description"`
	EventTypes              jsonColumn[[]string] `gorm:"column:event_types"`
	Enabled                 bool                 `gorm:"column:enabled"`
	DisabledReason          string               `gorm:"column:disabled_reason"`
	SecretSealed            string               `gorm:"column:secret_sealed"`
	PreviousSecretSealed    string               `gorm:"column:previous_secret_sealed"`
	PreviousSecretExpiresAt *utcTime             `gorm:"column:previous_secret_expires_at"`
	FeedTx                  int64                `gorm:"column:feed_tx"`
	FeedSeq                 int64                `gorm:"column:feed_seq"`
	FailingSince            *utcTime             `gorm:"column:failing_since"`
	CreatedAt               utcTime              `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt               utcTime              `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (webhookEndpointRow) TableName() string { return "webhook_endpoints" }

func webhookEndpointFromDomain(e *domain.WebhookEndpoint) webhookEndpointRow {
	return webhookEndpointRow{ID: e.ID, WorkspaceID: e.WorkspaceID, URL: e.URL, Description: e.Description,
		EventTypes: jsonColumn[[]string]{V: e.EventTypes}, Enabled: e.Enabled, DisabledReason: e.DisabledReason,
		SecretSealed: e.SealedSecret, PreviousSecretSealed: e.SealedPreviousSecret,
		PreviousSecretExpiresAt: storedTimePtr(e.PreviousSecretExpiresAt), FeedTx: e.Position.Tx, FeedSeq: e.Position.Seq,
		FailingSince: storedTimePtr(e.FailingSince), CreatedAt: storedTime(&e.CreatedAt), UpdatedAt: storedTime(&e.UpdatedAt)}
}

func (r *webhookEndpointRow) toDomain() *domain.WebhookEndpoint {
	types := r.EventTypes.V
	if types == nil {
		types = []string{}
	}
	return &domain.WebhookEndpoint{ID: r.ID, WorkspaceID: r.WorkspaceID, URL: r.URL, Description: r.Description,
		EventTypes: types, Enabled: r.Enabled, DisabledReason: r.DisabledReason, SealedSecret: r.SecretSealed,
		SealedPreviousSecret: r.PreviousSecretSealed, PreviousSecretExpiresAt: timePtr(r.PreviousSecretExpiresAt),
		Position: domain.EventPosition{Tx: r.FeedTx, Seq: r.FeedSeq}, FailingSince: timePtr(r.FailingSince),
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}

// CreateWebhookEndpoint stores a new endpoint positioned at the end of the
// feed as the creating transaction sees it: on Postgres after every event
// of this transaction and of those that started before it (later ones
// have higher ids), on SQLite after the last event written.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, e *domain.WebhookEndpoint) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&e.WorkspaceID, ws); err != nil {
		return err
	}
	if s.dialect == DialectPostgres {
		if err := db.Raw("SELECT pg_current_xact_id()::text::bigint").Scan(&e.Position.Tx).Error; err != nil {
			return writeError(err, "webhook endpoint")
		}
		e.Position.Seq = math.MaxInt64
	} else {
		var last sql.NullInt64
		if err := db.Raw("SELECT MAX(seq) FROM events").Scan(&last).Error; err != nil {
			return writeError(err, "webhook endpoint")
		}
		e.Position = domain.EventPosition{Seq: last.Int64}
	}
	row := webhookEndpointFromDomain(e)
	return writeError(db.Create(&row).Error, "webhook endpoint")
}

func (s *Store) FindWebhookEndpoint(ctx context.Context, id string) (*domain.WebhookEndpoint, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []webhookEndpointRow
	if err := db.Where("workspace_id = ? AND id = ?", ws, id).Limit(1).Find(&rows).Error; err != nil {
		return nil, writeError(err, "webhook endpoint")
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("webhook endpoint")
	}
	return rows[0].toDomain(), nil
}

func (s *Store) FindWebhookEndpoints(ctx context.Context) ([]*domain.WebhookEndpoint, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []webhookEndpointRow
	if err := db.Where("workspace_id = ?", ws).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "webhook endpoint")
	}
	out := make([]*domain.WebhookEndpoint, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// webhookEndpointColumns are the columns UpdateWebhookEndpoint writes: not
// the feed position, which only the dispatcher moves, nor the failure
// streak, which delivery attempts keep (each with a statement of its own,
// so neither side overwrites the other's change with a stale read).
var webhookEndpointColumns = []string{"url", "description", "event_types", "enabled", "disabled_reason",
	"secret_sealed", "previous_secret_sealed", "previous_secret_expires_at", "updated_at"}

func (s *Store) UpdateWebhookEndpoint(ctx context.Context, e *domain.WebhookEndpoint) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := webhookEndpointFromDomain(e)
	return updated(db.Model(&webhookEndpointRow{}).Where("workspace_id = ? AND id = ?", ws, e.ID).
		Select(webhookEndpointColumns).Updates(&row), "webhook endpoint")
}

func (s *Store) SetWebhookFailingSince(ctx context.Context, id string, at *time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	q := db.Model(&webhookEndpointRow{}).Where("workspace_id = ? AND id = ?", ws, id)
	if at == nil {
		return writeError(q.Where("failing_since IS NOT NULL").Update("failing_since", nil).Error, "webhook endpoint")
	}
	return writeError(q.Where("failing_since IS NULL").Update("failing_since", storedTimePtr(at)).Error, "webhook endpoint")
}

func (s *Store) DisableWebhookEndpoint(ctx context.Context, id, reason string, at time.Time) (bool, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return false, err
	}
	res := db.Model(&webhookEndpointRow{}).Where("workspace_id = ? AND id = ? AND enabled", ws, id).
		Updates(map[string]any{"enabled": false, "disabled_reason": reason, "updated_at": storedTime(&at)})
	return res.RowsAffected > 0, writeError(res.Error, "webhook endpoint")
}

func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		db = s.conn(ctx)
		if err := db.Where("workspace_id = ? AND endpoint_id = ?", ws, id).Delete(&webhookDeliveryRow{}).Error; err != nil {
			return writeError(err, "webhook endpoint")
		}
		res := db.Where("workspace_id = ? AND id = ?", ws, id).Delete(&webhookEndpointRow{})
		if res.Error != nil {
			return writeError(res.Error, "webhook endpoint")
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("webhook endpoint")
		}
		return nil
	})
}

// LockWebhookEndpoint takes a transaction-scoped advisory lock on
// Postgres: unlike SELECT ... FOR UPDATE it assigns the transaction no id,
// so the feed read that follows does not count the transaction itself as
// an older one still running. SQLite runs one writer at a time.
func (s *Store) LockWebhookEndpoint(ctx context.Context, id string) (*domain.WebhookEndpoint, error) {
	db, _, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := ctx.Value(txKey{s}).(*gorm.DB); !ok {
		return nil, fmt.Errorf("persistence: LockWebhookEndpoint needs a transaction")
	}
	if s.dialect == DialectPostgres {
		if err := db.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "webhook:"+id).Error; err != nil {
			return nil, writeError(err, "webhook endpoint")
		}
	}
	return s.FindWebhookEndpoint(ctx, id)
}

func (s *Store) SetWebhookPosition(ctx context.Context, id string, p domain.EventPosition) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	return updated(db.Model(&webhookEndpointRow{}).Where("workspace_id = ? AND id = ?", ws, id).
		Updates(map[string]any{"feed_tx": p.Tx, "feed_seq": p.Seq}), "webhook endpoint")
}

// WebhookWorkspaces is unscoped (the dispatcher's sweep).
func (s *Store) WebhookWorkspaces(ctx context.Context) ([]string, error) {
	ctx = crossTenant(ctx)
	var ids []string
	err := s.conn(ctx).Model(&webhookEndpointRow{}).Distinct("workspace_id").Where("enabled").
		Order("workspace_id").Pluck("workspace_id", &ids).Error
	return ids, writeError(err, "webhook endpoint")
}

// WebhookEnqueuer inserts a delivery job inside tx.
type WebhookEnqueuer func(ctx context.Context, tx *sql.Tx, j domain.WebhookJob) error

// SetWebhookEnqueuer installs the transactional insert of delivery jobs.
func (s *Store) SetWebhookEnqueuer(fn WebhookEnqueuer) { s.enqueueWebhook = fn }

func (s *Store) EnqueueWebhookDelivery(ctx context.Context, j domain.WebhookJob) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if j.WorkspaceID != ws {
		return domain.Errorf(domain.CodeForbidden, "the delivery belongs to another workspace")
	}
	if s.enqueueWebhook == nil {
		return fmt.Errorf("persistence: no job queue is configured for webhooks")
	}
	tx, err := s.sqlTx(ctx)
	if err != nil {
		return err
	}
	s.statements.add("job insert: webhook delivery")
	return s.enqueueWebhook(ctx, tx, j)
}

func (s *Store) FindEventForWebhook(ctx context.Context, id string) (*domain.Event, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []eventRow
	if err := db.Where("workspace_id = ? AND id = ?", ws, id).Limit(1).Find(&rows).Error; err != nil {
		return nil, writeError(err, "event")
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("event")
	}
	return rows[0].toDomain(), nil
}

func (s *Store) EventsForReplay(ctx context.Context, since, until time.Time, limit int) ([]*domain.Event, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []eventRow
	err = db.Where("workspace_id = ? AND created_at >= ? AND created_at < ?", ws, utcTime{since}, utcTime{until}).
		Order("tx, seq").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, writeError(err, "event")
	}
	out := make([]*domain.Event, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}
