package domain

import (
	"context"
	"strings"

	"github.com/centralita/centralita/domain/access"
)

// Who may see an event live is decided by the access table, like every
// read: an event about a conversation is visible to whoever may read that
// conversation, one about the shared customer base to everyone in the
// workspace, and the rest (configuration, security) to the roles that may
// read the whole event feed (owners and admins).

type eventAudience uint8

const (
	audienceAdmins eventAudience = iota
	audienceWorkspace
	audienceConversation
	// audienceTask: a task's conversation decides; a task on a contact
	// only is the workspace's.
	audienceTask
)

// Payload keys saying where an event's conversation stands after the
// change, so live subscribers are filtered without reading it back.
const (
	payloadConversationQueue    = "conversation_queue_id"
	payloadConversationAssignee = "conversation_assignee_id"
)

// withPlacement adds where c stands (queue, assignee) to an event payload.
func withPlacement(payload map[string]any, c *Conversation) map[string]any {
	if payload == nil {
		payload = map[string]any{}
	}
	payload["conversation_id"] = c.ID
	payload[payloadConversationQueue] = c.QueueID
	payload[payloadConversationAssignee] = c.AssigneeID
	return payload
}

func audienceOf(eventType string) eventAudience {
	prefix, _, _ := strings.Cut(eventType, ".")
	switch prefix {
	case "conversation", "message", "note", "sla":
		return audienceConversation
	case "task":
		return audienceTask
	case "contact":
		return audienceWorkspace
	}
	return audienceAdmins
}

// Visible reports whether the caller may see the event.
func (le *LiveEvent) Visible(ctx context.Context) bool {
	p, err := le.callerIn(ctx)
	if err != nil {
		return false
	}
	audience := audienceOf(le.Event.Type)
	convID := le.ConversationID()
	if convID == "" {
		switch audience {
		case audienceTask, audienceWorkspace:
			audience = audienceWorkspace
		default:
			audience = audienceAdmins
		}
	}
	switch audience {
	case audienceAdmins:
		return p.may(access.ReadEvents) == nil // as the feed: roles that see every event
	case audienceWorkspace:
		return access.Visible(p.accessRole(), access.Workspace)
	}
	if p.decide(access.Read, access.OtherQueue, "conversation") == nil {
		return true // the caller reads every conversation: nothing to load
	}
	relation, ok := le.placedFor(p)
	if !ok {
		c, err := le.sharedConversation(ctx)
		if err != nil {
			return false
		}
		relation = p.relationTo(c)
	}
	return p.decide(access.Read, relation, "conversation") == nil
}

// placedFor places the event's conversation for p from the payload, when
// the event was recorded with its placement.
func (le *LiveEvent) placedFor(p Principal) (access.Relation, bool) {
	queueID, hasQueue := le.Event.Payload[payloadConversationQueue].(string)
	assigneeID, hasAssignee := le.Event.Payload[payloadConversationAssignee].(string)
	if !hasQueue || !hasAssignee {
		return 0, false
	}
	return access.Relate(p.UserID, p.QueueIDs, assigneeID, queueID), true
}
