// Package businesshours is a business-hours calendar: a weekly plan of
// shifts in an IANA time zone, with holidays, that says whether a moment is
// inside business hours, when the next opening is, and where a timer that
// only runs in business hours ends. It is pure: no clock, no storage.
//
// Shifts are wall-clock times of the schedule's zone, so they follow
// daylight-saving changes: a 09:00 opening is 09:00 local on both sides of
// a transition, and a shift that spans one is as long as the clock says
// (an hour shorter or longer).
package businesshours

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Shift is one opening on a weekday, [Open, Close) in minutes after local
// midnight; Close may be 24*60 (open until midnight).
type Shift struct {
	Day   time.Weekday
	Open  int
	Close int
}

// Date is a calendar day in the schedule's zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Holiday is a day on which the schedule stays closed.
type Holiday struct {
	Date Date
	Name string
}

// Schedule is a validated weekly plan. Build it with New.
type Schedule struct {
	loc      *time.Location
	byDay    [7][]Shift // sorted by Open
	holidays map[Date]bool
}

// Error names the part of a plan that is wrong, in the words of the API's
// fields (timezone, weekly[i], holidays[i]).
type Error struct {
	Field   string
	Message string
}

func (e *Error) Error() string { return e.Field + ": " + e.Message }

// New validates a plan: a known zone, shifts that open before they close
// and do not overlap on the same day, and real holiday dates.
func New(timezone string, weekly []Shift, holidays []Holiday) (*Schedule, error) {
	if timezone == "" {
		return nil, &Error{"timezone", "timezone is required"}
	}
	loc, err := time.LoadLocation(timezone)
	if err != nil {
		return nil, &Error{"timezone", fmt.Sprintf("unknown IANA timezone %q", timezone)}
	}
	s := &Schedule{loc: loc, holidays: map[Date]bool{}}
	for i, sh := range weekly {
		field := fmt.Sprintf("weekly[%d]", i)
		if sh.Day < time.Sunday || sh.Day > time.Saturday {
			return nil, &Error{field, "day must be one of mon, tue, wed, thu, fri, sat, sun"}
		}
		if sh.Open < 0 || sh.Close > 24*60 || sh.Open >= sh.Close {
			return nil, &Error{field, "a shift must open before it closes, within the day (00:00 to 24:00)"}
		}
		s.byDay[sh.Day] = append(s.byDay[sh.Day], sh)
	}
	for day := range s.byDay {
		shifts := s.byDay[day]
		sort.Slice(shifts, func(i, j int) bool { return shifts[i].Open < shifts[j].Open })
		for i := 1; i < len(shifts); i++ {
			if shifts[i].Open < shifts[i-1].Close {
				return nil, &Error{"weekly", fmt.Sprintf("shifts on %s overlap: %s and %s",
					dayNames[day], shifts[i-1], shifts[i])}
			}
		}
	}
	for i, h := range holidays {
		d := time.Date(h.Date.Year, h.Date.Month, h.Date.Day, 12, 0, 0, 0, time.UTC)
		if d.Year() != h.Date.Year || d.Month() != h.Date.Month || d.Day() != h.Date.Day {
			return nil, &Error{fmt.Sprintf("holidays[%d]", i), "not a real date"}
		}
		s.holidays[h.Date] = true
	}
	return s, nil
}

// Location is the schedule's zone.
func (s *Schedule) Location() *time.Location { return s.loc }

// IsOpen reports whether t falls inside a shift.
func (s *Schedule) IsOpen(t time.Time) bool {
	_, ok := s.intervalAt(t)
	return ok
}

// NextOpening returns t when it is inside business hours, else the start of
// the next shift; false when the schedule never opens again within a year
// and a week (no shifts, or holidays all the way).
func (s *Schedule) NextOpening(t time.Time) (time.Time, bool) {
	if _, ok := s.intervalAt(t); ok {
		return t, true
	}
	var next time.Time
	found := false
	s.walk(t, func(open, _ time.Time) bool {
		next, found = open, true
		return false
	})
	return next, found
}

// Add returns the instant at which d of business time has passed since t:
// the clock runs only inside shifts. Add(t, 0) is the next opening. False
// when the schedule never opens enough within a year and a week.
func (s *Schedule) Add(t time.Time, d time.Duration) (time.Time, bool) {
	if d < 0 {
		d = 0
	}
	var due time.Time
	found := false
	s.walk(t, func(open, close time.Time) bool {
		if open.Before(t) {
			open = t
		}
		if span := close.Sub(open); d <= span {
			due, found = open.Add(d), true
			return false
		} else {
			d -= span
		}
		return true
	})
	return due, found
}

// Between is how much business time passes from a to b (0 when b is not
// after a).
func (s *Schedule) Between(a, b time.Time) time.Duration {
	var total time.Duration
	if !b.After(a) {
		return 0
	}
	s.walk(a, func(open, close time.Time) bool {
		if !open.Before(b) {
			return false
		}
		if open.Before(a) {
			open = a
		}
		if close.After(b) {
			close = b
		}
		total += close.Sub(open)
		return true
	})
	return total
}

// horizon bounds every search: a schedule closed for longer than this is
// treated as never opening.
const horizon = 372

// walk calls visit with each shift, as instants, that ends after t, in
// order, until visit returns false or the horizon is reached.
func (s *Schedule) walk(t time.Time, visit func(open, close time.Time) bool) {
	local := t.In(s.loc)
	y, m, d := local.Date()
	// Start a day early: a shift of yesterday's date cannot reach today,
	// but this keeps the loop simple when t sits exactly on midnight.
	for i := -1; i <= horizon; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, s.loc)
		date := Date{day.Year(), day.Month(), day.Day()}
		if s.holidays[date] {
			continue
		}
		for _, sh := range s.byDay[day.Weekday()] {
			open, close := s.at(date, sh.Open), s.at(date, sh.Close)
			if !close.After(t) || !close.After(open) {
				continue // over, or swallowed by a daylight-saving jump
			}
			if !visit(open, close) {
				return
			}
		}
	}
}

// intervalAt finds the shift containing t.
func (s *Schedule) intervalAt(t time.Time) ([2]time.Time, bool) {
	var in [2]time.Time
	ok := false
	s.walk(t, func(open, close time.Time) bool {
		if !open.After(t) && t.Before(close) {
			in, ok = [2]time.Time{open, close}, true
		}
		return false
	})
	return in, ok
}

// at is the instant of a wall-clock minute on a date; 24:00 is the next
// day's midnight. A minute the clock skips (a daylight-saving jump
// forward) is read as the jump itself, the first moment the clock shows a
// later time: a shift inside the gap lasts nothing. A minute the clock
// shows twice (a jump back) is its first occurrence.
func (s *Schedule) at(d Date, minute int) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, minute, 0, 0, s.loc)
	want := time.Date(d.Year, d.Month, d.Day, 0, minute, 0, 0, time.UTC)
	if wall(t) != want {
		_, jump := t.ZoneBounds() // time.Date read the gap with the earlier offset
		return jump
	}
	return t
}

// wall is t's local clock reading as a UTC time, for comparing readings.
func wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseDay reads "mon" … "sun" (any case).
func ParseDay(s string) (time.Weekday, bool) {
	for i, n := range dayNames {
		if strings.EqualFold(s, n) {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// DayName is the API's name of a weekday ("mon" … "sun").
func DayName(d time.Weekday) string { return dayNames[d] }

// ParseClock reads "HH:MM" (24-hour, "24:00" allowed) as minutes after
// midnight.
func ParseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := atoi2(s[:2]), atoi2(s[3:])
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// FormatClock writes minutes after midnight as "HH:MM".
func FormatClock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

func (sh Shift) String() string {
	return FormatClock(sh.Open) + "-" + FormatClock(sh.Close)
}

func atoi2(s string) int {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return -1
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}
