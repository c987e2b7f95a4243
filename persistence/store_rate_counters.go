package persistence

import (
	"context"
	"strings"
	"time"

	"github.com/centralita/centralita/domain"
)

// AddToRateCounters adds every hit to its counter in one upsert and reads
// the counts back from it: one round trip, atomic per row, so replicas on
// one database share the counts. It joins no transaction on purpose: a
// request's count stands whatever the request then does.
func (s *Store) AddToRateCounters(ctx context.Context, window time.Time, hits []domain.RateHit) (map[string]int64, error) {
	if len(hits) == 0 {
		return map[string]int64{}, nil
	}
	var sql strings.Builder
	sql.WriteString("INSERT INTO rate_counters (window_start, subject, count) VALUES ")
	args := make([]any, 0, 3*len(hits))
	for i, h := range hits {
		if i > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString("(?, ?, ?)")
		args = append(args, window.Unix(), h.Subject, h.Amount)
	}
	sql.WriteString(" ON CONFLICT (window_start, subject) DO UPDATE SET count = rate_counters.count + excluded.count" +
		" RETURNING subject, count")
	var rows []struct {
		Subject string
		Count   int64
	}
	if err := s.db.WithContext(outsideTenancy(ctx)).Raw(sql.String(), args...).Scan(&rows).Error; err != nil {
		return nil, writeError(err, "rate counter")
	}
	counts := make(map[string]int64, len(rows))
	for _, r := range rows {
		counts[r.Subject] = r.Count
	}
	return counts, nil
}

// PruneRateCounters deletes the counters of windows that started before
// cutoff.
func (s *Store) PruneRateCounters(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(outsideTenancy(ctx)).Exec("DELETE FROM rate_counters WHERE window_start < ?", cutoff.Unix())
	return res.RowsAffected, writeError(res.Error, "rate counter")
}
