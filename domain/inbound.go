package domain

import (
	"context"
	"strings"
	"time"

	"github.com/centralita/centralita/domain/cleantext"
)

// InboundMessage is a customer's message as a channel adapter hands it over,
// already routed to its channel.
type InboundMessage struct {
	ProviderMessageID string // Meta's wamid: a redelivery is a no-op
	// WaID and UserID identify the sender: the phone-based wa_id when Meta
	// sends one, the business-scoped user id (BSUID) otherwise or beside it.
	WaID              string
	UserID            string
	ProfileName       string
	Timestamp         time.Time // when the customer sent it; zero means unknown
	Type              MessageType
	Text              string
	ReplyToProviderID string
	Forwarded         bool
	Referral          *Referral
	// Structured content by type, as on Message. An inbound Media needs
	// its ProviderID; the domain sets its state and downloads it.
	Media       *Media
	Location    *Location
	Contacts    []SharedContact
	Interactive *Interactive
	Reaction    *Reaction
	Order       *Order
	System      *SystemNotice
}

// Referral is the Click-to-WhatsApp ad (or post) a conversation came from.
type Referral struct {
	SourceID   string
	SourceType string
	SourceURL  string
	Headline   string
	Body       string
	CtwaClid   string
}

// StatusUpdate is a delivery receipt for an outbound message.
type StatusUpdate struct {
	ProviderMessageID string
	Status            DeliveryStatus
	Timestamp         time.Time
	ErrorCode         string
	ErrorTitle        string
	// CallbackMessageID is our message id, echoed by Meta from the send's
	// biz_opaque_callback_data: it identifies the message even before its
	// wamid was recorded.
	CallbackMessageID string
}

// InboundStore holds what the inbound path needs beyond the other ports.
type InboundStore interface {
	// FindChannelByPhoneNumberID is unscoped: it routes a webhook to its
	// workspace before one is known.
	FindChannelByPhoneNumberID(ctx context.Context, phoneNumberID string) (*Channel, error)
	// FindSealedAppSecrets is unscoped too: the sealed app secrets of the
	// channels that have their own, in every workspace.
	FindSealedAppSecrets(ctx context.Context) ([]string, error)
	FindContactByWaID(ctx context.Context, waID string) (*Contact, error)
	// FindContactByUserID finds a contact by BSUID.
	FindContactByUserID(ctx context.Context, userID string) (*Contact, error)
	// FindContactByPhone returns the live contact with that E.164 number
	// (one at most).
	FindContactByPhone(ctx context.Context, phoneE164 string) (*Contact, error)
	// FindSender finds a message's sender in one lookup: by BSUID, else
	// wa_id, else the oldest contact with the E.164 number; empty ids are
	// skipped. TagIDs are not loaded (nothing on the inbound path reads
	// them from this contact).
	FindSender(ctx context.Context, waID, userID, phoneE164 string) (*Contact, error)
	// FindInboundConversation is FindActiveConversation with what the
	// inbound path decides on, in the same read.
	FindInboundConversation(ctx context.Context, contactID, channelID string) (*InboundConversation, error)
	// FindActiveConversation returns the newest conversation of the contact
	// on the channel that is not closed.
	FindActiveConversation(ctx context.Context, contactID, channelID string) (*Conversation, error)
	FindMessageByProviderID(ctx context.Context, channelID, providerMessageID string) (*Message, error)
	// LockMessage reads a message and holds it until the transaction ends,
	// so a receipt and the sender's wamid update cannot interleave.
	LockMessage(ctx context.Context, id string) (*Message, error)
	UpdateMessageDelivery(ctx context.Context, m *Message) error
	// ParkStatus keeps a receipt whose message is not known yet (it can beat
	// the send's response); TakeParkedStatuses hands them over once it is.
	ParkStatus(ctx context.Context, channelID string, st StatusUpdate, at time.Time) error
	TakeParkedStatuses(ctx context.Context, channelID, providerMessageID string) ([]StatusUpdate, error)
	// PruneParkedStatuses deletes receipts parked before cutoff, in every
	// workspace, and says how many.
	PruneParkedStatuses(ctx context.Context, cutoff time.Time) (int64, error)
	// LastRedirectNotice returns when the contact last got the legacy
	// number's auto-reply on that channel, or nil.
	LastRedirectNotice(ctx context.Context, channelID, contactID string) (*time.Time, error)
	// SaveDeadLetter keeps a signed delivery that could not be understood.
	SaveDeadLetter(ctx context.Context, body []byte, reason string, at time.Time) error
}

// InboundConversation is a contact's active conversation on a number, read
// with what storing a customer's message in it depends on, so the hottest
// path reads it once.
type InboundConversation struct {
	*Conversation
	// QueueHasSLA: the conversation's queue has an SLA policy to measure.
	QueueHasSLA bool
	// MayAutomate: a welcome bot (of the number or the workspace, enabled
	// or not) or routing rules exist; when false neither can act.
	MayAutomate bool
}

// ChannelForPhoneNumber routes an inbound delivery. Errors: not_found.
func (s *Service) ChannelForPhoneNumber(ctx context.Context, phoneNumberID string) (*Channel, error) {
	if !digitsOnly(phoneNumberID) {
		return nil, NotFound("channel")
	}
	return s.store.FindChannelByPhoneNumberID(ctx, phoneNumberID)
}

// ChannelAppSecrets returns the distinct app secrets of the numbers that
// have their own, in every workspace. Only the webhook uses it, to
// authenticate a delivery it cannot parse: such a body names no number, so
// only trying every number's secret can tell whether Meta sent it. Numbers
// of one Meta app share its secret, so the list is as long as the apps.
func (s *Service) ChannelAppSecrets(ctx context.Context) ([]string, error) {
	if s.opts.Sealer == nil {
		return nil, nil // no secret can have been stored
	}
	sealed, err := s.store.FindSealedAppSecrets(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var secrets []string
	for _, v := range sealed {
		secret, err := s.opts.Sealer.Open(v)
		if err != nil {
			return nil, err
		}
		if !seen[secret] {
			seen[secret] = true
			secrets = append(secrets, secret)
		}
	}
	return secrets, nil
}

// DeadLetter keeps an authenticated delivery that could not be parsed, so
// nothing acknowledged is lost.
func (s *Service) DeadLetter(ctx context.Context, body []byte, reason string) error {
	// The body is kept as bytes, exactly as Meta sent it; the reason is
	// text that may quote it.
	return s.store.SaveDeadLetter(ctx, body, cleantext.Clean(reason), s.now())
}

// ReceiveMessage records a customer's message on a channel: the contact is
// found or created by wa_id, the active conversation found or opened, and
// the message stored once per wamid. It reports false for a redelivery.
// ctx must act as the system in the channel's workspace.
// Errors: forbidden, invalid.
func (s *Service) ReceiveMessage(ctx context.Context, ch *Channel, in InboundMessage) (bool, error) {
	// Meta's text may carry NUL or invalid UTF-8, which Postgres refuses: it
	// is stored cleaned, never refused, so nothing acknowledged is lost.
	cleantext.CleanAll(&in)
	p, err := principal(ctx)
	if err != nil {
		return false, err
	}
	if !p.System || p.WorkspaceID != ch.WorkspaceID {
		return false, Errorf(CodeForbidden, "only the channel's workspace system records inbound messages")
	}
	if in.ProviderMessageID == "" || len(in.ProviderMessageID) > 255 {
		return false, FieldError("id", "an inbound message needs its provider id")
	}
	if err := in.identifySender(); err != nil {
		return false, err
	}
	if in.Timestamp.IsZero() {
		in.Timestamp = s.now()
	}
	in.Timestamp = in.Timestamp.UTC()
	// Concurrent deliveries race on the contact, the conversation and the
	// wamid itself. A lost race aborts the transaction (on Postgres it cannot
	// continue), so the whole write is retried on fresh state; only a wamid
	// that is really stored counts as a redelivery.
	for attempt := 1; ; attempt++ {
		created, err := s.receiveOnce(ctx, ch, in)
		if ErrorCode(err) != CodeConflict || attempt == maxVersionRetries {
			return created, err
		}
		if _, ferr := s.store.FindMessageByProviderID(ctx, ch.ID, in.ProviderMessageID); ferr == nil {
			return false, nil
		}
	}
}

func (s *Service) receiveOnce(ctx context.Context, ch *Channel, in InboundMessage) (bool, error) {
	created := false
	// Under a savepoint: inside a delivery's transaction (InDelivery) a
	// failure undoes this message alone.
	err := s.store.Savepoint(ctx, func(ctx context.Context) error {
		if _, err := s.store.FindMessageByProviderID(ctx, ch.ID, in.ProviderMessageID); err == nil {
			return nil // a redelivery
		} else if ErrorCode(err) != CodeNotFound {
			return err
		}
		contact, newContact, err := s.contactForSender(ctx, in.WaID, in.UserID, in.ProfileName)
		if err != nil {
			return err
		}
		if in.Referral != nil && contact.LeadSource == nil {
			contact.LeadSource, contact.UpdatedAt = in.Referral, s.now()
			if err := s.store.UpdateContact(ctx, contact); err != nil {
				return err
			}
		}
		active, opened, err := s.activeConversation(ctx, ch, contact, newContact)
		if err != nil {
			return err
		}
		conv := active.Conversation
		msg := &Message{ID: NewID(PrefixMessage), WorkspaceID: ch.WorkspaceID, ConversationID: conv.ID,
			ChannelID: ch.ID, Direction: DirectionInbound, AuthorKind: AuthorContact, AuthorID: contact.ID,
			Type: in.Type, Text: in.Text, ProviderMessageID: in.ProviderMessageID,
			Status: DeliveryReceived, Referral: in.Referral, CreatedAt: in.Timestamp, UpdatedAt: s.now(),
			ReplyToProviderID: in.ReplyToProviderID, Forwarded: in.Forwarded, Media: in.Media,
			Location: in.Location, Contacts: in.Contacts, Interactive: in.Interactive, Reaction: in.Reaction,
			Order: in.Order, System: in.System}
		if !msg.Type.Known() {
			msg.Type = MessageUnsupported
		}
		if err := s.linkQuoted(ctx, msg); err != nil {
			return err
		}
		if !active.QueueHasSLA && !opened {
			ctx = withoutSLA(ctx, conv.QueueID)
		}
		stored, err := s.recordInboundIn(ctx, conv, msg)
		if err != nil {
			return err
		}
		var automation *InboundConversation
		if !opened {
			automation = &InboundConversation{Conversation: stored, MayAutomate: active.MayAutomate}
		}
		if err := s.welcomeBotStep(ctx, ch, conv.ID, msg, automation); err != nil {
			return err
		}
		if opened {
			if err := s.afterRouting(ctx, conv.ID); err != nil {
				return err
			}
		}
		if err := s.followNumberChange(ctx, contact, msg.System); err != nil {
			return err
		}
		if msg.Media != nil && msg.Media.ProviderID != "" {
			// The media URL expires within minutes: fetch it now, durably.
			if err := s.store.Enqueue(ctx, JobMediaDownload, msg.ID); err != nil {
				return err
			}
		}
		created = true
		if ch.Mode == ChannelModeRedirect {
			return s.redirectFromLegacy(ctx, ch, conv, contact, in.Timestamp)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// linkQuoted resolves the wamids an inbound message refers to (the message
// it replies to, the one it reacts to) to our ids when we have them, and
// marks inbound media as pending download.
func (s *Service) linkQuoted(ctx context.Context, m *Message) error {
	resolve := func(wamid string) (string, error) {
		if wamid == "" {
			return "", nil
		}
		q, err := s.store.FindMessageByProviderID(ctx, m.ChannelID, wamid)
		if ErrorCode(err) == CodeNotFound {
			return "", nil // quoted before our time, or on another number
		}
		if err != nil {
			return "", err
		}
		return q.ID, nil
	}
	var err error
	if m.ReplyToID, err = resolve(m.ReplyToProviderID); err != nil {
		return err
	}
	if m.Reaction != nil {
		if m.Reaction.TargetID, err = resolve(m.Reaction.TargetProviderID); err != nil {
			return err
		}
	}
	if m.Media != nil {
		m.Media.State = MediaPending
		if m.Media.ProviderID == "" {
			m.Media.State, m.Media.Error = MediaFailed, "WhatsApp sent no media id"
		}
	}
	return nil
}

// activeConversation finds the contact's conversation on the number, or
// opens one (opened) that is routed and assigned once its first message
// is stored. Only a found conversation carries the InboundConversation
// hints; an opened one's are false.
// A new contact has no conversation to look for.
func (s *Service) activeConversation(ctx context.Context, ch *Channel, contact *Contact, newContact bool) (*InboundConversation, bool, error) {
	if newContact {
		c, err := s.openConversation(ctx, NewConversation{ContactID: contact.ID, ChannelID: ch.ID,
			knownContact: contact, knownChannel: ch})
		return &InboundConversation{Conversation: c, QueueHasSLA: true, MayAutomate: true}, err == nil, err
	}
	found, err := s.store.FindInboundConversation(ctx, contact.ID, ch.ID)
	if ErrorCode(err) == CodeNotFound {
		c, opened, err := s.followUpConversation(ctx, ch, contact)
		// A reopened conversation is measured and automated as usual.
		return &InboundConversation{Conversation: c, QueueHasSLA: true, MayAutomate: true}, opened, err
	}
	return found, false, err
}

// ApplyStatus moves an outbound message's delivery status forward, never
// back; a receipt for a message not recorded yet is parked. Redelivered and
// out-of-order receipts change nothing.
func (s *Service) ApplyStatus(ctx context.Context, ch *Channel, st StatusUpdate) error {
	cleantext.CleanAll(&st) // as ReceiveMessage: stored cleaned, never refused
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.System || p.WorkspaceID != ch.WorkspaceID {
		return Errorf(CodeForbidden, "only the channel's workspace system records receipts")
	}
	if st.ProviderMessageID == "" || st.Status.rank() == 0 || st.Status == DeliveryQueued {
		return nil // unknown receipts (deleted, nonsense) are ignored
	}
	return s.store.Savepoint(ctx, func(ctx context.Context) error { // as receiveOnce
		m, err := s.store.FindMessageByProviderID(ctx, ch.ID, st.ProviderMessageID)
		if err == nil {
			if m, err = s.store.LockMessage(ctx, m.ID); err != nil {
				return err
			}
			return s.advance(ctx, m, []StatusUpdate{st}, false)
		}
		if ErrorCode(err) != CodeNotFound {
			return err
		}
		// The receipt beat the sender's bookkeeping (or the sender died
		// after Meta accepted the message): our id in the callback data
		// names the message, which then learns its wamid here.
		if ValidID(PrefixMessage, st.CallbackMessageID) {
			m, err := s.store.LockMessage(ctx, st.CallbackMessageID)
			if err == nil && m.ChannelID == ch.ID && m.Direction == DirectionOutbound &&
				(m.ProviderMessageID == "" || m.ProviderMessageID == st.ProviderMessageID) {
				m.ProviderMessageID = st.ProviderMessageID
				// The send whose answer was lost is answered now.
				if err := s.store.ClearSendAttempt(ctx, m.ID); err != nil {
					return err
				}
				return s.advance(ctx, m, []StatusUpdate{st}, true)
			}
			if err != nil && ErrorCode(err) != CodeNotFound {
				return err
			}
		}
		return s.store.ParkStatus(ctx, ch.ID, st, s.now())
	})
}

// advance applies receipts to a message in lattice order and saves it when
// anything changed (or when force is set).
func (s *Service) advance(ctx context.Context, m *Message, sts []StatusUpdate, force bool) error {
	changed := false
	for _, st := range sts {
		if m.Direction != DirectionOutbound || !m.Status.Advances(st.Status) {
			continue
		}
		m.Status, changed = st.Status, true
		// The error describes the failure; a message delivered after all
		// has none.
		m.ErrorCode, m.ErrorTitle = "", ""
		if st.Status == DeliveryFailed {
			m.ErrorCode, m.ErrorTitle = st.ErrorCode, st.ErrorTitle
		}
	}
	if !changed && !force {
		return nil
	}
	m.UpdatedAt = s.now()
	if err := s.store.UpdateMessageDelivery(ctx, m); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	return s.record(ctx, EventMessageStatusChanged, m.ID, map[string]any{"message_id": m.ID,
		"conversation_id": m.ConversationID, "status": string(m.Status)})
}

// RecordSent stores the wamid Meta returned for an outbound message and
// applies any receipt that arrived before it. The send worker calls it.
// Errors: not_found, invalid.
func (s *Service) RecordSent(ctx context.Context, messageID, providerMessageID string) (*Message, error) {
	if providerMessageID == "" {
		return nil, FieldError("provider_message_id", "provider_message_id is required")
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.System {
		return nil, Errorf(CodeForbidden, "only the send worker records sends")
	}
	var out *Message
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		if m.Direction != DirectionOutbound {
			return FieldError("message_id", "only outbound messages are sent")
		}
		m.ProviderMessageID = providerMessageID
		if err := s.store.ClearSendAttempt(ctx, m.ID); err != nil {
			return err
		}
		parked, err := s.store.TakeParkedStatuses(ctx, m.ChannelID, providerMessageID)
		if err != nil {
			return err
		}
		if err := s.advance(ctx, m, append([]StatusUpdate{{Status: DeliverySent}}, parked...), true); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

// LegacyTagName tags conversations that came through a number in redirect
// mode, so the team sees who still writes to the old number.
const LegacyTagName = "numero-antiguo"

// redirectFromLegacy runs when a customer writes to a legacy number: the
// conversation is tagged, and the customer is told the official number with
// a wa.me link, at most once per RedirectEvery and only until the sunset.
func (s *Service) redirectFromLegacy(ctx context.Context, ch *Channel, conv *Conversation, contact *Contact, sentAt time.Time) error {
	tag, err := s.tagNamed(ctx, LegacyTagName)
	if err != nil {
		return err
	}
	if _, err := s.TagConversation(ctx, conv.ID, tag.ID, true); err != nil {
		return err
	}
	now := s.now()
	if ch.RedirectUntil != nil && !now.Before(*ch.RedirectUntil) {
		return nil
	}
	// Meta redelivers for days: a stale message gets no automatic answer
	// (and its window may be closed anyway).
	if now.Sub(sentAt) > staleAfter {
		return nil
	}
	last, err := s.store.LastRedirectNotice(ctx, ch.ID, contact.ID)
	if err != nil || (last != nil && now.Sub(*last) < ch.RedirectEvery) {
		return err
	}
	official, err := s.officialChannel(ctx)
	if err != nil || official == nil {
		return err // no official number yet: nothing to point to
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, official.DisplayPhoneNumber)
	text := strings.NewReplacer("{official_number}", official.DisplayPhoneNumber,
		"{link}", "https://wa.me/"+digits).Replace(ch.RedirectText)
	// The answer is best-effort: a rule refusing it (window closed,
	// conversation closed) must not undo the customer's message. Database
	// failures still abort, so the delivery is retried.
	_, err = s.sendText(ctx, conv.ID, text, "", BotLegacyRedirect)
	if code := ErrorCode(err); code == CodeInternal || code == CodeUnavailable {
		return err
	}
	return nil
}

// staleAfter is how old a redelivered message may be and still get an
// automatic answer.
const staleAfter = time.Hour

func (s *Service) tagNamed(ctx context.Context, name string) (*Tag, error) {
	tags, err := s.store.FindTags(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		if strings.EqualFold(t.Name, name) {
			return t, nil
		}
	}
	return s.CreateTag(ctx, TagInput{Name: &name, Color: ptrTo("#7f8c8d")})
}

// officialChannel returns the workspace's official number, or nil: there
// is at most one (CreateChannel and UpdateChannel demote the previous one).
func (s *Service) officialChannel(ctx context.Context) (*Channel, error) {
	channels, err := s.store.FindChannels(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range channels {
		if c.Mode == ChannelModeOfficial {
			return c, nil
		}
	}
	return nil, nil
}

func ptrTo[T any](v T) *T { return &v }
