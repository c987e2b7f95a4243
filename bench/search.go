package bench

import (
	"context"
	"time"
)

// passes says whether an ingest run held the target: ack p99 <= 100 ms,
// no error, nothing lost or doubled.
func passes(r Result) bool {
	return r.ErrorCount() == 0 && r.Latency.P99 <= 100 && (r.Check == nil || r.Check.OK)
}

// search finds the highest ingest rate that passes, with short runs on
// one server: doubling from --rate until a run fails, then bisecting
// between the last pass and the first failure to within 10 %. It returns
// every run and, last, the best passing one as variant "search-best".
func (o Options) search(ctx context.Context, t *Target) ([]Result, error) {
	in := o.Ingest
	in.Duration, in.Timeout = min(o.Duration, 10*time.Second), 5*time.Second
	var runs []Result
	var best *Result
	try := func(rate float64) (bool, error) {
		in.Rate = rate
		r, err := RunIngest(ctx, t, in)
		r.Variant += "-search"
		runs = append(runs, r)
		if err != nil {
			return false, err
		}
		if passes(r) {
			best = &runs[len(runs)-1]
		}
		// Let a backlog drain before the next rate.
		time.Sleep(2 * time.Second)
		return passes(r), nil
	}
	lo, hi := 0.0, 0.0
	for rate := o.Rate; rate <= 16000; rate *= 2 {
		ok, err := try(rate)
		if err != nil {
			return runs, err
		}
		if !ok {
			hi = rate
			break
		}
		lo = rate
	}
	for hi > 0 && hi-lo > 0.1*hi && len(runs) < 12 {
		mid := (lo + hi) / 2
		ok, err := try(mid)
		if err != nil {
			return runs, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	if best != nil {
		b := *best
		b.Variant = "batch" + itoa(in.Batch) + "-search-best"
		runs = append(runs, b)
	}
	return runs, nil
}
