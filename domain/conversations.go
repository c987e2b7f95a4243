package domain

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/centralita/centralita/domain/access"
)

// Conversations lists the inbox: what the caller may see, filtered, newest
// activity first. Errors: invalid.
func (s *Service) Conversations(ctx context.Context, f ConversationFilter) (Page[*Conversation], error) {
	p, err := principal(ctx)
	if err != nil {
		return Page[*Conversation]{}, err
	}
	for _, st := range f.Status {
		if !st.Valid() {
			return Page[*Conversation]{}, FieldError("status", "status must be new, open, pending_customer or closed")
		}
	}
	for _, c := range []struct{ field, prefix, id string }{
		{"queue_id", PrefixQueue, f.QueueID}, {"assignee_id", PrefixUser, f.AssigneeID},
		{"tag_id", PrefixTag, f.TagID}, {"channel_id", PrefixChannel, f.ChannelID},
		{"contact_id", PrefixContact, f.ContactID},
	} {
		if c.id != "" && !ValidID(c.prefix, c.id) {
			return Page[*Conversation]{}, FieldError(c.field, "%s is not a valid id", c.field)
		}
	}
	if f.SLAState != "" && !f.SLAState.Valid() {
		return Page[*Conversation]{}, FieldError("sla_state", "sla_state must be on_track, warning, breached or met")
	}
	if len(f.Text) > 200 {
		return Page[*Conversation]{}, FieldError("q", "search text must have at most 200 characters")
	}
	pq, err := f.Page.Query()
	if err != nil {
		return Page[*Conversation]{}, err
	}
	return s.store.FindConversations(ctx, f, ConversationVisibility(p), pq)
}

// Conversation returns one conversation the caller may see.
// Errors: not_found (also for conversations the caller may not see).
func (s *Service) Conversation(ctx context.Context, id string) (*Conversation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !ValidID(PrefixConversation, id) {
		return nil, NotFound("conversation")
	}
	c, err := s.store.FindConversation(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := p.mayOn(access.Read, c); err != nil {
		return nil, err
	}
	return c, nil
}

// CreateConversation opens a conversation with a contact. Without a
// channel it uses the workspace's official number, without a queue the
// number's default queue or the workspace's. An agent who opens one
// outside their queues is its assignee, so they can see it.
// Errors: invalid, not_found (contact, channel, queue), unprocessable (no
// number to hold it).
func (s *Service) CreateConversation(ctx context.Context, in NewConversation) (*Conversation, error) {
	var c *Conversation
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.openConversation(ctx, in); err != nil {
			return err
		}
		if err := s.assignIfAutomatic(ctx, c.ID); err != nil {
			return err
		}
		c, err = s.store.FindConversation(ctx, c.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// openConversation stores a new conversation where it lands, without
// assigning it: the inbound path routes it first (menu reply, bot).
func (s *Service) openConversation(ctx context.Context, in NewConversation) (*Conversation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if in.Priority == "" {
		in.Priority = PriorityNormal
	}
	if !in.Priority.Valid() {
		return nil, FieldError("priority", "priority must be low, normal, high or urgent")
	}
	if in.ContactID == "" {
		return nil, FieldError("contact_id", "contact_id is required")
	}
	if in.knownContact == nil || in.knownContact.ID != in.ContactID {
		if _, err := s.Contact(ctx, in.ContactID); err != nil {
			return nil, err
		}
	}
	if in.QueueID != "" {
		if _, err := s.Queue(ctx, in.QueueID); err != nil {
			return nil, err
		}
	}
	if err := s.land(ctx, &in); err != nil {
		return nil, err
	}
	now := s.now()
	c := &Conversation{ID: NewID(PrefixConversation), WorkspaceID: p.WorkspaceID, ContactID: in.ContactID,
		ChannelID: in.ChannelID, QueueID: in.QueueID, Status: StatusNew, Priority: in.Priority,
		Version: 1, CreatedAt: now, UpdatedAt: now, LastActivityAt: now,
		PreviousConversationID: in.PreviousConversationID}
	if p.mayOn(access.Read, c) != nil {
		if p.UserID == "" {
			return nil, Errorf(CodeForbidden, "this key may only open conversations in its queues")
		}
		c.AssigneeID, c.Status = p.UserID, StatusOpen
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		wake, err := s.measureSLA(ctx, c)
		if err != nil {
			return err
		}
		if err := s.store.CreateConversation(ctx, c); err != nil {
			return err
		}
		if err := s.scheduleSLA(ctx, c.ID, wake); err != nil {
			return err
		}
		// Read it back for what the store computes: the customer may have
		// opened the number's service window in another conversation.
		if c, err = s.store.FindConversation(ctx, c.ID); err != nil {
			return err
		}
		payload := map[string]any{"conversation_id": c.ID, "status": string(c.Status), "queue_id": c.QueueID}
		if c.AssigneeID != "" {
			payload["assignee_id"] = c.AssigneeID
		}
		if c.PreviousConversationID != "" {
			payload["previous_conversation_id"] = c.PreviousConversationID
		}
		return s.record(ctx, EventConversationCreated, c.ID, payload)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// maxVersionRetries bounds how often change replays a mutation that lost an
// optimistic-version race (each loss means another writer committed).
const maxVersionRetries = 10

// change loads a visible conversation, lets mutate change it, and saves it
// with an optimistic version check and the event mutate names. The extra
// writes run in the same transaction after the conversation is saved.
func (s *Service) change(ctx context.Context, id string, mutate func(p Principal, c *Conversation) (event string, payload map[string]any, err error), extra ...func(ctx context.Context) error) (*Conversation, error) {
	return s.changeLoaded(ctx, &Conversation{ID: id}, mutate, extra...)
}

// changeLoaded is change on a conversation the caller already read in this
// transaction (a Version of 0 means only its ID is known): the first
// attempt mutates it without reading it again, a lost race reads it anew.
func (s *Service) changeLoaded(ctx context.Context, loaded *Conversation, mutate func(p Principal, c *Conversation) (event string, payload map[string]any, err error), extra ...func(ctx context.Context) error) (*Conversation, error) {
	id := loaded.ID
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var out *Conversation
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		var c *Conversation
		var event string
		var payload map[string]any
		var from ConversationStatus
		var fromAssignee string
		var wake []time.Time
		// Lost races are retried on fresh state: every mutate decides from
		// the conversation it is given (a claim still fails if someone else
		// took it meanwhile), so replaying it is safe.
		for attempt := 1; ; attempt++ {
			var err error
			if attempt == 1 && loaded.Version > 0 && ConversationVisibility(p).CanSee(loaded) {
				c = loaded
			} else if c, err = s.Conversation(ctx, id); err != nil {
				return err
			}
			from, fromAssignee = c.Status, c.AssigneeID
			event, payload, err = mutate(p, c)
			if err != nil || event == "" {
				out = c
				return err
			}
			s.trackPending(c, from)
			if wake, err = s.measureSLA(ctx, c); err != nil {
				return err
			}
			c.Version++
			c.UpdatedAt = s.now()
			err = s.store.UpdateConversation(ctx, c)
			if err == nil {
				break
			}
			if !errors.Is(err, ErrStaleVersion) || attempt == maxVersionRetries {
				return err
			}
		}
		out = c
		if err := s.scheduleSLA(ctx, c.ID, wake); err != nil {
			return err
		}
		for _, write := range extra {
			if err := write(ctx); err != nil {
				return err
			}
		}
		payload["conversation_id"] = c.ID
		if err := s.record(ctx, event, c.ID, payload); err != nil {
			return err
		}
		return s.afterChange(ctx, c, from, fromAssignee, event)
	})
	return out, err
}

// Claim assigns an unassigned conversation to the calling user.
// Errors: forbidden (API keys), not_found, conflict (assigned to someone else).
func (s *Service) Claim(ctx context.Context, id string) (*Conversation, error) {
	return s.change(ctx, id, func(p Principal, c *Conversation) (string, map[string]any, error) {
		if p.UserID == "" {
			return "", nil, Errorf(CodeForbidden, "only users can claim conversations")
		}
		if err := p.mayOn(access.Claim, c); err != nil {
			return "", nil, err
		}
		if c.AssigneeID == p.UserID {
			return "", nil, nil
		}
		if c.AssigneeID != "" {
			return "", nil, Errorf(CodeConflict, "conversation is already assigned to another agent")
		}
		if c.Status == StatusClosed {
			return "", nil, Errorf(CodeConflict, "a closed conversation cannot be claimed; reopen it first")
		}
		c.AssigneeID = p.UserID
		if c.Status == StatusNew {
			c.Status = StatusOpen
		}
		return EventConversationAssigned, map[string]any{"assignee_id": p.UserID, "by": actor(p)}, nil
	})
}

// Assign gives a conversation to a user, or unassigns it when assigneeID is
// empty. Supervisors assign inside their queues, admins anywhere.
// Errors: forbidden, not_found, invalid (inactive or unknown assignee).
func (s *Service) Assign(ctx context.Context, id, assigneeID string) (*Conversation, error) {
	var assignee *User
	if assigneeID != "" {
		u, err := s.User(ctx, assigneeID)
		if ErrorCode(err) == CodeNotFound {
			return nil, FieldError("assignee_id", "unknown assignee")
		}
		if err != nil {
			return nil, err
		}
		if !u.Active {
			return nil, FieldError("assignee_id", "assignee is deactivated")
		}
		assignee = u
	}
	var previous string
	var out *Conversation
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.lockAssignment(ctx); err != nil {
			return err
		}
		var err error
		if out, err = s.assign(ctx, id, assigneeID, assignee, &previous); err != nil || previous == "" {
			return err
		}
		// The previous holder has room again.
		return s.capacityFreed(ctx, previous)
	})
	return out, err
}

// assign sets the assignee; previous tells who held it before, when
// someone did and it changed.
func (s *Service) assign(ctx context.Context, id, assigneeID string, assignee *User, previous *string) (*Conversation, error) {
	return s.change(ctx, id, func(p Principal, c *Conversation) (string, map[string]any, error) {
		*previous = ""
		if err := p.mayOn(access.Assign, c); err != nil {
			return "", nil, err
		}
		if c.AssigneeID == assigneeID {
			return "", nil, nil
		}
		*previous = c.AssigneeID
		c.AssigneeID = assigneeID
		if assignee != nil && c.Status == StatusNew {
			c.Status = StatusOpen
		}
		return EventConversationAssigned, map[string]any{"assignee_id": assigneeID, "by": actor(p)}, nil
	})
}

// ChangeStatus moves a conversation through its lifecycle; closing needs a
// reason. Errors: not_found, invalid, forbidden, conflict (transition not
// allowed).
func (s *Service) ChangeStatus(ctx context.Context, id string, in StatusChange) (*Conversation, error) {
	if !in.Status.Valid() {
		return nil, FieldError("status", "status must be new, open, pending_customer or closed")
	}
	if in.Status == StatusClosed {
		if err := s.requireCloseReason(ctx, in.CloseReason); err != nil {
			return nil, err
		}
	}
	var holder string
	var out *Conversation
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if in.Status == StatusClosed {
			if err := s.lockAssignment(ctx); err != nil {
				return err
			}
		}
		var err error
		if out, err = s.changeStatus(ctx, id, in, &holder); err != nil || holder == "" {
			return err
		}
		// Closing frees a place in the holder's capacity.
		return s.capacityFreed(ctx, holder)
	})
	return out, err
}

// changeStatus applies a status change; closed tells who held the
// conversation when it closed.
func (s *Service) changeStatus(ctx context.Context, id string, in StatusChange, closed *string) (*Conversation, error) {
	return s.change(ctx, id, func(p Principal, c *Conversation) (string, map[string]any, error) {
		*closed = ""
		if err := p.mayOn(access.Status, c); err != nil {
			return "", nil, err
		}
		if !CanTransition(c.Status, in.Status) {
			return "", nil, transitionError(c.Status, in.Status)
		}
		from := c.Status
		c.Status = in.Status
		if in.Status == StatusClosed {
			now := s.now()
			c.ClosedAt, c.CloseReason = &now, in.CloseReason
			*closed = c.AssigneeID
		} else {
			c.ClosedAt, c.CloseReason = nil, ""
		}
		return EventConversationStatusChanged, map[string]any{"from": string(from), "to": string(in.Status),
			"close_reason": c.CloseReason, "by": actor(p)}, nil
	})
}

// SetPriority changes a conversation's priority. Errors: not_found,
// invalid, forbidden.
func (s *Service) SetPriority(ctx context.Context, id string, priority Priority) (*Conversation, error) {
	if !priority.Valid() {
		return nil, FieldError("priority", "priority must be low, normal, high or urgent")
	}
	return s.change(ctx, id, func(p Principal, c *Conversation) (string, map[string]any, error) {
		if err := p.mayOn(access.Priority, c); err != nil {
			return "", nil, err
		}
		if c.Priority == priority {
			return "", nil, nil
		}
		c.Priority = priority
		return EventConversationPriorityChanged, map[string]any{"priority": string(priority), "by": actor(p)}, nil
	})
}

// TagConversation adds (or, with tagged false, removes) a tag. Both are
// idempotent. A change is a change of the conversation: it moves its
// version and updated_at, so an incremental sync sees it.
// Errors: not_found (conversation or tag), forbidden (read-only to the
// caller).
func (s *Service) TagConversation(ctx context.Context, id, tagID string, tagged bool) (*Conversation, error) {
	if _, err := s.Tag(ctx, tagID); err != nil {
		return nil, err
	}
	c, err := s.change(ctx, id, func(p Principal, c *Conversation) (string, map[string]any, error) {
		if err := p.mayOn(access.Tag, c); err != nil {
			return "", nil, err
		}
		if slices.Contains(c.TagIDs, tagID) == tagged {
			return "", nil, nil
		}
		payload := map[string]any{"tag_id": tagID, "by": actor(p)}
		if tagged {
			c.TagIDs = append(c.TagIDs, tagID)
			slices.Sort(c.TagIDs)
			return EventConversationTagged, payload, nil
		}
		c.TagIDs = slices.DeleteFunc(c.TagIDs, func(t string) bool { return t == tagID })
		return EventConversationUntagged, payload, nil
	}, func(ctx context.Context) error {
		if tagged {
			return s.store.AddConversationTag(ctx, id, tagID)
		}
		return s.store.RemoveConversationTag(ctx, id, tagID)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// TagIDsByConversationIDs loads tag ids for batching, for conversations the
// caller already reached through a visibility-checked path.
func (s *Service) TagIDsByConversationIDs(ctx context.Context, ids []string) (map[string][]string, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.TagIDsByConversationIDs(ctx, ids)
}

func actor(p Principal) string {
	switch {
	case p.UserID != "":
		return p.UserID
	case p.APIKeyID != "":
		return p.APIKeyID
	}
	return "system"
}
