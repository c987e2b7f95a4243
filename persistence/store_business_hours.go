package persistence

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
)

// jsonColumn holds any JSON-encodable value: jsonb on Postgres, text on
// SQLite.
type jsonColumn[T any] struct{ V T }

// Value implements driver.Valuer.
func (c jsonColumn[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(c.V)
	if err != nil {
		return nil, fmt.Errorf("persistence: encode JSON: %w", err)
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (c *jsonColumn[T]) Scan(src any) error {
	_, err := scanJSON(src, &c.V, "JSON")
	return err
}

type shiftJSON struct {
	Day   string `json:"day"`
	Open  string `json:"open"`
	Close string `json:"close"`
}

type holidayJSON struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

type businessHoursRow struct {
	ID          string                    `gorm:"column:id;primaryKey"`
	WorkspaceID string                    `gorm:"column:workspace_id"`
	Name        string                    `gorm:"column:name"`
	Timezone    string                    `gorm:"column:timezone"`
	Weekly      jsonColumn[[]shiftJSON]   `gorm:"column:weekly"`
	Holidays    jsonColumn[[]holidayJSON] `gorm:"column:holidays"`
	CreatedAt   utcTime                   `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   utcTime                   `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (businessHoursRow) TableName() string { return "business_hours" }

func businessHoursFromDomain(b *domain.BusinessHours) businessHoursRow {
	r := businessHoursRow{ID: b.ID, WorkspaceID: b.WorkspaceID, Name: b.Name, Timezone: b.Timezone,
		CreatedAt: storedTime(&b.CreatedAt), UpdatedAt: storedTime(&b.UpdatedAt)}
	r.Weekly.V = make([]shiftJSON, len(b.Weekly))
	for i, s := range b.Weekly {
		r.Weekly.V[i] = shiftJSON(s)
	}
	r.Holidays.V = make([]holidayJSON, len(b.Holidays))
	for i, h := range b.Holidays {
		r.Holidays.V[i] = holidayJSON(h)
	}
	return r
}

func (r *businessHoursRow) toDomain() *domain.BusinessHours {
	b := &domain.BusinessHours{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Timezone: r.Timezone,
		Weekly: make([]domain.Shift, len(r.Weekly.V)), Holidays: make([]domain.Holiday, len(r.Holidays.V)),
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
	for i, s := range r.Weekly.V {
		b.Weekly[i] = domain.Shift(s)
	}
	for i, h := range r.Holidays.V {
		b.Holidays[i] = domain.Holiday(h)
	}
	return b
}

// CreateBusinessHours stores a plan in the caller's workspace.
func (s *Store) CreateBusinessHours(ctx context.Context, b *domain.BusinessHours) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&b.WorkspaceID, ws); err != nil {
		return err
	}
	row := businessHoursFromDomain(b)
	return writeError(db.Create(&row).Error, "business hours")
}

// FindBusinessHours returns one plan of the caller's workspace.
func (s *Store) FindBusinessHours(ctx context.Context, id string) (*domain.BusinessHours, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row businessHoursRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "business hours")
	}
	return row.toDomain(), nil
}

// FindAllBusinessHours lists the workspace's plans by name.
func (s *Store) FindAllBusinessHours(ctx context.Context) ([]*domain.BusinessHours, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var rows []businessHoursRow
	if err := db.Where("workspace_id = ?", ws).Order("name, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "business hours")
	}
	out := make([]*domain.BusinessHours, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// UpdateBusinessHours rewrites a plan of the caller's workspace.
func (s *Store) UpdateBusinessHours(ctx context.Context, b *domain.BusinessHours) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := businessHoursFromDomain(b)
	res := db.Table("business_hours").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"name": row.Name, "timezone": row.Timezone, "weekly": row.Weekly, "holidays": row.Holidays,
		"updated_at": row.UpdatedAt,
	})
	return updated(res, "business hours")
}

// DeleteBusinessHours removes a plan; it refuses while a queue follows it
// (SQLite has no foreign key from queues to check it).
func (s *Store) DeleteBusinessHours(ctx context.Context, id string) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := refuseWhileUsed(db, "queues", "business_hours_id", ws, id,
			"queues still follow these business hours; point them elsewhere first"); err != nil {
			return err
		}
		return deleted(db.Where("id = ? AND workspace_id = ?", id, ws).Delete(&businessHoursRow{}), "business hours")
	})
}

// refuseWhileUsed is a conflict while a row of table names id in column.
func refuseWhileUsed(db *gorm.DB, table, column, ws, id, message string) error {
	var used int64
	if err := db.Table(table).Where("workspace_id = ? AND "+column+" = ?", ws, id).Count(&used).Error; err != nil {
		return writeError(err, table)
	}
	if used > 0 {
		return domain.Errorf(domain.CodeConflict, "%s", message)
	}
	return nil
}

// deleted reports a delete that found nothing as not found.
func deleted(res *gorm.DB, kind string) error {
	if res.Error != nil {
		return deleteError(res.Error, kind)
	}
	if res.RowsAffected == 0 {
		return domain.NotFound(kind)
	}
	return nil
}
