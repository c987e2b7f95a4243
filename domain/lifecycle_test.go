package domain

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLifecycleSettingsTakeHoursToTheSecond(t *testing.T) {
	for _, tc := range []struct {
		hours float64
		want  time.Duration
		bad   bool
	}{
		{0, 0, false},
		{72, 72 * time.Hour, false},
		{0.5, 30 * time.Minute, false},
		{0.0003, time.Second, false},
		{8784, 8784 * time.Hour, false},
		{0.0001, 0, true}, // rounds to nothing but is not 0
		{-1, 0, true},
		{8785, 0, true},
		{math.NaN(), 0, true},
	} {
		l := DefaultLifecycle()
		err := LifecycleUpdate{AutoClosePendingHours: &tc.hours}.apply(&l)
		if tc.bad {
			require.Equal(t, "auto_close_pending_hours", mustField(t, err), "%v", tc.hours)
			continue
		}
		require.NoError(t, err, "%v", tc.hours)
		require.Equal(t, tc.want, l.AutoClosePending, "%v", tc.hours)
		require.Equal(t, DefaultReopenWindow, l.ReopenWindow, "untouched")
	}
	bad := -0.5
	require.Equal(t, "reopen_window_hours", mustField(t, LifecycleUpdate{ReopenWindowHours: &bad}.apply(&LifecycleSettings{})))
}

func TestReopenWindow(t *testing.T) {
	closed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		window, after time.Duration
		reopens       bool
	}{
		{72 * time.Hour, time.Minute, true},
		{72 * time.Hour, 72 * time.Hour, true},
		{72 * time.Hour, 72*time.Hour + time.Second, false},
		{0, 0, false}, // 0: every message after a close starts anew
	} {
		l := LifecycleSettings{ReopenWindow: tc.window}
		require.Equal(t, tc.reopens, l.mayReopen(closed, closed.Add(tc.after)), "%v after, window %v", tc.after, tc.window)
	}
}

func TestPendingSinceFollowsTheStatus(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := &Service{now: func() time.Time { return now }}
	earlier := now.Add(-time.Hour)
	for _, tc := range []struct {
		from, to ConversationStatus
		since    *time.Time
		want     *time.Time
	}{
		{StatusOpen, StatusPendingCustomer, nil, &now},
		{StatusPendingCustomer, StatusPendingCustomer, &earlier, &earlier}, // still waiting since then
		{StatusPendingCustomer, StatusOpen, &earlier, nil},
		{StatusPendingCustomer, StatusClosed, &earlier, nil},
		{StatusNew, StatusOpen, nil, nil},
	} {
		c := &Conversation{Status: tc.to, PendingSince: tc.since}
		s.trackPending(c, tc.from)
		require.Equal(t, tc.want, c.PendingSince, "%s -> %s", tc.from, tc.to)
	}
}
