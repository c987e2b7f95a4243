package bench

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The median of three runs takes each figure's middle value, while
// errors and store-check losses add up: one lost message in any run
// shows in the median result.
func TestMediansSumErrorsAndLosses(t *testing.T) {
	run := func(p99 float64, errs int, lost int) []Result {
		return []Result{{Scenario: "ingest", Variant: "batch1", Latency: Latency{P99: p99}, Throughput: p99,
			Errors: map[string]int{"timeout": errs}, Check: &StoreCheck{Lost: lost, OK: lost == 0}}}
	}
	m := medians([][]Result{run(30, 1, 0), run(10, 0, 2), run(20, 4, 0)})
	require.Len(t, m, 1)
	require.Equal(t, "batch1-median", m[0].Variant)
	require.Equal(t, 20.0, m[0].Latency.P99)
	require.Equal(t, 20.0, m[0].Throughput)
	require.Equal(t, map[string]int{"timeout": 5}, m[0].Errors)
	require.Equal(t, 2, m[0].Check.Lost)
	require.False(t, m[0].Check.OK)
}
