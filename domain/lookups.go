package domain

import "context"

// Page keys: the (time, id) each listing is ordered by. Persistence pages by
// them (MakePage's key) and adapters render per-item cursors from them, so a
// cursor taken from any item of a page resumes right after that item.

// PageKey orders the inbox: last activity, then id.
func (c *Conversation) PageKey() Cursor { return Cursor{Time: c.LastActivityAt, ID: c.ID} }

// PageKey orders a conversation's messages by creation.
func (m *Message) PageKey() Cursor { return Cursor{Time: m.CreatedAt, ID: m.ID} }

// PageKey orders a conversation's notes by creation.
func (n *Note) PageKey() Cursor { return Cursor{Time: n.CreatedAt, ID: n.ID} }

// PageKey orders tasks by creation.
func (t *Task) PageKey() Cursor { return Cursor{Time: t.CreatedAt, ID: t.ID} }

// PageKey orders contacts by creation.
func (c *Contact) PageKey() Cursor { return Cursor{Time: c.CreatedAt, ID: c.ID} }

// PageKey orders users by creation.
func (u *User) PageKey() Cursor { return Cursor{Time: u.CreatedAt, ID: u.ID} }

// Task returns one task the caller may see: a task on a conversation is
// visible to those who see the conversation. Errors: not_found.
func (s *Service) Task(ctx context.Context, id string) (*Task, error) {
	if _, err := principal(ctx); err != nil {
		return nil, err
	}
	if !ValidID(PrefixTask, id) {
		return nil, NotFound("task")
	}
	t, err := s.store.FindTask(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.ConversationID != "" {
		if _, err := s.Conversation(ctx, t.ConversationID); err != nil {
			return nil, NotFound("task")
		}
	}
	return t, nil
}

// Message returns one message of a conversation the caller may see.
// Errors: not_found.
func (s *Service) Message(ctx context.Context, id string) (*Message, error) {
	if !ValidID(PrefixMessage, id) {
		return nil, NotFound("message")
	}
	m, err := s.store.FindMessage(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Conversation(ctx, m.ConversationID); err != nil {
		return nil, NotFound("message")
	}
	return m, nil
}

// Note returns one note of a conversation the caller may see.
// Errors: not_found.
func (s *Service) Note(ctx context.Context, id string) (*Note, error) {
	if !ValidID(PrefixNote, id) {
		return nil, NotFound("note")
	}
	n, err := s.store.FindNote(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Conversation(ctx, n.ConversationID); err != nil {
		return nil, NotFound("note")
	}
	return n, nil
}

// MessagesByIDs loads the messages among ids that the caller may see (the
// messages one message points at: the quoted one, a reaction's target).
// Unknown, foreign and invisible ids are left out.
func (s *Service) MessagesByIDs(ctx context.Context, ids []string) ([]*Message, error) {
	found, err := s.store.FindMessagesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	visible := map[string]bool{}
	out := found[:0]
	for _, m := range found {
		ok, seen := visible[m.ConversationID]
		if !seen {
			_, err := s.Conversation(ctx, m.ConversationID)
			if err != nil && ErrorCode(err) != CodeNotFound {
				return nil, err
			}
			ok = err == nil
			visible[m.ConversationID] = ok
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}
