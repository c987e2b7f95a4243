package domain

import (
	"context"
	"time"
)

// ParkedStatusTTL is how long a receipt waits for its message. Ours get
// their wamid within minutes of the send, even after a lost answer, so a
// receipt parked this long belongs to a message another tool sent from the
// number and would otherwise be kept forever.
const ParkedStatusTTL = 7 * 24 * time.Hour

// PruneParkedStatuses deletes, in every workspace, the receipts parked
// longer than ParkedStatusTTL, and says how many. It spans workspaces, so
// it takes no principal: only the periodic housekeeping job calls it, and
// no API reaches it.
func (s *Service) PruneParkedStatuses(ctx context.Context) (int64, error) {
	return s.store.PruneParkedStatuses(ctx, s.now().Add(-ParkedStatusTTL))
}
