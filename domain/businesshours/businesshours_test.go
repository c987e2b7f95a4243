package businesshours

import (
	"testing"
	"time"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func clock(s string) int {
	m, ok := ParseClock(s)
	if !ok {
		panic(s)
	}
	return m
}

// weekdays is Monday to Friday with the given shifts ("09:00-13:00").
func weekdays(shifts ...string) []Shift {
	var out []Shift
	for d := time.Monday; d <= time.Friday; d++ {
		for _, sh := range shifts {
			out = append(out, Shift{Day: d, Open: clock(sh[:5]), Close: clock(sh[6:])})
		}
	}
	return out
}

func mustNew(t *testing.T, tz string, weekly []Shift, holidays ...Holiday) *Schedule {
	t.Helper()
	s, err := New(tz, weekly, holidays)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewRefusesBadPlans(t *testing.T) {
	mon := time.Monday
	for _, tc := range []struct {
		name     string
		tz       string
		weekly   []Shift
		holidays []Holiday
		field    string
	}{
		{"no zone", "", nil, nil, "timezone"},
		{"unknown zone", "America/Atlantis", nil, nil, "timezone"},
		{"closes before it opens", "America/Lima", []Shift{{mon, clock("18:00"), clock("09:00")}}, nil, "weekly[0]"},
		{"empty shift", "America/Lima", []Shift{{mon, clock("09:00"), clock("09:00")}}, nil, "weekly[0]"},
		{"past midnight", "America/Lima", []Shift{{mon, clock("09:00"), 24*60 + 1}}, nil, "weekly[0]"},
		{"no such day", "America/Lima", []Shift{{time.Weekday(7), 0, 60}}, nil, "weekly[0]"},
		{"overlapping shifts", "America/Lima", []Shift{{mon, clock("09:00"), clock("13:00")},
			{mon, clock("12:00"), clock("18:00")}}, nil, "weekly"},
		{"no 30 February", "America/Lima", nil, []Holiday{{Date{2026, time.February, 30}, "x"}}, "holidays[0]"},
	} {
		_, err := New(tc.tz, tc.weekly, tc.holidays)
		e, ok := err.(*Error)
		if !ok || e.Field != tc.field {
			t.Errorf("%s: got %v, want an error on %s", tc.name, err, tc.field)
		}
	}
	// Back-to-back shifts and one until midnight are fine.
	if _, err := New("America/Lima", []Shift{{mon, clock("09:00"), clock("13:00")}, {mon, clock("13:00"), clock("24:00")}}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestParseClockAndDay(t *testing.T) {
	for in, want := range map[string]int{"00:00": 0, "09:30": 570, "23:59": 1439, "24:00": 1440} {
		if got, ok := ParseClock(in); !ok || got != want {
			t.Errorf("ParseClock(%q) = %d, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "9:00", "09:60", "24:01", "25:00", "ab:cd", "09-00", "09:000"} {
		if _, ok := ParseClock(bad); ok {
			t.Errorf("ParseClock(%q) accepted", bad)
		}
	}
	if d, ok := ParseDay("Wed"); !ok || d != time.Wednesday || DayName(d) != "wed" {
		t.Errorf("ParseDay(Wed) = %v, %v", d, ok)
	}
	if _, ok := ParseDay("funday"); ok {
		t.Error("ParseDay(funday) accepted")
	}
}

// Lima has no daylight saving: split shifts, a weekend and a holiday.
func TestSplitShiftsAndHolidaysInLima(t *testing.T) {
	lima := mustLoad(t, "America/Lima")
	at := func(day, hhmm string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, lima)
		return d
	}
	// Monday 2026-06-29 is San Pedro y San Pablo, a Peruvian holiday.
	s := mustNew(t, "America/Lima", weekdays("09:00-13:00", "14:00-18:00"),
		Holiday{Date{2026, time.June, 29}, "San Pedro y San Pablo"})

	for _, tc := range []struct {
		at   time.Time
		open bool
		next time.Time
	}{
		{at("2026-06-24", "08:59"), false, at("2026-06-24", "09:00")},
		{at("2026-06-24", "09:00"), true, at("2026-06-24", "09:00")},
		{at("2026-06-24", "12:59"), true, at("2026-06-24", "12:59")},
		{at("2026-06-24", "13:00"), false, at("2026-06-24", "14:00")}, // lunch
		{at("2026-06-24", "17:59"), true, at("2026-06-24", "17:59")},
		{at("2026-06-26", "18:00"), false, at("2026-06-30", "09:00")}, // Friday evening, past the weekend and the holiday
		{at("2026-06-27", "11:00"), false, at("2026-06-30", "09:00")}, // Saturday
		{at("2026-06-29", "10:00"), false, at("2026-06-30", "09:00")}, // the holiday itself
	} {
		if got := s.IsOpen(tc.at); got != tc.open {
			t.Errorf("IsOpen(%v) = %v", tc.at, got)
		}
		if got, ok := s.NextOpening(tc.at); !ok || !got.Equal(tc.next) {
			t.Errorf("NextOpening(%v) = %v, %v; want %v", tc.at, got, ok, tc.next)
		}
	}

	for _, tc := range []struct {
		from time.Time
		d    time.Duration
		due  time.Time
	}{
		{at("2026-06-24", "10:00"), 2 * time.Hour, at("2026-06-24", "12:00")},
		{at("2026-06-24", "12:30"), time.Hour, at("2026-06-24", "14:30")},     // pauses over lunch
		{at("2026-06-24", "08:00"), 0, at("2026-06-24", "09:00")},             // nothing to wait: the opening
		{at("2026-06-26", "17:00"), 2 * time.Hour, at("2026-06-30", "10:00")}, // over the weekend and the holiday
		{at("2026-06-24", "17:00"), time.Hour, at("2026-06-24", "18:00")},     // ends as the shift closes
		{at("2026-06-24", "17:00"), 9 * time.Hour, at("2026-06-25", "18:00")}, // Wednesday's last hour and all Thursday
	} {
		if got, ok := s.Add(tc.from, tc.d); !ok || !got.Equal(tc.due) {
			t.Errorf("Add(%v, %v) = %v, %v; want %v", tc.from, tc.d, got, ok, tc.due)
		}
		if got := s.Between(tc.from, tc.due); got != tc.d {
			t.Errorf("Between(%v, %v) = %v, want %v", tc.from, tc.due, got, tc.d)
		}
	}
	if got := s.Between(at("2026-06-24", "12:00"), at("2026-06-24", "11:00")); got != 0 {
		t.Errorf("Between backwards = %v", got)
	}
}

// Mexico City left daylight saving on 30 October 2022 and never went back:
// a timer across that night keeps counting wall-clock business hours, and
// April 2023 has no spring change.
func TestMexicoCityDaylightSavingHistory(t *testing.T) {
	cdmx := mustLoad(t, "America/Mexico_City")
	s := mustNew(t, "America/Mexico_City", weekdays("09:00-18:00"))
	friday := time.Date(2022, time.October, 28, 17, 0, 0, 0, cdmx) // 22:00 UTC, CDT
	due, ok := s.Add(friday, 2*time.Hour)
	want := time.Date(2022, time.October, 31, 10, 0, 0, 0, cdmx)
	if !ok || !due.Equal(want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	if due.UTC().Hour() != 16 {
		t.Errorf("Monday 10:00 is CST (UTC-6), got %v", due.UTC())
	}
	// 2023: no change on the first Sunday of April.
	mon := time.Date(2023, time.April, 3, 9, 0, 0, 0, cdmx)
	if next, _ := s.NextOpening(time.Date(2023, time.April, 1, 12, 0, 0, 0, time.UTC)); !next.Equal(mon) || next.UTC().Hour() != 15 {
		t.Errorf("next opening %v (%v UTC), want 09:00 CST", next, next.UTC())
	}
}

// Santiago changes its clocks at midnight: in April 2023 Saturday's 23:00
// to 24:00 happened twice, in September 2023 Sunday's 00:00 to 01:00 never
// happened. Shifts follow the wall clock, so they stretch and shrink.
func TestSantiagoDaylightSavingHistory(t *testing.T) {
	scl := mustLoad(t, "America/Santiago")
	weekend := []Shift{{time.Saturday, clock("22:00"), clock("24:00")}, {time.Sunday, clock("00:00"), clock("02:00")}}
	s := mustNew(t, "America/Santiago", weekend)

	// Back: Saturday 1 April 22:00-24:00 lasts three real hours, Sunday's
	// 00:00-02:00 two.
	sat := time.Date(2023, time.April, 1, 21, 0, 0, 0, scl)
	if got := s.Between(sat, sat.Add(6*time.Hour)); got != 5*time.Hour {
		t.Errorf("April weekend: %v of business time, want 5h", got)
	}
	// Forward: Sunday 3 September 00:00-01:00 does not exist; the shift
	// opens when the clock jumps to 01:00 and lasts one hour.
	sat = time.Date(2023, time.September, 2, 21, 0, 0, 0, scl)
	open, _ := s.NextOpening(sat.Add(2 * time.Hour)) // Saturday 23:00, in the Saturday shift
	if !open.Equal(sat.Add(2 * time.Hour)) {
		t.Errorf("Saturday 23:00 is open, got next opening %v", open)
	}
	sunday, _ := s.NextOpening(time.Date(2023, time.September, 3, 4, 0, 0, 0, time.UTC)) // the jump itself
	if want := time.Date(2023, time.September, 3, 1, 0, 0, 0, scl); !sunday.Equal(want) {
		t.Errorf("Sunday opening %v, want %v", sunday, want)
	}
	if got := s.Between(sat, sat.Add(6*time.Hour)); got != 3*time.Hour {
		t.Errorf("September weekend: %v of business time, want 3h (Saturday's 2h up to the jump, Sunday's 1h)", got)
	}
}

func TestNeverOpen(t *testing.T) {
	s := mustNew(t, "America/Lima", nil)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if s.IsOpen(now) {
		t.Error("open without shifts")
	}
	if _, ok := s.NextOpening(now); ok {
		t.Error("an opening without shifts")
	}
	if _, ok := s.Add(now, time.Minute); ok {
		t.Error("a due time without shifts")
	}
}
