package persistence

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/centralita/centralita/domain"
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
