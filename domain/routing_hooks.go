package domain

import "context"

// afterRouting runs once the bot or a routing rule has decided where a
// conversation goes, in the inbound message's transaction. Automatic
// assignment and SLA clocks hook in here; until they do it does nothing.
func (s *Service) afterRouting(ctx context.Context, conversationID string) error {
	_ = ctx
	_ = conversationID
	return nil
}
