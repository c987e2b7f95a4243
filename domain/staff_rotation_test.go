package domain

import (
	"testing"
	"time"
)

func TestOfflineGraceDecision(t *testing.T) {
	since := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	grace := 15 * time.Minute
	due := since.Add(grace)
	for _, tc := range []struct {
		name       string
		now        time.Time
		wantReturn bool
		wantAgain  *time.Time
	}{
		{"the grace has just ended", due, true, nil},
		{"long after", due.Add(time.Hour), true, nil},
		{"a moment early: look again when it ends", due.Add(-time.Second), false, &due},
		{"a timer of an earlier period, or the grace grew", since.Add(time.Minute), false, &due},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gotReturn, gotAgain := offlineGraceDecision(tc.now, since, grace)
			if gotReturn != tc.wantReturn || (gotAgain == nil) != (tc.wantAgain == nil) ||
				(gotAgain != nil && !gotAgain.Equal(*tc.wantAgain)) {
				t.Fatalf("offlineGraceDecision = %v, %v; want %v, %v", gotReturn, gotAgain, tc.wantReturn, tc.wantAgain)
			}
		})
	}
}
