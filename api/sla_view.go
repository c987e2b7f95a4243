package api

import "github.com/centralita/centralita/domain"

// conversationSLAView is a conversation's standing against its policy.
type conversationSLAView struct {
	PolicyID           string     `json:"policy_id"`
	State              string     `json:"state"`
	FirstResponseDueAt *timestamp `json:"first_response_due_at"`
	NextResponseDueAt  *timestamp `json:"next_response_due_at"`
	ResolutionDueAt    *timestamp `json:"resolution_due_at"`
}

func viewConversationSLA(s *domain.ConversationSLA) *conversationSLAView {
	if s == nil {
		return nil
	}
	return &conversationSLAView{PolicyID: s.PolicyID, State: string(s.State),
		FirstResponseDueAt: optionalStamp(s.FirstResponseDueAt), NextResponseDueAt: optionalStamp(s.NextResponseDueAt),
		ResolutionDueAt: optionalStamp(s.ResolutionDueAt)}
}
