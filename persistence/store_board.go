package persistence

import (
	"context"

	"github.com/centralita/centralita/domain"
	"gorm.io/gorm"
)

// FindBoard answers the board in len(BoardStatuses)+2 statements: one count
// grouped by status, one page per column (inbox order) and one for the
// tags of every card.
func (s *Store) FindBoard(ctx context.Context, q domain.BoardQuery, vis domain.Visibility) ([]domain.BoardColumn, error) {
	db, ws, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	columns := make([]domain.BoardColumn, len(domain.BoardStatuses))
	pq := domain.PageQuery{Limit: q.Limit}
	for i, st := range domain.BoardStatuses {
		columns[i] = domain.BoardColumn{Status: st,
			Conversations: domain.MakePage([]*domain.Conversation{}, q.Limit, conversationCursor)}
	}
	// board scopes a query on conversations (as c) to the caller's view,
	// the filters, and the closed column's period.
	board := func(base *gorm.DB) (*gorm.DB, bool) {
		base, visible := s.visible(base.Where("c.workspace_id = ?", ws), vis)
		if q.QueueID != "" {
			base = base.Where("c.queue_id = ?", q.QueueID)
		}
		if q.AssigneeID != "" {
			base = base.Where("c.assignee_id = ?", q.AssigneeID)
		}
		return base.Where("(c.status <> ? OR c.closed_at >= ?)", string(domain.StatusClosed),
			utcTime{q.ClosedSince}), visible
	}
	counted, visible := board(db.Table("conversations AS c").Select("c.status AS status, COUNT(*) AS n"))
	if !visible {
		return columns, nil
	}
	var counts []struct {
		Status string
		N      int
	}
	if err := counted.Group("c.status").Scan(&counts).Error; err != nil {
		return nil, writeError(err, "conversation")
	}
	var cards []*domain.Conversation
	for i := range columns {
		for _, c := range counts {
			if c.Status == string(columns[i].Status) {
				columns[i].Count = c.N
			}
		}
		if columns[i].Count == 0 {
			continue // nothing to page: one statement saved
		}
		page, _ := board(conversationsWithWindow(db))
		var rows []conversationRow
		if err := inbox.page(page.Where("c.status = ?", string(columns[i].Status)), pq).Find(&rows).Error; err != nil {
			return nil, writeError(err, "conversation")
		}
		columns[i].Conversations = makePage(rows, pq, (*conversationRow).toDomain, conversationCursor)
		cards = append(cards, columns[i].Conversations.Items...)
	}
	return columns, s.loadConversationTags(ctx, ws, cards)
}
