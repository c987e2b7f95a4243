package domain

import (
	"context"
	"strings"
	"time"

	"github.com/centralita/centralita/domain/access"
)

// Messages lists a visible conversation's messages, newest first.
// Errors: not_found, invalid.
func (s *Service) Messages(ctx context.Context, conversationID string, page PageRequest) (Page[*Message], error) {
	if _, err := s.Conversation(ctx, conversationID); err != nil {
		return Page[*Message]{}, err
	}
	pq, err := page.Query()
	if err != nil {
		return Page[*Message]{}, err
	}
	return s.store.FindMessages(ctx, conversationID, pq)
}

// LastMessagesByConversationIDs loads each conversation's newest message.
// It is a batch helper for conversations the caller already reached through
// a visibility-checked path; it checks only the workspace.
func (s *Service) LastMessagesByConversationIDs(ctx context.Context, ids []string) (map[string]*Message, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	return s.store.LastMessagesByConversationIDs(ctx, ids)
}

// SendText stores an outbound text message as queued (delivery is the
// WhatsApp channel's job). An agent may answer conversations assigned to
// them or unassigned ones, which they then take.
// Errors: not_found, invalid, forbidden, conflict (closed conversation).
func (s *Service) SendText(ctx context.Context, conversationID, text string) (*Message, error) {
	m, _, err := s.SendTextOnce(ctx, conversationID, text, "")
	return m, err
}

// SendTextOnce is SendText with the client's idempotency key (see Send).
// Errors: as Send.
func (s *Service) SendTextOnce(ctx context.Context, conversationID, text, key string) (*Message, bool, error) {
	return s.Send(ctx, conversationID, SendInput{Text: &TextInput{Body: text}, IdempotencyKey: key})
}

// Bot names say which automation wrote a bot message (its author id).
const (
	// BotLegacyRedirect is the legacy number's "write to the official
	// number" auto-reply.
	BotLegacyRedirect = "legacy_redirect"
)

func (s *Service) sendText(ctx context.Context, conversationID, text, key, bot string) (*Message, error) {
	return s.send(ctx, conversationID, &Message{Type: MessageText, Text: text}, key, bot)
}

// send stores an outbound draft (content already validated and resolved)
// as queued, with its delivery job, in one transaction. Templates may be
// sent outside the 24-hour window; anything else needs it open. bot names
// the automation writing it; "" when a person or an integration does.
func (s *Service) send(ctx context.Context, conversationID string, draft *Message, key, bot string) (*Message, error) {
	var msg *Message
	pends := false
	if bot == "" {
		var err error
		if pends, err = s.pendsAfterReply(ctx); err != nil {
			return nil, err
		}
	}
	_, err := s.change(ctx, conversationID, func(p Principal, c *Conversation) (string, map[string]any, error) {
		if c.Status == StatusClosed {
			return "", nil, Errorf(CodeConflict, "conversation is closed; reopen it before replying")
		}
		if err := p.mayOn(access.Reply, c); err != nil {
			return "", nil, err
		}
		// WhatsApp refuses free-form messages outside the window (131047);
		// saying so now beats a failed status later.
		if c.ChannelID == "" {
			// Only conversations from before every conversation had a
			// number: acknowledging a send would promise a delivery that
			// cannot happen.
			return "", nil, Errorf(CodeUnprocessable,
				"this conversation has no WhatsApp number to send from; open a new conversation with the contact on one of the workspace's numbers")
		}
		if open, _ := c.ServiceWindow(s.now()); !open && draft.Type != MessageTemplate {
			return "", nil, Errorf(CodePreconditionFailed,
				"the 24-hour customer service window is closed: the customer has not written in the last 24 hours, so only an approved template can be sent")
		}
		if p.Role == RoleAgent && c.AssigneeID == "" && p.UserID != "" {
			c.AssigneeID = p.UserID
		}
		now := s.now()
		msg = &Message{ID: NewID(PrefixMessage), WorkspaceID: c.WorkspaceID, ConversationID: c.ID,
			ChannelID: c.ChannelID, Direction: DirectionOutbound, Type: draft.Type, Text: draft.Text,
			PreviewURL: draft.PreviewURL, ReplyToID: draft.ReplyToID, ReplyToProviderID: draft.ReplyToProviderID,
			Media: draft.Media, Interactive: draft.Interactive, Reaction: draft.Reaction, Template: draft.Template,
			Status: DeliveryQueued, IdempotencyKey: key, CreatedAt: now, UpdatedAt: now}
		switch {
		case bot != "":
			// Automatic answers are not a human's first response, and leave
			// a new conversation new for the team to pick up.
			msg.AuthorKind, msg.AuthorID = AuthorBot, bot
		case p.UserID != "":
			msg.AuthorKind, msg.AuthorID = AuthorAgent, p.UserID
			if c.FirstHumanResponseAt == nil {
				c.FirstHumanResponseAt = &now
			}
		default:
			msg.AuthorKind, msg.AuthorID = AuthorSystem, p.APIKeyID
		}
		if c.Status == StatusNew && bot == "" {
			c.Status = StatusOpen
		}
		// A person answered: the ball is in the customer's court.
		if pends && msg.AuthorKind == AuthorAgent && c.Status == StatusOpen {
			c.Status = StatusPendingCustomer
		}
		if bot == "" && (p.UserID != "" || p.APIKeyID != "") {
			c.noteHumanReply(now) // a person, or an integration on their behalf
		}
		c.LastActivityAt = now
		return EventMessageCreated, map[string]any{"message_id": msg.ID, "direction": string(msg.Direction)}, nil
	}, func(ctx context.Context) error {
		if err := s.store.CreateMessage(ctx, msg); err != nil {
			return err
		}
		return s.store.Enqueue(ctx, JobSend, msg.ID)
	})
	if err != nil {
		return nil, err
	}
	return msg, nil
}

// Notes lists a visible conversation's internal notes, oldest first.
func (s *Service) Notes(ctx context.Context, conversationID string, page PageRequest) (Page[*Note], error) {
	if _, err := s.Conversation(ctx, conversationID); err != nil {
		return Page[*Note]{}, err
	}
	limit, cur, err := page.Normalize()
	if err != nil {
		return Page[*Note]{}, err
	}
	return s.store.FindNotes(ctx, conversationID, PageQuery{Limit: limit, After: cur})
}

// AddNote writes an internal note; it is never sent to the customer, so
// agents may also note a colleague's conversation.
// Errors: not_found, invalid, forbidden.
func (s *Service) AddNote(ctx context.Context, conversationID, body string) (*Note, error) {
	body = strings.TrimSpace(body)
	if body == "" || len([]rune(body)) > 10000 {
		return nil, FieldError("body", "body must have 1 to 10000 characters")
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var n *Note
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.Conversation(ctx, conversationID)
		if err != nil {
			return err
		}
		if err := p.mayOn(access.Note, c); err != nil {
			return err
		}
		n = &Note{ID: NewID(PrefixNote), WorkspaceID: c.WorkspaceID, ConversationID: c.ID,
			AuthorID: actor(p), Body: body, CreatedAt: s.now()}
		if err := s.store.CreateNote(ctx, n); err != nil {
			return err
		}
		return s.record(ctx, EventNoteCreated, c.ID, withPlacement(map[string]any{"note_id": n.ID}, c))
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Tasks lists tasks on a conversation or a contact, oldest first.
// Errors: not_found, invalid.
func (s *Service) Tasks(ctx context.Context, f TaskFilter, page PageRequest) (Page[*Task], error) {
	if f.ConversationID != "" {
		if _, err := s.Conversation(ctx, f.ConversationID); err != nil {
			return Page[*Task]{}, err
		}
	}
	if f.ContactID != "" {
		if _, err := s.Contact(ctx, f.ContactID); err != nil {
			return Page[*Task]{}, err
		}
	}
	if f.AssigneeID != "" && !ValidID(PrefixUser, f.AssigneeID) {
		return Page[*Task]{}, FieldError("assignee_id", "assignee_id is not a valid id")
	}
	p, err := principal(ctx)
	if err != nil {
		return Page[*Task]{}, err
	}
	pq, err := page.Query()
	if err != nil {
		return Page[*Task]{}, err
	}
	f.Visibility = ConversationVisibility(p)
	return s.store.FindTasks(ctx, f, pq)
}

// CreateTask adds a follow-up on a conversation (where the caller may
// act: see access.CreateTask) or a contact (anyone).
// Errors: not_found, invalid, forbidden.
func (s *Service) CreateTask(ctx context.Context, in NewTask) (*Task, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	title, err := validateName("title", in.Title, 200)
	if err != nil {
		return nil, err
	}
	if in.ConversationID == "" && in.ContactID == "" {
		return nil, FieldError("contact_id", "a task belongs to a conversation or a contact")
	}
	now := s.now()
	if in.DueAt != nil && in.DueAt.Before(now.Add(-24*time.Hour)) {
		return nil, FieldError("due_at", "due_at is too far in the past")
	}
	t := &Task{ID: NewID(PrefixTask), WorkspaceID: p.WorkspaceID, Title: title, DueAt: in.DueAt,
		AssigneeID: in.AssigneeID, CreatedByID: actor(p), CreatedAt: now, UpdatedAt: now}
	if in.ConversationID != "" {
		c, err := s.Conversation(ctx, in.ConversationID)
		if err != nil {
			return nil, err
		}
		if err := p.mayOn(access.CreateTask, c); err != nil {
			return nil, err
		}
		t.ConversationID, t.ContactID = c.ID, c.ContactID
	} else {
		if _, err := s.Contact(ctx, in.ContactID); err != nil {
			return nil, err
		}
		if err := p.may(access.CreateTask); err != nil {
			return nil, err
		}
		t.ContactID = in.ContactID
	}
	if in.AssigneeID != "" {
		if _, err := s.User(ctx, in.AssigneeID); err != nil {
			return nil, FieldError("assignee_id", "unknown assignee")
		}
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateTask(ctx, t); err != nil {
			return err
		}
		return s.record(ctx, EventTaskCreated, t.ID, map[string]any{"task_id": t.ID, "conversation_id": t.ConversationID})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// CompleteTask marks a task done (or, with done false, reopens it). A
// task assigned to the caller is theirs wherever it is; a colleague's is
// read-only to agents (see access.CompleteTask).
// Errors: not_found, forbidden.
func (s *Service) CompleteTask(ctx context.Context, id string, done bool) (*Task, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !ValidID(PrefixTask, id) {
		return nil, NotFound("task")
	}
	var t *Task
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if t, err = s.store.FindTask(ctx, id); err != nil {
			return err
		}
		var conv *Conversation
		if t.ConversationID != "" {
			if conv, err = s.Conversation(ctx, t.ConversationID); err != nil {
				return NotFound("task")
			}
		}
		if err := p.decide(access.CompleteTask, p.taskRelation(t, conv), "task"); err != nil {
			return err
		}
		if t.Done == done {
			return nil
		}
		now := s.now()
		t.Done, t.UpdatedAt, t.DoneAt = done, now, nil
		if done {
			t.DoneAt = &now
		}
		if err := s.store.UpdateTask(ctx, t); err != nil {
			return err
		}
		if !done {
			return nil
		}
		return s.record(ctx, EventTaskCompleted, t.ID, map[string]any{"task_id": t.ID, "conversation_id": t.ConversationID})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// RecordInboundText stores a text the customer sent, outside any channel
// (the demo seeder). Only the system records inbound messages.
// Errors: forbidden, not_found, invalid.
func (s *Service) RecordInboundText(ctx context.Context, conversationID, text string, at time.Time) (*Message, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.System {
		return nil, Errorf(CodeForbidden, "only the system records inbound messages")
	}
	if strings.TrimSpace(text) == "" {
		return nil, FieldError("text", "text must not be empty")
	}
	if at.IsZero() {
		return nil, FieldError("timestamp", "an inbound message needs the time it was sent")
	}
	return s.recordInbound(ctx, conversationID, &Message{ID: NewID(PrefixMessage), WorkspaceID: p.WorkspaceID,
		Direction: DirectionInbound, AuthorKind: AuthorContact, Type: MessageText, Text: text,
		Status: DeliveryReceived, CreatedAt: at, UpdatedAt: s.now()})
}

// recordInbound stores a customer's message in a conversation. A customer
// reply brings a pending_customer conversation back to open.
func (s *Service) recordInbound(ctx context.Context, conversationID string, msg *Message) (*Message, error) {
	_, err := s.recordInboundIn(ctx, &Conversation{ID: conversationID}, msg)
	if err != nil {
		return nil, err
	}
	return msg, nil
}

// recordInboundIn is recordInbound in a conversation the caller has read
// in this transaction (only its ID when Version is 0, and it is read
// here); it returns the conversation as saved.
func (s *Service) recordInboundIn(ctx context.Context, loaded *Conversation, msg *Message) (*Conversation, error) {
	return s.changeLoaded(ctx, loaded, func(p Principal, c *Conversation) (string, map[string]any, error) {
		msg.ConversationID, msg.AuthorID = c.ID, c.ContactID
		if msg.ChannelID == "" {
			msg.ChannelID = c.ChannelID
		}
		at := msg.CreatedAt
		// Meta redelivers late and out of order: an old message must not
		// move the conversation back in the inbox.
		if c.LastCustomerMessageAt == nil || at.After(*c.LastCustomerMessageAt) {
			c.LastCustomerMessageAt = &at
		}
		if at.After(c.LastActivityAt) {
			c.LastActivityAt = at
		}
		if c.Status == StatusPendingCustomer {
			c.Status = StatusOpen
		}
		c.noteCustomerMessage(at)
		if msg.Referral != nil && c.LeadSource == nil {
			c.LeadSource = msg.Referral
		}
		return EventMessageCreated, map[string]any{"message_id": msg.ID, "direction": string(msg.Direction)}, nil
	}, func(ctx context.Context) error { return s.store.CreateMessage(ctx, msg) })
}
