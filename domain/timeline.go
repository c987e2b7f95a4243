package domain

import "context"

// TimelineStore reads a conversation's events.
type TimelineStore interface {
	// FindConversationEvents lists the events whose subject is the
	// conversation, oldest first.
	FindConversationEvents(ctx context.Context, conversationID string, pq PageQuery) (Page[*Event], error)
}

// ConversationEvents is a visible conversation's timeline, oldest first:
// its creation, every transition, assignment, transfer, routing decision,
// tag and message, each with who caused it.
// Errors: not_found (also for conversations the caller may not see), invalid.
func (s *Service) ConversationEvents(ctx context.Context, conversationID string, page PageRequest) (Page[*Event], error) {
	if _, err := s.Conversation(ctx, conversationID); err != nil {
		return Page[*Event]{}, err
	}
	limit, cur, err := page.Normalize()
	if err != nil {
		return Page[*Event]{}, err
	}
	return s.store.FindConversationEvents(ctx, conversationID, PageQuery{Limit: limit, After: cur})
}
