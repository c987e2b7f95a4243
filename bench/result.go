package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// Result is one run, printed as one JSON line.
type Result struct {
	Scenario string `json:"scenario"`
	// Variant names what was measured within the scenario (a batch size,
	// an inbox query, an API).
	Variant  string  `json:"variant,omitempty"`
	Database string  `json:"database"`
	Rate     float64 `json:"target_rate"` // requests per second scheduled
	Requests int     `json:"requests"`
	// Throughput is answered-OK requests (and items) per second over the
	// run's wall time.
	Throughput      float64 `json:"throughput_rps"`
	ItemsThroughput float64 `json:"items_per_s"`
	DurationSeconds float64 `json:"duration_s"`
	Latency         Latency `json:"latency_ms"`
	// GeneratorLag is how late requests left against their schedule (the
	// load tool's own delay, included in Latency): large values mean the
	// machine could not drive the rate, not only that the server was slow.
	GeneratorLag Latency `json:"generator_lag_ms"`
	// OK counts requests answered with a success status; Errors counts the
	// rest by kind: "status_503", "timeout", "connection", ...
	OK     int            `json:"ok"`
	Errors map[string]int `json:"errors"`
	Server *ServerUsage   `json:"server,omitempty"`
	// Scenario-specific checks and figures.
	Check     *StoreCheck        `json:"check,omitempty"`
	Raw       *RawLimit          `json:"raw_limit,omitempty"`
	Statement *StatementsPerCall `json:"sql_statements,omitempty"`
	Fanout    *FanoutFigures     `json:"fanout,omitempty"`
}

// Latency percentiles in milliseconds, from the scheduled start.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// StatementsPerCall is the server's SQL statement count per request.
type StatementsPerCall struct {
	PerRequest float64 `json:"per_request"`
	Source     string  `json:"source"`
}

// summarize fills the latency, counts and throughput from samples.
func summarize(r *Result, samples []Sample, wall time.Duration, ok func(int) bool) {
	if ok == nil {
		ok = func(s int) bool { return s >= 200 && s < 300 }
	}
	r.Requests = len(samples)
	r.Errors = map[string]int{}
	lat := make([]time.Duration, 0, len(samples))
	var lags []time.Duration
	items := 0
	for _, s := range samples {
		switch {
		case s.Outcome.Err != "":
			r.Errors[s.Outcome.Err]++
		case ok(s.Outcome.Status):
			r.OK++
			items += s.Outcome.Items
		default:
			r.Errors[fmt.Sprintf("status_%d", s.Outcome.Status)]++
		}
		if s.Outcome.Err != "generator_saturated" {
			lat = append(lat, s.Latency)
			lags = append(lags, s.Lag)
		}
	}
	slices.Sort(lat)
	slices.Sort(lags)
	r.GeneratorLag = Latency{P50: pct(lags, 0.50), P95: pct(lags, 0.95), P99: pct(lags, 0.99), Max: pct(lags, 1)}
	r.Latency = Latency{P50: pct(lat, 0.50), P95: pct(lat, 0.95), P99: pct(lat, 0.99), Max: pct(lat, 1)}
	r.DurationSeconds = round(wall.Seconds(), 2)
	if wall > 0 {
		r.Throughput = round(float64(r.OK)/wall.Seconds(), 1)
		r.ItemsThroughput = round(float64(items)/wall.Seconds(), 1)
	}
}

// pct is the nearest-rank percentile of sorted latencies, in ms.
func pct(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	i = max(0, min(i, len(sorted)-1))
	return round(float64(sorted[i].Microseconds())/1000, 2)
}

func round(v float64, places int) float64 {
	f := math.Pow(10, float64(places))
	return math.Round(v*f) / f
}

// ErrorCount is every failed request.
func (r Result) ErrorCount() int {
	n := 0
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// Print writes the JSON line to out and the human summary to human.
func (r Result) Print(out, human io.Writer) error {
	if err := json.NewEncoder(out).Encode(r); err != nil {
		return err
	}
	_, err := fmt.Fprintln(human, r.Summary())
	return err
}

// Summary is the one-line human reading of the result.
func (r Result) Summary() string {
	name := r.Scenario
	if r.Variant != "" {
		name += "/" + r.Variant
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s: %.0f/s target, %.1f/s ok (%.1f items/s), p50 %.1f ms p99 %.1f ms max %.1f ms, %d errors",
		name, r.Database, r.Rate, r.Throughput, r.ItemsThroughput, r.Latency.P50, r.Latency.P99, r.Latency.Max, r.ErrorCount())
	if r.GeneratorLag.P99 >= 5 {
		fmt.Fprintf(&b, " (the tool itself ran up to %.0f ms late at p99)", r.GeneratorLag.P99)
	}
	if r.Server != nil {
		fmt.Fprintf(&b, ", server %.1f CPU s, peak RSS %.0f MB", r.Server.CPUSeconds, r.Server.PeakRSSMB)
	}
	if r.Check != nil {
		fmt.Fprintf(&b, ", stored %d of %d unique (lost %d, doubled %d)", r.Check.Stored, r.Check.UniqueSent, r.Check.Lost, r.Check.Doubled)
	}
	if r.Raw != nil && r.Raw.TPS > 0 {
		fmt.Fprintf(&b, ", raw limit %.0f tps (ratio %.2f)", r.Raw.TPS, r.Raw.Ratio)
	}
	if f := r.Fanout; f != nil {
		fmt.Fprintf(&b, ", delivered %d of %d to %d subscribers (%d dropped), idle RSS %.0f MB (%.0f KiB per subscriber)",
			f.Delivered, f.Expected, f.Subscribers, f.Dropped, f.IdleRSSMB, f.RSSPerSubscriberKiB)
	}
	if r.Statement != nil {
		fmt.Fprintf(&b, ", %.1f SQL statements/request", r.Statement.PerRequest)
	}
	return b.String()
}
