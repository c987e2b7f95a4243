package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/whatsapp"
)

func TestFailureKeepsMetasCodeAndAReadableReason(t *testing.T) {
	code, reason := failure(&whatsapp.GraphError{HTTPStatus: 400, Code: 131026, Message: "(#131026) Message undeliverable"})
	require.Equal(t, "131026", code)
	require.NotEmpty(t, reason)
	code, reason = failure(errors.New("connection reset by peer"))
	require.Equal(t, "", code)
	require.Contains(t, reason, "could not reach WhatsApp")
}

// Each number gets its own budget: a busy number does not slow another.
func TestPacerLimitsEachNumberSeparately(t *testing.T) {
	p := newPacer(10) // 10 per second, bursts of 10
	ctx := context.Background()
	start := time.Now()
	for range 10 {
		require.NoError(t, p.wait(ctx, "a"))
	}
	require.Less(t, time.Since(start), 50*time.Millisecond, "the burst is free")
	require.NoError(t, p.wait(ctx, "b"), "another number is not held back")
	require.Less(t, time.Since(start), 50*time.Millisecond)
	require.NoError(t, p.wait(ctx, "a"))
	require.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond, "past the burst, number a waits its turn")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	require.Error(t, p.wait(cancelled, "a"), "a stopping worker does not wait")
}
