package domain

import "context"

// afterRouting runs once a conversation's queue is decided (the welcome
// bot's menu, a routing rule, a menu reply, or simply where it landed):
// the queue may hand it to an agent at once. While the welcome bot waits
// for the customer's answer nothing is decided yet, so nobody is assigned
// in the queue the conversation merely landed in.
func (s *Service) afterRouting(ctx context.Context, conversationID string) error {
	st, err := s.store.FindBotState(ctx, conversationID)
	if err == nil && !st.Done {
		return nil
	}
	if err != nil && ErrorCode(err) != CodeNotFound {
		return err
	}
	return s.assignIfAutomatic(ctx, conversationID)
}
