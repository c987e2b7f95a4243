package persistence

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/centralita/centralita/domain"
)

// CreateChannel registers a number. phone_number_id is unique across all
// workspaces, so the conflict reveals only that the number is taken.
func (s *Store) CreateChannel(ctx context.Context, c *domain.Channel) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&c.WorkspaceID, ws); err != nil {
		return err
	}
	row := channelFromDomain(c)
	return writeError(db.Create(&row).Error, "channel")
}

// FindChannel returns one channel.
func (s *Store) FindChannel(ctx context.Context, id string) (*domain.Channel, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row channelRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "channel")
	}
	return row.toDomain(), nil
}

// FindChannels lists the workspace's numbers by name.
func (s *Store) FindChannels(ctx context.Context) ([]*domain.Channel, error) {
	return s.findChannels(ctx, nil)
}

// FindChannelsByIDs loads channels for batching; missing ids are skipped.
func (s *Store) FindChannelsByIDs(ctx context.Context, ids []string) ([]*domain.Channel, error) {
	if ids == nil {
		ids = []string{}
	}
	return s.findChannels(ctx, ids)
}

func (s *Store) findChannels(ctx context.Context, ids []string) ([]*domain.Channel, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if ids != nil && len(ids) == 0 {
		return []*domain.Channel{}, nil
	}
	q := db.Where("workspace_id = ?", ws)
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	var rows []channelRow
	if err := q.Order("name, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "channel")
	}
	channels := make([]*domain.Channel, len(rows))
	for i := range rows {
		channels[i] = rows[i].toDomain()
	}
	return channels, nil
}

// LockOfficialChannel returns the workspace's official number, or nil,
// and holds the workspace's claim on it until the transaction ends, so two
// numbers made official at once take turns instead of both demoting the
// same predecessor. On Postgres it locks the workspace row (NO KEY UPDATE:
// inserts referencing the workspace go on); SQLite's single writer
// serialises anyway. The channels_one_official index backs it.
func (s *Store) LockOfficialChannel(ctx context.Context) (*domain.Channel, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if s.dialect == DialectPostgres {
		var locked []string
		err := db.Table("workspaces").Select("id").Where("id = ?", ws).
			Clauses(clause.Locking{Strength: "NO KEY UPDATE"}).Find(&locked).Error
		if err != nil {
			return nil, writeError(err, "workspace")
		}
	}
	var rows []channelRow
	if err := db.Where("workspace_id = ? AND mode = ?", ws, string(domain.ChannelModeOfficial)).Limit(1).Find(&rows).Error; err != nil {
		return nil, writeError(err, "channel")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return rows[0].toDomain(), nil
}

// UpdateChannel writes a channel's settings.
func (s *Store) UpdateChannel(ctx context.Context, c *domain.Channel) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := channelFromDomain(c)
	res := db.Table("channels").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"name": row.Name, "phone_number_id": row.PhoneNumberID, "waba_id": row.WABAID,
		"display_phone_number": row.DisplayPhoneNumber, "mode": row.Mode, "updated_at": row.UpdatedAt,
		"access_token_sealed": row.AccessTokenSealed, "app_secret_sealed": row.AppSecretSealed,
		"redirect_text": row.RedirectText, "redirect_every_seconds": row.RedirectEverySecs,
		"redirect_until": row.RedirectUntil, "default_queue_id": row.DefaultQueueID,
	})
	return updated(res, "channel")
}

// DeleteChannel removes a number that carried no traffic. A number with
// conversations or messages is refused with a conflict instead of being
// cut out of them: the history must keep saying which number it came
// through, and (channel, wamid) deduplication depends on it.
func (s *Store) DeleteChannel(ctx context.Context, id string) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		for _, table := range []string{"conversations", "messages"} {
			var used int64
			if err := db.Table(table).Where("workspace_id = ? AND channel_id = ?", ws, id).Count(&used).Error; err != nil {
				return writeError(err, "channel")
			}
			if used > 0 {
				return domain.Errorf(domain.CodeConflict, "the channel has conversations and cannot be deleted")
			}
		}
		res := db.Where("id = ? AND workspace_id = ?", id, ws).Delete(&channelRow{})
		if res.Error != nil {
			return deleteError(res.Error, "channel")
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("channel")
		}
		return nil
	})
}
