package domain

import "context"

// eventPruneBatch bounds one delete: retention never holds a long lock on
// the events table or a long transaction open (which would also hold back
// the feed on Postgres: see ListEventsAfter).
const eventPruneBatch = 1000

// PruneExpiredEvents deletes, in every workspace, the events older than
// the workspace's event_retention_days, in batches of eventPruneBatch,
// and says how many. Like the other prunes it spans workspaces and takes
// no principal: only the housekeeping job calls it.
func (s *Service) PruneExpiredEvents(ctx context.Context) (int64, error) {
	var total int64
	for {
		n, err := s.store.PruneExpiredEvents(ctx, s.now(), eventPruneBatch)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}
