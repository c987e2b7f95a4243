package domain

import (
	"context"
	"encoding/json"
	"strings"
)

// SendInput is one outbound message: exactly one content, optionally
// quoting an earlier message of the conversation. REST and GraphQL both
// build it, so both get the same rules and defaults.
type SendInput struct {
	Text        *TextInput
	Media       *MediaInput
	Interactive *InteractiveInput
	Reaction    *ReactionInput
	Template    *TemplateInput
	// ReplyToMessageID quotes one of the conversation's messages (our
	// msg_ id); it must have reached WhatsApp (have a wamid).
	ReplyToMessageID string
	// IdempotencyKey makes a retried request return the first message.
	IdempotencyKey string
}

// TextInput is a text message; PreviewURL renders its first link.
type TextInput struct {
	Body       string
	PreviewURL bool
}

// Send stores an outbound message as queued with its delivery job. Only
// templates may go outside the 24-hour window. A retry with the same
// idempotency key returns the first message (replayed true); the same key
// for different content is a conflict.
// Errors: invalid, not_found, forbidden, conflict, precondition_failed.
func (s *Service) Send(ctx context.Context, conversationID string, in SendInput) (*Message, bool, error) {
	draft, err := validateSend(in)
	if err != nil {
		return nil, false, err
	}
	if len(in.IdempotencyKey) > 255 {
		return nil, false, FieldError("idempotency_key", "idempotency key must have at most 255 characters")
	}
	conv, err := s.Conversation(ctx, conversationID)
	if err != nil {
		return nil, false, err
	}
	if err := s.resolveReferences(ctx, conv, in, draft); err != nil {
		return nil, false, err
	}
	return s.sendOnce(ctx, conversationID, draft, in.IdempotencyKey)
}

// validateSend checks what needs no database and builds the draft.
func validateSend(in SendInput) (*Message, error) {
	contents := 0
	for _, set := range []bool{in.Text != nil, in.Media != nil, in.Interactive != nil, in.Reaction != nil, in.Template != nil} {
		if set {
			contents++
		}
	}
	if contents != 1 {
		return nil, FieldError("text", "send exactly one of text, media, interactive, reaction or template")
	}
	var draft *Message
	var err error
	switch {
	case in.Text != nil:
		draft, err = textDraft(in.Text)
	case in.Media != nil:
		draft, err = mediaDraft(in.Media)
	case in.Interactive != nil:
		draft, err = interactiveDraft(in.Interactive)
	case in.Reaction != nil:
		draft, err = reactionDraft(in.Reaction)
	default:
		draft, err = templateDraft(in.Template)
	}
	if err != nil {
		return nil, err
	}
	if in.ReplyToMessageID != "" && in.Reaction != nil {
		return nil, FieldError("reply_to_message_id", "a reaction cannot quote a message")
	}
	return draft, nil
}

func textDraft(in *TextInput) (*Message, error) {
	if strings.TrimSpace(in.Body) == "" {
		return nil, FieldError("text", "text must not be empty")
	}
	if runes(in.Body) > MaxTextLength {
		return nil, FieldError("text", "text must have at most %d characters", MaxTextLength)
	}
	return &Message{Type: MessageText, Text: in.Body, PreviewURL: in.PreviewURL}, nil
}

// resolveReferences fills the draft's pointers to stored things: the
// quoted message, the reacted-to message and uploaded files. Another
// workspace's ids, or another conversation's messages, answer exactly like
// unknown ones.
func (s *Service) resolveReferences(ctx context.Context, conv *Conversation, in SendInput, draft *Message) error {
	if in.ReplyToMessageID != "" {
		target, err := s.messageWithWAMID(ctx, conv, in.ReplyToMessageID, "reply_to_message_id", "quoted")
		if err != nil {
			return err
		}
		draft.ReplyToID, draft.ReplyToProviderID = target.ID, target.ProviderMessageID
	}
	if in.Reaction != nil {
		target, err := s.messageWithWAMID(ctx, conv, in.Reaction.MessageID, "reaction.message_id", "reacted to")
		if err != nil {
			return err
		}
		if target.Type == MessageReaction {
			return FieldError("reaction.message_id", "a reaction cannot be reacted to")
		}
		draft.Reaction.TargetID, draft.Reaction.TargetProviderID = target.ID, target.ProviderMessageID
	}
	if draft.Media != nil && draft.Media.UploadID != "" {
		field := "media"
		if draft.Type == MessageTemplate {
			field = "template.header"
		}
		return s.attachUpload(ctx, draft, field)
	}
	return nil
}

// messageWithWAMID finds a message of conv that WhatsApp knows by its wamid.
func (s *Service) messageWithWAMID(ctx context.Context, conv *Conversation, id, field, role string) (*Message, error) {
	m, err := s.Message(ctx, id)
	if ErrorCode(err) == CodeNotFound || (err == nil && m.ConversationID != conv.ID) {
		return nil, FieldError(field, "no message %s in this conversation", id)
	}
	if err != nil {
		return nil, err
	}
	if m.ProviderMessageID == "" {
		return nil, FieldError(field, "message %s has not reached WhatsApp (it has no wamid yet), so it cannot be %s", id, role)
	}
	return m, nil
}

// sendOnce sends a draft at most once per key.
func (s *Service) sendOnce(ctx context.Context, conversationID string, draft *Message, key string) (msg *Message, replayed bool, err error) {
	if key == "" {
		msg, err = s.send(ctx, conversationID, draft, "", "")
		return msg, false, err
	}
	replay := func() (*Message, bool, error) {
		prior, err := s.store.FindMessageByIdempotencyKey(ctx, key)
		if err != nil {
			return nil, false, err
		}
		if prior.ConversationID != conversationID || sendFingerprint(prior) != sendFingerprint(draft) {
			return nil, false, Errorf(CodeConflict, "this idempotency key was already used for a different message")
		}
		if _, err := s.Conversation(ctx, prior.ConversationID); err != nil {
			return nil, false, err
		}
		return prior, true, nil
	}
	if m, replayed, err := replay(); ErrorCode(err) != CodeNotFound || m != nil {
		return m, replayed, err
	}
	msg, err = s.send(ctx, conversationID, draft, key, "")
	if ErrorCode(err) == CodeConflict {
		// A concurrent request with the same key won the insert.
		if m, replayed, rerr := replay(); rerr == nil {
			return m, replayed, nil
		}
	}
	return msg, false, err
}

// sendFingerprint is everything a send request decided about a message,
// and nothing delivery changed later (status, wamid, Meta's media id), so
// a replayed request can be told from a different one.
func sendFingerprint(m *Message) string {
	type mediaRequest struct{ UploadID, Link, Caption, Filename string }
	fp := struct {
		Type        MessageType
		Text        string
		PreviewURL  bool
		ReplyToID   string
		Media       *mediaRequest
		Interactive *Interactive
		Reaction    *Reaction
		Template    *TemplateMessage
	}{Type: m.Type, Text: m.Text, PreviewURL: m.PreviewURL, ReplyToID: m.ReplyToID,
		Interactive: m.Interactive, Reaction: m.Reaction, Template: m.Template}
	if md := m.Media; md != nil {
		fp.Media = &mediaRequest{UploadID: md.UploadID, Link: md.Link, Caption: md.Caption, Filename: md.Filename}
	}
	// Through JSON and back without empty values: a list stored empty
	// reads back as nil, and must not make a replay look different.
	var tree any
	b, _ := json.Marshal(fp) // plain structs: cannot fail
	_ = json.Unmarshal(b, &tree)
	b, _ = json.Marshal(withoutEmpty(tree))
	return string(b)
}

// withoutEmpty drops nulls, "", false, 0 and empty lists and objects.
func withoutEmpty(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range t {
			if e = withoutEmpty(e); e != nil {
				out[k] = e
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		var out []any
		for _, e := range t {
			out = append(out, withoutEmpty(e))
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case string:
		if t == "" {
			return nil
		}
	case bool:
		if !t {
			return nil
		}
	case float64:
		if t == 0 {
			return nil
		}
	}
	return v
}

func runes(s string) int { return len([]rune(s)) }
