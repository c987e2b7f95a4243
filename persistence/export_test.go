package persistence

import "context"

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
