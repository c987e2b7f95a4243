package domain

import "context"

// afterRouting runs once a conversation's queue is decided (the welcome
// bot's menu, a routing rule, a menu reply): the queue may hand it to an
// agent at once.
func (s *Service) afterRouting(ctx context.Context, conversationID string) error {
	return s.assignIfAutomatic(ctx, conversationID)
}
