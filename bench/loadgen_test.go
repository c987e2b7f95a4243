package bench

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// An open loop never waits for answers: requests beyond MaxInFlight are
// counted as generator_saturated instead of being sent late, and latency
// counts from the scheduled start.
func TestOpenLoopCountsSaturationAndMeasuresFromSchedule(t *testing.T) {
	release := make(chan struct{})
	load := Load{Rate: 1000, Count: 10, MaxInFlight: 2, Timeout: 10 * time.Second,
		Do: func(ctx context.Context, i int) Outcome {
			<-release
			return Outcome{Status: 200, Items: 1}
		}}
	go func() { time.Sleep(300 * time.Millisecond); close(release) }()
	samples, _ := load.Run(context.Background())
	require.Len(t, samples, 10)
	var r Result
	summarize(&r, samples, time.Second, nil)
	require.Equal(t, 2, r.OK)
	require.Equal(t, map[string]int{"generator_saturated": 8}, r.Errors)
	for _, s := range samples[:2] {
		require.GreaterOrEqual(t, s.Latency, 300*time.Millisecond-2*time.Millisecond)
	}
}

func TestPercentilesAreNearestRank(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	require.Equal(t, 50.0, pct(lat, 0.50))
	require.Equal(t, 99.0, pct(lat, 0.99))
	require.Equal(t, 100.0, pct(lat, 1))
	require.Equal(t, 0.0, pct(nil, 0.99))
}

func TestOnlyLoopbackTargets(t *testing.T) {
	for url, ok := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:8080": true, "http://[::1]:8080": true, "http://127.9.9.9:1": true,
		"http://10.0.0.1:8080": false, "http://example.com": false, "https://127.0.0.1:8080": false, "127.0.0.1:8080": false,
	} {
		require.Equal(t, ok, checkLoopback(url) == nil, url)
	}
}
