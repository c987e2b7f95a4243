package domain

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/centralita/centralita/domain/businesshours"
)

// BusinessHours is a named weekly plan a queue follows: when its team
// answers, in which time zone, and on which holidays it does not.
type BusinessHours struct {
	ID          string
	WorkspaceID string
	Name        string
	Timezone    string // IANA
	Weekly      []Shift
	Holidays    []Holiday
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Shift is one opening: Day "mon"…"sun", Open and Close "HH:MM" (Close may
// be "24:00").
type Shift struct {
	Day   string
	Open  string
	Close string
}

// Holiday is a closed day: Date "YYYY-MM-DD" in the schedule's zone.
type Holiday struct {
	Date string
	Name string
}

// Schedule validates the plan and returns its calendar. Errors: invalid,
// naming the field (timezone, weekly[i].open, holidays[i].date, …).
func (b *BusinessHours) Schedule() (*businesshours.Schedule, error) {
	shifts := make([]businesshours.Shift, len(b.Weekly))
	for i, sh := range b.Weekly {
		day, ok := businesshours.ParseDay(sh.Day)
		if !ok {
			return nil, FieldError(fmt.Sprintf("weekly[%d].day", i), "day must be one of mon, tue, wed, thu, fri, sat, sun")
		}
		open, ok := businesshours.ParseClock(sh.Open)
		if !ok {
			return nil, FieldError(fmt.Sprintf("weekly[%d].open", i), "open must be a 24-hour time such as 09:00")
		}
		closing, ok := businesshours.ParseClock(sh.Close)
		if !ok {
			return nil, FieldError(fmt.Sprintf("weekly[%d].close", i), "close must be a 24-hour time such as 18:00 (24:00 for midnight)")
		}
		shifts[i] = businesshours.Shift{Day: day, Open: open, Close: closing}
	}
	holidays := make([]businesshours.Holiday, len(b.Holidays))
	for i, h := range b.Holidays {
		d, err := time.Parse(time.DateOnly, h.Date)
		if err != nil {
			return nil, FieldError(fmt.Sprintf("holidays[%d].date", i), "date must be a calendar date such as 2026-12-25")
		}
		holidays[i] = businesshours.Holiday{Date: businesshours.Date{Year: d.Year(), Month: d.Month(), Day: d.Day()},
			Name: h.Name}
	}
	s, err := businesshours.New(b.Timezone, shifts, holidays)
	if err != nil {
		if e, ok := err.(*businesshours.Error); ok {
			return nil, FieldError(e.Field, "%s", e.Message)
		}
		return nil, err
	}
	return s, nil
}

// validate checks a plan before it is stored.
func (b *BusinessHours) validate() error {
	var err error
	if b.Name, err = validateName("name", b.Name, 80); err != nil {
		return err
	}
	b.Timezone = strings.TrimSpace(b.Timezone)
	if len(b.Weekly) > 7*8 {
		return FieldError("weekly", "at most 8 shifts a day")
	}
	if len(b.Holidays) > 366 {
		return FieldError("holidays", "at most 366 holidays")
	}
	for i, h := range b.Holidays {
		if len([]rune(h.Name)) > 120 {
			return FieldError(fmt.Sprintf("holidays[%d].name", i), "name must have at most 120 characters")
		}
	}
	_, err = b.Schedule()
	return err
}

// BusinessHoursStore persists business-hours plans.
type BusinessHoursStore interface {
	CreateBusinessHours(ctx context.Context, b *BusinessHours) error
	FindBusinessHours(ctx context.Context, id string) (*BusinessHours, error)
	FindAllBusinessHours(ctx context.Context) ([]*BusinessHours, error)
	UpdateBusinessHours(ctx context.Context, b *BusinessHours) error
	// DeleteBusinessHours refuses (conflict) while a queue follows the plan.
	DeleteBusinessHours(ctx context.Context, id string) error
}

// queueSchedule is the calendar of the queue's business hours; nil when the
// queue has none (always open) or there is no queue.
func (s *Service) queueSchedule(ctx context.Context, queueID string) (*businesshours.Schedule, error) {
	if queueID == "" {
		return nil, nil
	}
	q, err := s.store.FindQueue(ctx, queueID)
	if err != nil {
		return nil, err
	}
	return s.scheduleOf(ctx, q)
}

// scheduleOf is the calendar of a loaded queue's business hours; nil when
// it has none (always open).
func (s *Service) scheduleOf(ctx context.Context, q *Queue) (*businesshours.Schedule, error) {
	if q.BusinessHoursID == "" {
		return nil, nil
	}
	b, err := s.store.FindBusinessHours(ctx, q.BusinessHoursID)
	if err != nil {
		return nil, err
	}
	return b.Schedule()
}
