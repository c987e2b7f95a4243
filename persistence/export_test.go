package persistence

import (
	"context"

	"gorm.io/gorm"
)

// MigrateDownTo rolls the schema back to version, so a test can write the
// data a later migration must fix.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	provider, err := db.migrations()
	if err != nil {
		return err
	}
	_, err = provider.DownTo(ctx, version)
	return err
}

// Unscoped is the store's connection for ctx without the store's own
// scoping (no WHERE workspace_id), so a test can show what row-level
// security alone lets through.
func (s *Store) Unscoped(ctx context.Context) *gorm.DB { return s.conn(ctx) }

// CrossTenant marks ctx as the unscoped store methods do.
func CrossTenant(ctx context.Context) context.Context { return crossTenant(ctx) }
