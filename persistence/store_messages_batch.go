package persistence

import (
	"context"

	"github.com/centralita/centralita/domain"
)

// FindMessagesByIDs returns the workspace's messages among ids, in no
// particular order; unknown and foreign ids are left out.
func (s *Store) FindMessagesByIDs(ctx context.Context, ids []string) ([]*domain.Message, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []messageRow
	if err := db.Where("workspace_id = ? AND id IN ?", ws, ids).Find(&rows).Error; err != nil {
		return nil, writeError(err, "message")
	}
	out := make([]*domain.Message, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}
