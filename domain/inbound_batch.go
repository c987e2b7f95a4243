package domain

import "context"

// InDelivery runs fn as the system of workspace workspaceID in one
// transaction, so that a webhook delivery's items cost one commit (one
// fsync on SQLite, one row-level security setting on Postgres) instead of
// one each. ReceiveMessage, ApplyStatus and FollowUserIDUpdate called with
// fn's ctx each run under a savepoint: an item they refuse undoes only its
// own writes, and the others stay in the transaction. Nothing fn wrote is
// stored unless InDelivery returns nil.
func (s *Service) InDelivery(ctx context.Context, workspaceID string, fn func(ctx context.Context) error) error {
	if workspaceID == "" {
		return Errorf(CodeForbidden, "a delivery is recorded in a workspace")
	}
	return s.store.InTx(SystemContext(ctx, workspaceID), fn)
}
