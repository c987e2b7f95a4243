package persistence

import (
	"context"
	"maps"
	"time"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateConversation inserts a conversation (its tags are added separately).
func (s *Store) CreateConversation(ctx context.Context, c *domain.Conversation) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	if err := own(&c.WorkspaceID, ws); err != nil {
		return err
	}
	row := conversationFromDomain(c)
	if c.SLA == nil && c.SLARepliedAt == nil && c.SLAAwaitingSince == nil {
		// Leave them to their defaults: nothing to measure yet.
		db = db.Omit(slaColumnNames...)
	}
	return writeError(db.Create(&row).Error, "conversation")
}

// FindConversation returns a conversation with its TagIDs. Visibility is
// the domain's check: this only guarantees the workspace.
func (s *Store) FindConversation(ctx context.Context, id string) (*domain.Conversation, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	var row conversationRow
	if err := conversationsWithWindow(db).Where("c.id = ? AND c.workspace_id = ?", id, ws).Take(&row).Error; err != nil {
		return nil, writeError(err, "conversation")
	}
	convs := []*domain.Conversation{row.toDomain()}
	return convs[0], s.loadConversationTags(ctx, ws, convs)
}

// inbox is the conversation listing's order: newest activity first.
var inbox = listing{alias: "c.", timeCol: "last_activity_at", desc: true}

// FindConversations lists the inbox, newest activity first (or by
// updated_at for a sync), restricted to
// what vis allows, with TagIDs loaded in one more query.
func (s *Store) FindConversations(ctx context.Context, f domain.ConversationFilter, vis domain.Visibility, pq domain.PageQuery) (domain.Page[*domain.Conversation], error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return domain.Page[*domain.Conversation]{}, err
	}
	q, visible := s.visible(conversationsWithWindow(db).Where("c.workspace_id = ?", ws), vis)
	if !visible {
		return domain.MakePage([]*domain.Conversation{}, pageLimit(pq), conversationCursor), nil
	}
	q = s.filterConversations(q, f)
	var rows []conversationRow
	if err := inbox.page(q, pq).Find(&rows).Error; err != nil {
		return domain.Page[*domain.Conversation]{}, writeError(err, "conversation")
	}
	p := makePage(rows, pq, (*conversationRow).toDomain, pageKey(pq, conversationCursor,
		func(c *domain.Conversation) (time.Time, string) { return c.UpdatedAt, c.ID }))
	return p, s.loadConversationTags(ctx, ws, p.Items)
}

// conversationsWithWindow selects conversations (as c) with the newest
// customer message to their number across the contact's conversations
// there: WhatsApp's service window is per customer and number. The
// subquery reads the conversations_contact_channel index, in the same
// statement, so listings stay one query.
func conversationsWithWindow(db *gorm.DB) *gorm.DB {
	return db.Table("conversations AS c").Select(conversationColumns)
}

// conversationColumns are a conversation's columns (as c) with its
// number's service window.
const conversationColumns = "c.*, (SELECT MAX(o.last_customer_message_at) FROM conversations o" +
	" WHERE o.workspace_id = c.workspace_id AND o.contact_id = c.contact_id AND o.channel_id = c.channel_id)" +
	" AS number_last_customer_message_at"

func conversationCursor(c *domain.Conversation) domain.Cursor {
	return domain.Cursor{Time: c.LastActivityAt, ID: c.ID}
}

// visible restricts q to what vis allows. It reports false when vis allows
// nothing at all, so the caller can skip the query.
func (s *Store) visible(q *gorm.DB, vis domain.Visibility) (*gorm.DB, bool) {
	switch {
	case vis.All:
		return q, true
	case vis.AssigneeID != "" && len(vis.QueueIDs) > 0:
		return q.Where("(c.assignee_id = ? OR c.queue_id IN ?)", vis.AssigneeID, vis.QueueIDs), true
	case vis.AssigneeID != "":
		return q.Where("c.assignee_id = ?", vis.AssigneeID), true
	case len(vis.QueueIDs) > 0:
		return q.Where("c.queue_id IN ?", vis.QueueIDs), true
	}
	return q, false
}

// filterConversations applies the inbox filters. User text is only ever a
// bound parameter, with LIKE wildcards escaped.
func (s *Store) filterConversations(q *gorm.DB, f domain.ConversationFilter) *gorm.DB {
	if len(f.Status) > 0 {
		statuses := make([]string, len(f.Status))
		for i, st := range f.Status {
			statuses[i] = string(st)
		}
		q = q.Where("c.status IN ?", statuses)
	}
	if f.QueueID != "" {
		q = q.Where("c.queue_id = ?", f.QueueID)
	}
	if f.AssigneeID != "" {
		q = q.Where("c.assignee_id = ?", f.AssigneeID)
	}
	if f.Unassigned {
		q = q.Where("c.assignee_id IS NULL")
	}
	if f.ChannelID != "" {
		q = q.Where("c.channel_id = ?", f.ChannelID)
	}
	if f.ContactID != "" {
		q = q.Where("c.contact_id = ?", f.ContactID)
	}
	if f.SLAState != "" {
		q = q.Where("c.sla_state = ?", string(f.SLAState))
	}
	if f.TagID != "" {
		q = q.Where("EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id AND t.workspace_id = c.workspace_id AND t.tag_id = ?)", f.TagID)
	}
	if f.Text != "" {
		// On Postgres each EXISTS becomes one hashed subplan answered from
		// its trigram indexes (migration 00027); SQLite reads the
		// workspace's contacts and messages.
		like, pattern := s.likeOp(), containsPattern(f.Text)
		q = q.Where("(EXISTS (SELECT 1 FROM contacts ct WHERE ct.id = c.contact_id AND ct.workspace_id = c.workspace_id"+
			" AND (ct.name "+like+" ? ESCAPE '\\' OR ct.wa_id "+like+" ? ESCAPE '\\' OR ct.phone_e164 "+like+" ? ESCAPE '\\'))"+
			" OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.workspace_id = c.workspace_id"+
			" AND m.text "+like+" ? ESCAPE '\\'))", pattern, pattern, pattern, pattern)
	}
	return q
}

// loadConversationTags fills TagIDs of conversations with one query.
func (s *Store) loadConversationTags(ctx context.Context, ws string, convs []*domain.Conversation) error {
	if len(convs) == 0 {
		return nil
	}
	ids := make([]string, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	tags, err := s.tagIDsByConversation(ctx, ws, ids)
	if err != nil {
		return err
	}
	for _, c := range convs {
		if t := tags[c.ID]; t != nil {
			c.TagIDs = t
		}
	}
	return nil
}

func (s *Store) tagIDsByConversation(ctx context.Context, ws string, ids []string) (map[string][]string, error) {
	out := make(map[string][]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var links []conversationTagRow
	err := s.conn(ctx).Where("workspace_id = ? AND conversation_id IN ?", ws, ids).
		Order("conversation_id, tag_id").Find(&links).Error
	if err != nil {
		return nil, writeError(err, "conversation tag")
	}
	for _, l := range links {
		out[l.ConversationID] = append(out[l.ConversationID], l.TagID)
	}
	return out, nil
}

// TagIDsByConversationIDs loads tag ids for batching, in one query.
// Conversations without tags (or of another workspace) have no entry.
func (s *Store) TagIDsByConversationIDs(ctx context.Context, ids []string) (map[string][]string, error) {
	_, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.tagIDsByConversation(ctx, ws, ids)
}

// UpdateConversation writes c if the stored version is still c.Version-1.
// Losing that race is a conflict; an id outside the workspace is not found.
func (s *Store) UpdateConversation(ctx context.Context, c *domain.Conversation) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := conversationFromDomain(c)
	updates := map[string]any{
		"contact_id": row.ContactID, "channel_id": row.ChannelID, "queue_id": row.QueueID,
		"assignee_id": row.AssigneeID, "status": row.Status, "priority": row.Priority,
		"close_reason": row.CloseReason, "version": row.Version, "updated_at": row.UpdatedAt,
		"last_activity_at": row.LastActivityAt, "first_human_response_at": row.FirstHumanResponseAt,
		"last_customer_message_at": row.LastCustomerMessageAt, "closed_at": row.ClosedAt,
		"lead_source": row.LeadSource, "previous_conversation_id": row.PreviousConversationID,
		"pending_since": row.PendingSince, "routing": row.Routing,
	}
	maps.Copy(updates, row.SLA.updates())
	res := db.Table("conversations").
		Where("id = ? AND workspace_id = ? AND version = ?", row.ID, ws, row.Version-1).
		Updates(updates)
	if res.Error != nil {
		return writeError(res.Error, "conversation")
	}
	if res.RowsAffected == 1 {
		return nil
	}
	// Tell "someone else changed it" from "it is not yours" (rare path).
	var exists int64
	if err := db.Table("conversations").Where("id = ? AND workspace_id = ?", row.ID, ws).Count(&exists).Error; err != nil {
		return writeError(err, "conversation")
	}
	if exists == 0 {
		return domain.NotFound("conversation")
	}
	return versionConflict()
}

// AddConversationTag tags a conversation; tagging twice is a no-op.
func (s *Store) AddConversationTag(ctx context.Context, conversationID, tagID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	row := conversationTagRow{WorkspaceID: ws, ConversationID: conversationID, TagID: tagID}
	return writeError(db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error, "conversation tag")
}

// RemoveConversationTag untags a conversation; a missing tag is a no-op.
func (s *Store) RemoveConversationTag(ctx context.Context, conversationID, tagID string) error {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return err
	}
	err = db.Where("workspace_id = ? AND conversation_id = ? AND tag_id = ?", ws, conversationID, tagID).
		Delete(&conversationTagRow{}).Error
	return deleteError(err, "conversation tag")
}
