package domain

import "time"

// Direction says whether a message came from the customer or went to them.
type Direction string

const (
	DirectionInbound  Direction = "inbound"
	DirectionOutbound Direction = "outbound"
)

// AuthorKind says who wrote a message.
type AuthorKind string

const (
	AuthorContact AuthorKind = "contact"
	AuthorAgent   AuthorKind = "agent"
	AuthorBot     AuthorKind = "bot"
	AuthorSystem  AuthorKind = "system"
)

// MessageType is the WhatsApp message type (text, image, audio, ...).
type MessageType string

const (
	MessageText        MessageType = "text"
	MessageImage       MessageType = "image"
	MessageAudio       MessageType = "audio"
	MessageVideo       MessageType = "video"
	MessageDocument    MessageType = "document"
	MessageSticker     MessageType = "sticker"
	MessageLocation    MessageType = "location"
	MessageContacts    MessageType = "contacts"
	MessageInteractive MessageType = "interactive"
	MessageButton      MessageType = "button"
	MessageReaction    MessageType = "reaction"
	MessageOrder       MessageType = "order"
	MessageSystem      MessageType = "system"
	MessageTemplate    MessageType = "template"
	// MessageRequestWelcome is a customer opening a new thread with the
	// business (Meta's welcome-message component): it has no content, but
	// it opens the customer-service window.
	MessageRequestWelcome MessageType = "request_welcome"
	MessageUnsupported    MessageType = "unsupported"
)

// Known reports whether t is one of the types above: the APIs render only
// those, so anything else is stored as unsupported.
func (t MessageType) Known() bool {
	switch t {
	case MessageText, MessageImage, MessageAudio, MessageVideo, MessageDocument, MessageSticker,
		MessageLocation, MessageContacts, MessageInteractive, MessageButton, MessageReaction, MessageOrder,
		MessageSystem, MessageTemplate, MessageRequestWelcome, MessageUnsupported:
		return true
	}
	return false
}

// DeliveryStatus tracks an outbound message. It only moves forward:
// queued < sent < failed < delivered < read < played. A failure ends a
// message unless a receipt proves it reached the customer: Meta's order is
// not guaranteed, and a send we gave up on may have got through after all.
type DeliveryStatus string

const (
	DeliveryQueued    DeliveryStatus = "queued"
	DeliverySent      DeliveryStatus = "sent"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryRead      DeliveryStatus = "read"
	DeliveryPlayed    DeliveryStatus = "played"
	DeliveryFailed    DeliveryStatus = "failed"
	// DeliveryReceived is the status of every inbound message.
	DeliveryReceived DeliveryStatus = "received"
)

func (s DeliveryStatus) rank() int {
	switch s {
	case DeliveryQueued:
		return 1
	case DeliverySent:
		return 2
	case DeliveryFailed:
		return 3
	case DeliveryDelivered:
		return 4
	case DeliveryRead:
		return 5
	case DeliveryPlayed:
		return 6
	}
	return 0
}

// Advances reports whether moving from s to next is a forward step.
func (s DeliveryStatus) Advances(next DeliveryStatus) bool {
	return next.rank() > s.rank()
}

// Message is one message of a conversation.
type Message struct {
	ID             string
	WorkspaceID    string
	ConversationID string
	ChannelID      string
	Direction      Direction
	AuthorKind     AuthorKind
	AuthorID       string // user id for agents
	Type           MessageType
	Text           string
	// PreviewURL asks WhatsApp to render the first link of an outbound
	// text as a preview.
	PreviewURL bool
	// ReplyToID is the message this one quotes (replies in context);
	// ReplyToProviderID is its wamid, kept even when we do not have it.
	ReplyToID         string
	ReplyToProviderID string
	Forwarded         bool
	// Structured content by type (see content.go); nil when not relevant.
	Media       *Media
	Location    *Location
	Contacts    []SharedContact
	Interactive *Interactive
	Reaction    *Reaction
	Order       *Order
	System      *SystemNotice
	// ProviderMessageID is Meta's wamid, unique per channel.
	ProviderMessageID string
	// IdempotencyKey is the client's key for an outbound send, unique per
	// workspace: a retried request gets this message back.
	IdempotencyKey string
	// Referral is the Click-to-WhatsApp ad this message came from, if any.
	Referral *Referral
	// Template is what an outbound template message asks Meta to send;
	// a media header's file is the message's Media.
	Template *TemplateMessage
	// MarkedReadAt is when we told WhatsApp an inbound message (or a later
	// one, which covers it) was read; nil until then.
	MarkedReadAt *time.Time
	Status       DeliveryStatus
	ErrorCode    string
	ErrorTitle   string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MaxTextLength is WhatsApp's limit on a text message body.
const MaxTextLength = 4096

// Note is an internal note on a conversation, never sent to the customer.
type Note struct {
	ID             string
	WorkspaceID    string
	ConversationID string
	AuthorID       string
	Body           string
	CreatedAt      time.Time
}

// Task is a follow-up on a conversation or a contact.
type Task struct {
	ID             string
	WorkspaceID    string
	ConversationID string
	ContactID      string
	Title          string
	DueAt          *time.Time
	AssigneeID     string
	CreatedByID    string
	Done           bool
	DoneAt         *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NewTask is the input for creating a task. ConversationID is set from the
// route; a task without one must name a ContactID.
type NewTask struct {
	ConversationID string
	ContactID      string
	Title          string
	DueAt          *time.Time
	AssigneeID     string
}

// TemplateMessage is an approved WhatsApp template with the values of its
// placeholders. Values are all positional ({{1}}, {{2}} ...) or all named
// ({{first_name}}), as the template was approved.
type TemplateMessage struct {
	Name     string
	Language string          // the approved translation, e.g. es, es_MX, pt_BR
	Params   []TemplateParam // body values
	Header   *TemplateHeader
	Buttons  []TemplateButton
}

// TemplateParam is one body value; Name is empty for positional templates.
type TemplateParam struct {
	Name  string
	Value string
}

// Template header kinds.
const (
	TemplateHeaderText     = "text"
	TemplateHeaderImage    = "image"
	TemplateHeaderVideo    = "video"
	TemplateHeaderDocument = "document"
)

// TemplateHeader fills a template's header: a text value, or the file of
// an image, video or document header (kept as the message's Media).
type TemplateHeader struct {
	Type  string
	Name  string // named templates: the text placeholder's name
	Value string // text headers
}

// Template button kinds that take a value.
const (
	TemplateButtonQuickReply = "quick_reply" // Value is the payload sent back on a tap
	TemplateButtonURL        = "url"         // Value completes the button's dynamic URL
)

// TemplateButton fills the button at Index (0-based, as approved).
type TemplateButton struct {
	Index int
	Type  string
	Value string
}
