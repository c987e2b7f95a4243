package persistence

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateQueue inserts a queue; its name is unique per workspace, ignoring case.
func (s *Store) CreateQueue(ctx context.Context, q *domain.Queue) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&q.WorkspaceID, ws); err != nil {
		return err
	}
	row := queueFromDomain(q)
	return writeError(db.Create(&row).Error, "queue")
}

// FindQueue returns a queue with its MemberIDs.
func (s *Store) FindQueue(ctx context.Context, id string) (*domain.Queue, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row queueRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "queue")
	}
	queues := []*domain.Queue{row.toDomain()}
	return queues[0], s.loadQueueMembers(ctx, ws, queues)
}

// FindQueues lists every queue of the workspace by name.
func (s *Store) FindQueues(ctx context.Context) ([]*domain.Queue, error) {
	return s.findQueues(ctx, nil)
}

// FindQueuesByIDs loads queues for batching; missing ids are skipped.
func (s *Store) FindQueuesByIDs(ctx context.Context, ids []string) ([]*domain.Queue, error) {
	if ids == nil {
		ids = []string{}
	}
	return s.findQueues(ctx, ids)
}

// findQueues lists the workspace's queues, only those in ids when ids is
// not nil: one query for the queues and one for their members.
func (s *Store) findQueues(ctx context.Context, ids []string) ([]*domain.Queue, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if ids != nil && len(ids) == 0 {
		return []*domain.Queue{}, nil
	}
	q := db.Where("workspace_id = ?", ws)
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	var rows []queueRow
	if err := q.Order("name, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "queue")
	}
	queues := make([]*domain.Queue, len(rows))
	for i := range rows {
		queues[i] = rows[i].toDomain()
	}
	return queues, s.loadQueueMembers(ctx, ws, queues)
}

// loadQueueMembers fills MemberIDs of queues with one query.
func (s *Store) loadQueueMembers(ctx context.Context, ws string, queues []*domain.Queue) error {
	if len(queues) == 0 {
		return nil
	}
	byID := make(map[string]*domain.Queue, len(queues))
	ids := make([]string, len(queues))
	for i, q := range queues {
		byID[q.ID], ids[i] = q, q.ID
	}
	var links []queueMemberRow
	err := s.conn(ctx).Where("workspace_id = ? AND queue_id IN ?", ws, ids).Order("user_id").Find(&links).Error
	if err != nil {
		return writeError(err, "queue membership")
	}
	for _, l := range links {
		byID[l.QueueID].MemberIDs = append(byID[l.QueueID].MemberIDs, l.UserID)
	}
	return nil
}

// UpdateQueue writes a queue's name and description.
func (s *Store) UpdateQueue(ctx context.Context, q *domain.Queue) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := queueFromDomain(q)
	res := db.Table("queues").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"name": row.Name, "description": row.Description, "business_hours_id": row.BusinessHoursID,
		"updated_at": row.UpdatedAt, "assignment_mode": row.AssignmentMode, "sla_policy_id": row.SLAPolicyID,
	})
	return updated(res, "queue")
}

// DeleteQueue removes a queue and its memberships. It refuses while a
// conversation references the queue: conversations keep their routing.
func (s *Store) DeleteQueue(ctx context.Context, id string) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		var used int64
		err := db.Table("conversations").Where("workspace_id = ? AND queue_id = ?", ws, id).Count(&used).Error
		if err != nil {
			return writeError(err, "queue")
		}
		if used > 0 {
			return domain.Errorf(domain.CodeConflict, "the queue still has conversations; transfer them first")
		}
		if err := queueNotADefault(db, ws, id); err != nil {
			return err
		}
		if err := db.Where("workspace_id = ? AND queue_id = ?", ws, id).Delete(&queueMemberRow{}).Error; err != nil {
			return deleteError(err, "queue")
		}
		res := db.Where("id = ? AND workspace_id = ?", id, ws).Delete(&queueRow{})
		if res.Error != nil {
			return deleteError(res.Error, "queue")
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("queue")
		}
		return nil
	})
}

// AddQueueMember makes a user a member of a queue; adding twice is a no-op.
func (s *Store) AddQueueMember(ctx context.Context, queueID, userID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := queueMemberRow{WorkspaceID: ws, QueueID: queueID, UserID: userID}
	return writeError(db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error, "queue membership")
}

// RemoveQueueMember ends a membership; removing a missing one is a no-op.
func (s *Store) RemoveQueueMember(ctx context.Context, queueID, userID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	err = db.Where("workspace_id = ? AND queue_id = ? AND user_id = ?", ws, queueID, userID).Delete(&queueMemberRow{}).Error
	return deleteError(err, "queue membership")
}

// CreateTag inserts a tag; its name is unique per workspace, ignoring case.
func (s *Store) CreateTag(ctx context.Context, t *domain.Tag) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&t.WorkspaceID, ws); err != nil {
		return err
	}
	row := tagFromDomain(t)
	return writeError(db.Create(&row).Error, "tag")
}

// FindTag returns one tag.
func (s *Store) FindTag(ctx context.Context, id string) (*domain.Tag, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row tagRow
	if err := db.Where("id = ? AND workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "tag")
	}
	return row.toDomain(), nil
}

// FindTags lists every tag of the workspace by name.
func (s *Store) FindTags(ctx context.Context) ([]*domain.Tag, error) {
	return s.findTags(ctx, nil)
}

// FindTagsByIDs loads tags for batching; missing ids are skipped.
func (s *Store) FindTagsByIDs(ctx context.Context, ids []string) ([]*domain.Tag, error) {
	if ids == nil {
		ids = []string{}
	}
	return s.findTags(ctx, ids)
}

func (s *Store) findTags(ctx context.Context, ids []string) ([]*domain.Tag, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if ids != nil && len(ids) == 0 {
		return []*domain.Tag{}, nil
	}
	q := db.Where("workspace_id = ?", ws)
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	var rows []tagRow
	if err := q.Order("name, id").Find(&rows).Error; err != nil {
		return nil, writeError(err, "tag")
	}
	tags := make([]*domain.Tag, len(rows))
	for i := range rows {
		tags[i] = rows[i].toDomain()
	}
	return tags, nil
}

// UpdateTag writes a tag's name and colour.
func (s *Store) UpdateTag(ctx context.Context, t *domain.Tag) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := tagFromDomain(t)
	res := db.Table("tags").Where("id = ? AND workspace_id = ?", row.ID, ws).Updates(map[string]any{
		"name": row.Name, "color": row.Color, "updated_at": row.UpdatedAt,
	})
	return updated(res, "tag")
}

// DeleteTag removes a tag from every conversation and contact, then the tag.
func (s *Store) DeleteTag(ctx context.Context, id string, at time.Time) error {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		// Losing a tag is a change of each tagged row: a sync must see it.
		err := db.Table("conversations").Where("workspace_id = ? AND id IN (?)", ws,
			db.Table("conversation_tags").Select("conversation_id").Where("workspace_id = ? AND tag_id = ?", ws, id)).
			Updates(map[string]any{"updated_at": storedTime(&at), "version": gorm.Expr("version + 1")}).Error
		if err != nil {
			return writeError(err, "tag")
		}
		err = db.Table("contacts").Where("workspace_id = ? AND id IN (?)", ws,
			db.Table("contact_tags").Select("contact_id").Where("workspace_id = ? AND tag_id = ?", ws, id)).
			Update("updated_at", storedTime(&at)).Error
		if err != nil {
			return writeError(err, "tag")
		}
		if err := db.Where("workspace_id = ? AND tag_id = ?", ws, id).Delete(&conversationTagRow{}).Error; err != nil {
			return deleteError(err, "tag")
		}
		if err := db.Where("workspace_id = ? AND tag_id = ?", ws, id).Delete(&contactTagRow{}).Error; err != nil {
			return deleteError(err, "tag")
		}
		res := db.Where("id = ? AND workspace_id = ?", id, ws).Delete(&tagRow{})
		if res.Error != nil {
			return deleteError(res.Error, "tag")
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("tag")
		}
		return nil
	})
}

// queueNotADefault refuses to delete the queue new conversations land in
// (the workspace's or a number's default): they would land nowhere.
func queueNotADefault(db *gorm.DB, ws, id string) error {
	var workspaces, channels int64
	if err := db.Table("workspaces").Where("id = ? AND default_queue_id = ?", ws, id).Count(&workspaces).Error; err != nil {
		return writeError(err, "queue")
	}
	if workspaces > 0 {
		return domain.Errorf(domain.CodeConflict, "the queue is the workspace's default queue; make another queue the default first")
	}
	err := db.Table("channels").Where("workspace_id = ? AND default_queue_id = ?", ws, id).Count(&channels).Error
	if err != nil {
		return writeError(err, "queue")
	}
	if channels > 0 {
		return domain.Errorf(domain.CodeConflict, "a number routes its new conversations to this queue; change its default_queue_id first")
	}
	return nil
}
