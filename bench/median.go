package bench

import (
	"slices"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

// medians combines repeated runs: for each result position, the median
// of every figure across runs, labelled "median". Errors add up.
func medians(runs [][]Result) []Result {
	if len(runs) == 0 {
		return nil
	}
	var out []Result
	for i := range runs[0] {
		var set []Result
		for _, run := range runs {
			if i < len(run) {
				set = append(set, run[i])
			}
		}
		m := set[0]
		m.Variant += "-median"
		med := func(get func(Result) float64) float64 {
			v := make([]float64, len(set))
			for j, r := range set {
				v[j] = get(r)
			}
			slices.Sort(v)
			return v[len(v)/2]
		}
		m.Throughput = med(func(r Result) float64 { return r.Throughput })
		m.ItemsThroughput = med(func(r Result) float64 { return r.ItemsThroughput })
		m.Latency = Latency{P50: med(func(r Result) float64 { return r.Latency.P50 }),
			P95: med(func(r Result) float64 { return r.Latency.P95 }),
			P99: med(func(r Result) float64 { return r.Latency.P99 }),
			Max: med(func(r Result) float64 { return r.Latency.Max })}
		m.GeneratorLag.P99 = med(func(r Result) float64 { return r.GeneratorLag.P99 })
		m.GeneratorLag.Max = med(func(r Result) float64 { return r.GeneratorLag.Max })
		m.Errors = map[string]int{}
		for _, r := range set {
			for k, n := range r.Errors {
				m.Errors[k] += n
			}
		}
		if m.Server != nil {
			s := *m.Server
			s.CPUSeconds = med(func(r Result) float64 { return serverOr(r).CPUSeconds })
			s.PeakRSSMB = med(func(r Result) float64 { return serverOr(r).PeakRSSMB })
			m.Server = &s
		}
		if m.Raw != nil {
			raw := *m.Raw
			raw.TPS = med(func(r Result) float64 { return rawOr(r).TPS })
			raw.Ratio = med(func(r Result) float64 { return rawOr(r).Ratio })
			m.Raw = &raw
		}
		if m.Statement != nil {
			st := *m.Statement
			st.PerRequest = med(func(r Result) float64 { return stmtOr(r).PerRequest })
			m.Statement = &st
		}
		if m.Check != nil {
			// Losses and doubles add up across runs; one is one too many.
			c := *m.Check
			c.Lost, c.Doubled = 0, 0
			for _, r := range set {
				c.OK = c.OK && r.Check != nil && r.Check.OK
				if r.Check != nil {
					c.Lost += r.Check.Lost
					c.Doubled += r.Check.Doubled
				}
			}
			m.Check = &c
		}
		out = append(out, m)
	}
	return out
}

func serverOr(r Result) ServerUsage {
	if r.Server == nil {
		return ServerUsage{}
	}
	return *r.Server
}

func rawOr(r Result) RawLimit {
	if r.Raw == nil {
		return RawLimit{}
	}
	return *r.Raw
}

func stmtOr(r Result) StatementsPerCall {
	if r.Statement == nil {
		return StatementsPerCall{}
	}
	return *r.Statement
}
