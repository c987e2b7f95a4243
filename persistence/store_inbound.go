package persistence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm/clause"

	"github.com/centralita/centralita/domain"
)

// FindChannelByPhoneNumberID routes a webhook to its channel. It is
// unscoped by nature: the workspace is what it finds out.
func (s *Store) FindChannelByPhoneNumberID(ctx context.Context, phoneNumberID string) (*domain.Channel, error) {
	ctx = crossTenant(ctx)
	var row channelRow
	if err := s.conn(ctx).Where("phone_number_id = ?", phoneNumberID).Take(&row).Error; err != nil {
		return nil, writeError(err, "channel")
	}
	return row.toDomain(), nil
}

// FindSealedAppSecrets lists the sealed app secrets of the channels that
// have their own, in every workspace; only that column is read.
func (s *Store) FindSealedAppSecrets(ctx context.Context) ([]string, error) {
	ctx = crossTenant(ctx)
	var sealed []string
	err := s.conn(ctx).Model(&channelRow{}).Where("app_secret_sealed <> ''").Pluck("app_secret_sealed", &sealed).Error
	if err != nil {
		return nil, writeError(err, "channel")
	}
	return sealed, nil
}

// FindContactByWaID returns the contact with that wa_id.
func (s *Store) FindContactByWaID(ctx context.Context, waID string) (*domain.Contact, error) {
	return s.findContactBy(ctx, "wa_id", waID)
}

// FindContactByUserID returns the contact with that BSUID.
func (s *Store) FindContactByUserID(ctx context.Context, userID string) (*domain.Contact, error) {
	return s.findContactBy(ctx, "user_id", userID)
}

// findContactBy finds a live contact by one of its unique ids (wa_id,
// user_id, phone_e164, email).
func (s *Store) findContactBy(ctx context.Context, column, value string) (*domain.Contact, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row contactRow
	err = db.Where("workspace_id = ? AND "+column+" = ? AND "+column+" <> '' AND deleted_at IS NULL", ws, value).Take(&row).Error
	if err != nil {
		return nil, writeError(err, "contact")
	}
	contacts := []*domain.Contact{row.toDomain()}
	return contacts[0], s.loadContactTags(ctx, ws, contacts)
}

// FindActiveConversation returns the contact's newest conversation on the
// channel that is not closed.
func (s *Store) FindActiveConversation(ctx context.Context, contactID, channelID string) (*domain.Conversation, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row conversationRow
	err = conversationsWithWindow(db).Where("c.workspace_id = ? AND c.contact_id = ? AND c.channel_id = ? AND c.status <> ?",
		ws, contactID, channelID, string(domain.StatusClosed)).
		Order("c.created_at DESC, c.id DESC").Take(&row).Error
	if err != nil {
		return nil, writeError(err, "conversation")
	}
	convs := []*domain.Conversation{row.toDomain()}
	return convs[0], s.loadConversationTags(ctx, ws, convs)
}

// FindMessageByProviderID returns the message with that wamid on a channel.
func (s *Store) FindMessageByProviderID(ctx context.Context, channelID, providerMessageID string) (*domain.Message, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row messageRow
	// The literal predicate matches the partial unique index's, so a
	// generic cached plan (and SQLite) uses it instead of scanning.
	err = db.Where("workspace_id = ? AND channel_id = ? AND provider_message_id = ? AND provider_message_id <> ''",
		ws, channelID, providerMessageID).
		Take(&row).Error
	if err != nil {
		return nil, writeError(err, "message")
	}
	return row.toDomain(), nil
}

// FindMessageByIdempotencyKey returns the workspace's message sent with
// that client key.
func (s *Store) FindMessageByIdempotencyKey(ctx context.Context, key string) (*domain.Message, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row messageRow
	if err := db.Where("workspace_id = ? AND idempotency_key = ? AND idempotency_key <> ''", ws, key).Take(&row).Error; err != nil {
		return nil, writeError(err, "message")
	}
	return row.toDomain(), nil
}

// LastRedirectNotice returns when the contact last got the legacy number's
// auto-reply on the channel, or nil.
func (s *Store) LastRedirectNotice(ctx context.Context, channelID, contactID string) (*time.Time, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	// The contact's conversations first (conversations_contact), then their
	// bot messages (messages_bot_by_conversation, whose predicate the query
	// repeats literally so a generic plan can use it). The channel is
	// compared as an expression so no planner prefers the number's index,
	// which holds every message of the number.
	var row messageRow
	err = db.Table("messages m").Select("m.*").
		Where("m.author_kind = 'bot' AND m.author_id = ? AND m.workspace_id = ? AND m.channel_id || '' = ?"+
			" AND m.conversation_id IN (SELECT c.id FROM conversations c WHERE c.workspace_id = ? AND c.contact_id = ?)",
			domain.BotLegacyRedirect, ws, channelID, ws, contactID).
		Order("m.created_at DESC").Take(&row).Error
	if err != nil {
		if domain.ErrorCode(writeError(err, "message")) == domain.CodeNotFound {
			return nil, nil
		}
		return nil, writeError(err, "message")
	}
	at := row.CreatedAt.Time
	return &at, nil
}

// LockMessage reads a message for update: on Postgres the row stays locked
// until the transaction ends; SQLite's single writer serialises anyway.
func (s *Store) LockMessage(ctx context.Context, id string) (*domain.Message, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	q := db.Where("id = ? AND workspace_id = ?", id, ws)
	if s.dialect == DialectPostgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row messageRow
	if err := q.Take(&row).Error; err != nil {
		return nil, writeError(err, "message")
	}
	return row.toDomain(), nil
}

// UpdateMessageDelivery writes a message's wamid and delivery state.
func (s *Store) UpdateMessageDelivery(ctx context.Context, m *domain.Message) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	res := db.Table("messages").Where("id = ? AND workspace_id = ?", m.ID, ws).Updates(map[string]any{
		"provider_message_id": m.ProviderMessageID, "status": string(m.Status),
		"error_code": m.ErrorCode, "error_title": m.ErrorTitle, "updated_at": storedTime(&m.UpdatedAt),
	})
	if err := updated(res, "message"); err != nil {
		return err
	}
	return touchConversation(db, ws, m.ConversationID, m.UpdatedAt)
}

type parkedStatusRow struct {
	ChannelID         string    `gorm:"column:channel_id;primaryKey"`
	WorkspaceID       string    `gorm:"column:workspace_id"`
	ProviderMessageID string    `gorm:"column:provider_message_id;primaryKey"`
	Status            string    `gorm:"column:status;primaryKey"`
	ErrorCode         string    `gorm:"column:error_code"`
	ErrorTitle        string    `gorm:"column:error_title"`
	OccurredAt        time.Time `gorm:"column:occurred_at"`
	ParkedAt          utcTime   `gorm:"column:parked_at"`
}

func (parkedStatusRow) TableName() string { return "parked_statuses" }

// ParkStatus keeps a receipt for a wamid not known yet; a duplicate receipt
// is a no-op. The channel id comes from a routed (scoped) channel.
func (s *Store) ParkStatus(ctx context.Context, channelID string, st domain.StatusUpdate, at time.Time) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := parkedStatusRow{ChannelID: channelID, WorkspaceID: ws, ProviderMessageID: st.ProviderMessageID,
		Status: string(st.Status), ErrorCode: st.ErrorCode, ErrorTitle: st.ErrorTitle,
		OccurredAt: st.Timestamp.UTC(), ParkedAt: storedTime(&at)}
	return writeError(db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error, "status")
}

// PruneParkedStatuses deletes, in every workspace, the receipts parked
// before cutoff whose message never appeared.
func (s *Store) PruneParkedStatuses(ctx context.Context, cutoff time.Time) (int64, error) {
	ctx = crossTenant(ctx)
	res := s.conn(ctx).Where("parked_at < ?", storedTime(&cutoff)).Delete(&parkedStatusRow{})
	return res.RowsAffected, writeError(res.Error, "status")
}

// TakeParkedStatuses returns and deletes the receipts parked for a wamid.
func (s *Store) TakeParkedStatuses(ctx context.Context, channelID, providerMessageID string) ([]domain.StatusUpdate, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []parkedStatusRow
	where := "workspace_id = ? AND channel_id = ? AND provider_message_id = ?"
	if err := db.Where(where, ws, channelID, providerMessageID).Order("occurred_at").Find(&rows).Error; err != nil {
		return nil, writeError(err, "status")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	if err := db.Where(where, ws, channelID, providerMessageID).Delete(&parkedStatusRow{}).Error; err != nil {
		return nil, writeError(err, "status")
	}
	out := make([]domain.StatusUpdate, len(rows))
	for i, r := range rows {
		out[i] = domain.StatusUpdate{ProviderMessageID: r.ProviderMessageID, Status: domain.DeliveryStatus(r.Status),
			Timestamp: r.OccurredAt, ErrorCode: r.ErrorCode, ErrorTitle: r.ErrorTitle}
	}
	return out, nil
}

type deadLetterRow struct {
	ID         string    `gorm:"column:id;primaryKey"`
	Reason     string    `gorm:"column:reason"`
	Body       []byte    `gorm:"column:body"`
	BodySHA256 string    `gorm:"column:body_sha256"`
	ReceivedAt time.Time `gorm:"column:received_at"`
}

func (deadLetterRow) TableName() string { return "webhook_dead_letters" }

// SaveDeadLetter keeps an authenticated delivery nobody could parse, once:
// Meta's redeliveries of the same bytes are not stored again.
func (s *Store) SaveDeadLetter(ctx context.Context, body []byte, reason string, at time.Time) error {
	sum := sha256.Sum256(body)
	row := deadLetterRow{ID: domain.NewID("dlq"), Reason: reason, Body: body,
		BodySHA256: hex.EncodeToString(sum[:]), ReceivedAt: at.UTC()}
	err := s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "body_sha256"}}, DoNothing: true}).
		Create(&row).Error
	return writeError(err, "dead letter")
}
