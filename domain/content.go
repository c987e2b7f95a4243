package domain

// The structured content of a message beside its Text. Text always holds a
// readable rendering for inbox lists (body, caption, chosen option, emoji,
// contact names...); these fields keep what automation and front-ends need.

// MediaState is where a message's file is: an inbound file is pending until
// the download job stores it; an outbound upload is ready from the start.
type MediaState string

const (
	MediaPending MediaState = "pending"
	MediaReady   MediaState = "ready"
	MediaFailed  MediaState = "failed"
)

// Media is the file of an image, audio, video, document or sticker message.
type Media struct {
	// ProviderID is Meta's media id: what an inbound webhook names, or what
	// the send worker got back when it uploaded our file.
	ProviderID string
	// Link is a public URL Meta fetches itself (outbound by link).
	Link string
	// UploadID names the file in our blob store (MediaUpload or download).
	UploadID string
	MimeType string
	Filename string
	Caption  string
	SHA256   string // hex of the stored bytes, or Meta's base64 until then
	Size     int64
	Voice    bool // an audio recorded as a voice note
	State    MediaState
	Error    string // why a download failed
}

// Location is a shared or sent pin.
type Location struct {
	Latitude  float64
	Longitude float64
	Name      string
	Address   string
	URL       string
}

// SharedContact is one contact card a customer shared.
type SharedContact struct {
	Name    string
	Company string
	Phones  []SharedPhone
}

// SharedPhone is one phone of a shared contact; WaID is set when the
// number is on WhatsApp.
type SharedPhone struct {
	Phone string
	WaID  string
	Type  string
}

// Interactive kinds: what we send (buttons, list) and what comes back.
const (
	InteractiveButtons     = "button"       // outbound reply buttons
	InteractiveList        = "list"         // outbound list
	InteractiveButtonReply = "button_reply" // the customer tapped a reply button
	InteractiveListReply   = "list_reply"   // the customer chose a list row
	InteractiveFlowReply   = "nfm_reply"    // a WhatsApp Flow answer
	InteractiveQuickReply  = "quick_reply"  // a template's quick-reply button
)

// Interactive is an outbound buttons/list message or the customer's answer
// to one. For answers ReplyID is the id we gave the option (the payload for
// a template quick reply), which is what a bot routes on.
type Interactive struct {
	Kind       string
	Header     string
	Footer     string
	Buttons    []ReplyButton
	ListButton string
	Sections   []ListSection
	// The customer's answer.
	ReplyID          string
	ReplyTitle       string
	ReplyDescription string
	ResponseJSON     string // a Flow's answer as Meta sent it
}

// ReplyButton is one quick-reply button (at most 3 per message).
type ReplyButton struct {
	ID    string
	Title string
}

// ListSection groups the rows of a list message (at most 10 rows in all).
type ListSection struct {
	Title string
	Rows  []ListRow
}

// ListRow is one choice of a list message.
type ListRow struct {
	ID          string
	Title       string
	Description string
}

// Reaction is an emoji on an earlier message; an empty Emoji removes it.
type Reaction struct {
	TargetID         string // our id of the message reacted to, when known
	TargetProviderID string // its wamid
	Emoji            string
}

// Order is a cart a customer sent from a catalog.
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

// SystemNotice is a notice from WhatsApp, e.g. "user_changed_number" with
// the customer's new wa_id.
type SystemNotice struct {
	Kind      string
	Body      string
	NewWaID   string // user_changed_number
	NewUserID string // user_changed_user_id
}
