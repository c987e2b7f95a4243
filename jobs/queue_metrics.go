package jobs

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// queueCollector reads River's job table at scrape time: how many jobs of
// each kind wait, run or were given up. Read from the table, the figures
// survive restarts and are the same on every replica (they are the
// cluster's, not the process's: aggregate them with max, not sum).
type queueCollector struct {
	db      *sql.DB
	desc    *prometheus.Desc
	timeout time.Duration
}

// queueStates are the states reported. Completed jobs are left out: River
// keeps them a day, so counting them would grow with traffic, not trouble.
var queueStates = []string{"available", "scheduled", "running", "retryable", "discarded", "cancelled"}

// queueScrapeTimeout bounds the query, so a slow database cannot hold a
// scrape (or pile scrapes up on its pool).
const queueScrapeTimeout = 2 * time.Second

// The states are constants, not parameters: the same text on both dialects.
const queueQuery = `SELECT kind, state, count(*) FROM river_job
WHERE state IN ('available', 'scheduled', 'running', 'retryable', 'discarded', 'cancelled')
GROUP BY kind, state`

func newQueueCollector(db *sql.DB) *queueCollector {
	return &queueCollector{db: db, timeout: queueScrapeTimeout, desc: prometheus.NewDesc("centralita_jobs",
		"Background jobs in the job table by kind and state (available, scheduled, running, retryable, discarded, cancelled).",
		[]string{"kind", "state"}, nil)}
}

// Describe implements prometheus.Collector.
func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- q.desc }

// Collect implements prometheus.Collector. Every known kind reports every
// state, zeros included; a failed query reports an error for this metric
// only (the scrape still serves the others).
func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), q.timeout)
	defer cancel()
	counts, err := q.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(q.desc, err)
		return
	}
	kinds := slices.Clone(jobKinds)
	for k := range counts {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k) // a kind this version no longer runs
		}
	}
	for _, k := range kinds {
		for _, s := range queueStates {
			ch <- prometheus.MustNewConstMetric(q.desc, prometheus.GaugeValue, counts[k][s], k, s)
		}
	}
}

func (q *queueCollector) count(ctx context.Context) (map[string]map[string]float64, error) {
	rows, err := q.db.QueryContext(ctx, queueQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]map[string]float64{}
	for rows.Next() {
		var kind, state string
		var n int64
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return nil, err
		}
		if counts[kind] == nil {
			counts[kind] = map[string]float64{}
		}
		counts[kind][state] = float64(n)
	}
	return counts, rows.Err()
}
