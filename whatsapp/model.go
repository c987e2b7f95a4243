package whatsapp

import (
	"encoding/json"
	"time"

	"github.com/centralita/centralita/domain"
)

// Delivery is one webhook POST, flattened for the adapter.
type Delivery struct {
	Object  string
	Changes []Change
	// Problems lists items that were skipped or only partly understood. A
	// non-empty list never means the rest of the delivery is unusable.
	Problems []ItemProblem
}

// ItemProblem points at one item of the payload the parser could not fully
// use. Path is JSON-ish, e.g. "entry[0].changes[1].value.messages[3]".
type ItemProblem struct {
	Path   string
	Reason string
}

// Change is one entry[].changes[] element. Routing uses PhoneNumberID (our
// business number) and WABAID; both come from Meta and must be checked
// against the channel that owns them (reliability T10).
type Change struct {
	WABAID             string
	Field              string // "messages", "user_id_update", ...
	MessagingProduct   string
	DisplayPhoneNumber string // display only: may be formatted, never parse it
	PhoneNumberID      string
	Contacts           []ContactProfile
	Messages           []InboundMessage
	Statuses           []StatusUpdate
	Errors             []Error // value.errors: app/system-level problems
	UserIDUpdates      []UserIDUpdate
	// Value is the raw change value, kept for fields this package does not
	// model (template status updates, account alerts, ...).
	Value json.RawMessage
}

// ContactProfile is one value.contacts[] element: who the user is.
type ContactProfile struct {
	WaID         string // digits, no "+"; empty or absent for BSUID-only users
	UserID       string // business-scoped user id (2026)
	ParentUserID string
	Name         string
	Username     string
}

// InboundMessage is one value.messages[] element.
type InboundMessage struct {
	ProviderMessageID string // wamid; opaque, store as text
	From              string // user's wa_id; may be empty (BSUID-only)
	FromUserID        string // BSUID when present
	FromParentUserID  string
	ProfileName       string
	GroupID           string
	Timestamp         time.Time // zero when Meta's value was unusable (see Problems)
	Type              domain.MessageType
	RawType           string // the wire "type", e.g. "unknown", "edit", "poll"
	UnsupportedType   string // unsupported.type, e.g. "edit"
	// Text is a human-readable rendering for the inbox: body, caption,
	// button/list title, reaction emoji, contact names, location name...
	Text        string
	Media       *Media
	Location    *Location
	Contacts    []ContactCard
	Interactive *InteractiveReply
	Button      *ButtonReply
	Reaction    *Reaction
	Order       *Order
	System      *System
	Context     *MessageContext
	Referral    *Referral
	Errors      []Error
	Raw         json.RawMessage
}

// Media describes an inbound image, audio, video, document or sticker.
// URL is present only in payloads from Nov 2025 on; otherwise resolve ID
// with Client.GetMediaURL. Both expire (§7): download eagerly.
type Media struct {
	ID       string
	MimeType string
	SHA256   string // base64 in webhooks
	Caption  string
	Filename string
	URL      string
	Voice    bool
	Animated bool
}

// Location is a shared pin.
type Location struct {
	Lat, Lng float64
	Name     string
	Address  string
	URL      string
}

// ContactCard is one shared contact (vCard-like). Raw keeps the fields not
// modelled here (emails, addresses, urls, birthday).
type ContactCard struct {
	FormattedName string
	FirstName     string
	LastName      string
	Company       string
	Phones        []ContactPhone
	Raw           json.RawMessage
}

// ContactPhone is one phone of a shared contact; WaID is set only when the
// number is on WhatsApp.
type ContactPhone struct {
	Phone string
	WaID  string
	Type  string
}

// Interactive reply kinds.
const (
	InteractiveButtonReply = "button_reply"
	InteractiveListReply   = "list_reply"
	InteractiveNFMReply    = "nfm_reply"
)

// InteractiveReply is the user's answer to our interactive message.
type InteractiveReply struct {
	Kind        string // button_reply | list_reply | nfm_reply | unknown subtype as sent
	ID          string
	Title       string
	Description string
	// ResponseJSON is the WhatsApp Flow answer, kept as the string Meta sent
	// (it contains flow_token); Name/Body are "flow"/"Sent".
	ResponseJSON string
	Name         string
	Body         string
}

// ButtonReply is a tap on a template quick-reply button.
type ButtonReply struct {
	Payload string
	Text    string
}

// Reaction to an earlier message. Meta signals removal by omitting the
// emoji; SDK data shows an empty string too. Both set Removed.
type Reaction struct {
	MessageID string
	Emoji     string
	Removed   bool
}

// Order is a cart sent from a catalog.
type Order struct {
	CatalogID string
	Text      string
	Items     []OrderItem
}

// OrderItem is one product line of an Order.
type OrderItem struct {
	ProductRetailerID string
	Quantity          float64
	ItemPrice         float64
	Currency          string
}

// System is a notice from WhatsApp. For "user_changed_number" NewWaID is
// the user's new wa_id; for "user_changed_user_id" NewUserID is the new BSUID.
type System struct {
	Type            string
	Body            string
	NewWaID         string
	NewUserID       string
	NewParentUserID string
}

// MessageContext says what an inbound message refers to.
type MessageContext struct {
	From                string // our business number for replies
	ID                  string // quoted wamid
	Forwarded           bool
	FrequentlyForwarded bool
	ReferredProduct     *ReferredProduct
}

// ReferredProduct is set when the user tapped "Message business" on a product.
type ReferredProduct struct {
	CatalogID         string
	ProductRetailerID string
}

// Referral is set on the first message from a Click-to-WhatsApp ad or post.
type Referral struct {
	SourceURL          string
	SourceID           string
	SourceType         string
	Body               string
	Headline           string
	MediaType          string
	ImageURL           string
	VideoURL           string
	ThumbnailURL       string
	CtwaClid           string // absent for ads shown in Status and in older payloads
	WelcomeMessageText string
}

// Error is an asynchronous error reported by Meta inside a webhook.
type Error struct {
	Code    int
	Title   string
	Message string
	Details string // error_data.details, or the legacy flat details
	Href    string
}

// StatusUpdate is one value.statuses[] element: the fate of a message we sent.
type StatusUpdate struct {
	ProviderMessageID      string
	Status                 string // sent, delivered, read, played, failed; unknown values kept as-is
	Timestamp              time.Time
	RecipientID            string
	RecipientType          string
	RecipientUserID        string
	RecipientParentUserID  string
	RecipientParticipantID string
	BizOpaqueCallbackData  string
	Errors                 []Error
	Pricing                *Pricing
	Conversation           *Conversation
	Raw                    json.RawMessage
}

// DeliveryStatus maps Meta's status to the domain lattice. ok is false for
// values outside it (e.g. "deleted", "in_orbit"), which callers should log
// and ignore rather than fail on.
func (s StatusUpdate) DeliveryStatus() (status domain.DeliveryStatus, ok bool) {
	switch s.Status {
	case "sent":
		return domain.DeliverySent, true
	case "delivered":
		return domain.DeliveryDelivered, true
	case "read":
		return domain.DeliveryRead, true
	case "played":
		return domain.DeliveryPlayed, true
	case "failed":
		return domain.DeliveryFailed, true
	}
	return "", false
}

// Pricing is present once per charged message.
type Pricing struct {
	Billable     *bool
	PricingModel string // CBP, PMP
	Type         string // regular, free_customer_service, free_entry_point
	Category     string
}

// Conversation is the pre-v24 conversation object of a status.
type Conversation struct {
	ID         string
	OriginType string
	ExpiresAt  time.Time
}

// UserIDUpdate is one user_id_update item: a user's BSUID rotated.
type UserIDUpdate struct {
	WaID                 string
	Detail               string
	PreviousUserID       string
	CurrentUserID        string
	PreviousParentUserID string
	CurrentParentUserID  string
	Timestamp            time.Time
}
