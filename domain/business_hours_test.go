package domain

import "testing"

func TestBusinessHoursNameTheFieldTheyRefuse(t *testing.T) {
	good := func() BusinessHours {
		return BusinessHours{Name: "Lima", Timezone: "America/Lima",
			Weekly:   []Shift{{Day: "mon", Open: "09:00", Close: "13:00"}, {Day: "mon", Open: "14:00", Close: "18:00"}},
			Holidays: []Holiday{{Date: "2026-12-25", Name: "Navidad"}}}
	}
	g := good()
	if err := g.validate(); err != nil {
		t.Fatalf("a good plan is refused: %v", err)
	}
	for _, tc := range []struct {
		field string
		spoil func(b *BusinessHours)
	}{
		{"name", func(b *BusinessHours) { b.Name = " " }},
		{"timezone", func(b *BusinessHours) { b.Timezone = "Mars/Olympus" }},
		{"weekly[0].day", func(b *BusinessHours) { b.Weekly[0].Day = "lunes" }},
		{"weekly[1].open", func(b *BusinessHours) { b.Weekly[1].Open = "2pm" }},
		{"weekly[1].close", func(b *BusinessHours) { b.Weekly[1].Close = "25:00" }},
		{"weekly[0]", func(b *BusinessHours) { b.Weekly[0].Close = "08:00" }},
		{"weekly", func(b *BusinessHours) { b.Weekly[1].Open = "12:00" }}, // overlaps
		{"holidays[0].date", func(b *BusinessHours) { b.Holidays[0].Date = "2026-02-30" }},
	} {
		b := good()
		tc.spoil(&b)
		if got := mustField(t, b.validate()); got != tc.field {
			t.Errorf("%s: refused on %q", tc.field, got)
		}
	}
}
