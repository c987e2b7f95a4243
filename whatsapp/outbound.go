package whatsapp

import "encoding/json"

// OutboundMessage is one message to send (§6.1). Set To (or Recipient) and
// exactly one content field; ReplyTo quotes an earlier message (not for
// reactions).
type OutboundMessage struct {
	To string // "+16505551234": always with "+" and country code (§10.1)
	// Recipient is the customer's business-scoped user id (BSUID), for
	// customers known only by it; when To is set too, Meta uses To.
	Recipient             string
	Text                  *OutboundText
	Image                 *OutboundMedia
	Audio                 *OutboundMedia
	Video                 *OutboundMedia
	Document              *OutboundMedia
	Sticker               *OutboundMedia
	Template              *OutboundTemplate
	Interactive           *OutboundInteractive
	Reaction              *OutboundReaction
	ReplyTo               string // context.message_id
	BizOpaqueCallbackData string // echoed in status webhooks
}

// OutboundText is a text body; PreviewURL renders the first http(s) link.
type OutboundText struct {
	Body       string `json:"body"`
	PreviewURL bool   `json:"preview_url,omitempty"`
}

// OutboundMedia points at uploaded media (ID, preferred) or a public Link.
type OutboundMedia struct {
	ID       string `json:"id,omitempty"`
	Link     string `json:"link,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"` // documents only
}

// OutboundTemplate sends an approved template; LanguageCode must match an
// approved translation exactly or Meta answers 132001.
type OutboundTemplate struct {
	Name         string              `json:"name"`
	LanguageCode string              `json:"-"`
	Components   []TemplateComponent `json:"components,omitempty"`
}

// TemplateComponent fills the parameters of a header, body or button.
type TemplateComponent struct {
	Type       string              `json:"type"`               // header | body | button
	SubType    string              `json:"sub_type,omitempty"` // buttons: quick_reply | url
	Index      *int                `json:"index,omitempty"`    // buttons: position
	Parameters []TemplateParameter `json:"parameters,omitempty"`
}

// TemplateParameter is one value. ParameterName is set only for templates
// approved with named parameters ({{first_name}}); positional ones ({{1}})
// leave it empty and rely on order.
type TemplateParameter struct {
	Type          string         `json:"type"` // text | image | document | video | payload ...
	ParameterName string         `json:"parameter_name,omitempty"`
	Text          string         `json:"text,omitempty"`
	Payload       string         `json:"payload,omitempty"`
	Image         *OutboundMedia `json:"image,omitempty"`
	Document      *OutboundMedia `json:"document,omitempty"`
	Video         *OutboundMedia `json:"video,omitempty"`
}

// Interactive message kinds.
const (
	InteractiveKindButton = "button"
	InteractiveKindList   = "list"
)

// OutboundInteractive is a reply-buttons (Kind "button") or list message.
type OutboundInteractive struct {
	Kind       string
	Header     *InteractiveHeader
	Body       string
	Footer     string
	Buttons    []ReplyButton // Kind "button": 1..3
	ListButton string        // Kind "list": label of the button opening the list
	Sections   []ListSection // Kind "list": ≤10 rows in total
}

// InteractiveHeader is a text header, or a media header for reply buttons.
type InteractiveHeader struct {
	Type     string         `json:"type"` // text | image | video | document
	Text     string         `json:"text,omitempty"`
	Image    *OutboundMedia `json:"image,omitempty"`
	Video    *OutboundMedia `json:"video,omitempty"`
	Document *OutboundMedia `json:"document,omitempty"`
}

// ReplyButton is one quick-reply button; the user's tap comes back as an
// interactive button_reply carrying ID and Title.
type ReplyButton struct {
	ID    string
	Title string
}

// ListSection groups list rows.
type ListSection struct {
	Title string    `json:"title,omitempty"`
	Rows  []ListRow `json:"rows"`
}

// ListRow is one choice in a list message.
type ListRow struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// OutboundReaction reacts to MessageID; an empty Emoji removes the reaction.
type OutboundReaction struct {
	MessageID string `json:"message_id"`
	Emoji     string `json:"emoji"`
}

// Type returns the wire type of the content that is set ("" when none).
func (m OutboundMessage) Type() string {
	types := m.contentTypes()
	if len(types) != 1 {
		return ""
	}
	return types[0]
}

func (m OutboundMessage) contentTypes() []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(m.Text != nil, "text")
	add(m.Image != nil, "image")
	add(m.Audio != nil, "audio")
	add(m.Video != nil, "video")
	add(m.Document != nil, "document")
	add(m.Sticker != nil, "sticker")
	add(m.Template != nil, "template")
	add(m.Interactive != nil, "interactive")
	add(m.Reaction != nil, "reaction")
	return out
}

// wireSendRequest is the JSON body of POST /{pnid}/messages. FakeGraph
// decodes requests into the same struct, so client and fake agree on shape.
type wireSendRequest struct {
	MessagingProduct      string               `json:"messaging_product"`
	RecipientType         string               `json:"recipient_type,omitempty"`
	To                    string               `json:"to,omitempty"`
	Recipient             string               `json:"recipient,omitempty"`
	Type                  string               `json:"type,omitempty"`
	Context               *wireSendContext     `json:"context,omitempty"`
	Text                  *OutboundText        `json:"text,omitempty"`
	Image                 *OutboundMedia       `json:"image,omitempty"`
	Audio                 *OutboundMedia       `json:"audio,omitempty"`
	Video                 *OutboundMedia       `json:"video,omitempty"`
	Document              *OutboundMedia       `json:"document,omitempty"`
	Sticker               *OutboundMedia       `json:"sticker,omitempty"`
	Template              *wireTemplate        `json:"template,omitempty"`
	Interactive           *wireInteractiveOut  `json:"interactive,omitempty"`
	Reaction              *OutboundReaction    `json:"reaction,omitempty"`
	BizOpaqueCallbackData string               `json:"biz_opaque_callback_data,omitempty"`
	Status                string               `json:"status,omitempty"`     // mark-as-read: "read"
	MessageID             string               `json:"message_id,omitempty"` // mark-as-read target
	TypingIndicator       *wireTypingIndicator `json:"typing_indicator,omitempty"`
}

type wireSendContext struct {
	MessageID string `json:"message_id"`
}

type wireTypingIndicator struct {
	Type string `json:"type"`
}

type wireTemplate struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []TemplateComponent `json:"components,omitempty"`
}

type wireInteractiveOut struct {
	Type   string             `json:"type"`
	Header *InteractiveHeader `json:"header,omitempty"`
	Body   *wireTextField     `json:"body,omitempty"`
	Footer *wireTextField     `json:"footer,omitempty"`
	Action wireAction         `json:"action"`
}

type wireTextField struct {
	Text string `json:"text"`
}

type wireAction struct {
	Button   string         `json:"button,omitempty"`
	Buttons  []wireReplyBtn `json:"buttons,omitempty"`
	Sections []ListSection  `json:"sections,omitempty"`
}

type wireReplyBtn struct {
	Type  string `json:"type"`
	Reply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"reply"`
}

// wire renders the message as Meta's request body.
func (m OutboundMessage) wire() wireSendRequest {
	w := wireSendRequest{
		MessagingProduct: "whatsapp", RecipientType: "individual", To: m.To, Recipient: m.Recipient, Type: m.Type(),
		Text: m.Text, Image: m.Image, Audio: m.Audio, Video: m.Video, Document: m.Document, Sticker: m.Sticker,
		Reaction: m.Reaction, BizOpaqueCallbackData: m.BizOpaqueCallbackData,
	}
	if m.ReplyTo != "" {
		w.Context = &wireSendContext{MessageID: m.ReplyTo}
	}
	if t := m.Template; t != nil {
		wt := &wireTemplate{Name: t.Name, Components: t.Components}
		wt.Language.Code = t.LanguageCode
		w.Template = wt
	}
	if in := m.Interactive; in != nil {
		wi := &wireInteractiveOut{Type: in.Kind, Header: in.Header}
		if in.Body != "" {
			wi.Body = &wireTextField{Text: in.Body}
		}
		if in.Footer != "" {
			wi.Footer = &wireTextField{Text: in.Footer}
		}
		for _, b := range in.Buttons {
			var wb wireReplyBtn
			wb.Type = "reply"
			wb.Reply.ID, wb.Reply.Title = b.ID, b.Title
			wi.Action.Buttons = append(wi.Action.Buttons, wb)
		}
		wi.Action.Button, wi.Action.Sections = in.ListButton, in.Sections
		w.Interactive = wi
	}
	return w
}

// MarshalJSON renders the exact body SendMessage posts.
func (m OutboundMessage) MarshalJSON() ([]byte, error) { return json.Marshal(m.wire()) }

// outboundFromWire rebuilds an OutboundMessage from a request body so that
// FakeGraph can apply the very same validation as the client.
func outboundFromWire(w wireSendRequest) OutboundMessage {
	m := OutboundMessage{To: w.To, Recipient: w.Recipient, Text: w.Text, Image: w.Image, Audio: w.Audio, Video: w.Video,
		Document: w.Document, Sticker: w.Sticker, Reaction: w.Reaction, BizOpaqueCallbackData: w.BizOpaqueCallbackData}
	if w.Context != nil {
		m.ReplyTo = w.Context.MessageID
	}
	if w.Template != nil {
		m.Template = &OutboundTemplate{Name: w.Template.Name, LanguageCode: w.Template.Language.Code, Components: w.Template.Components}
	}
	if wi := w.Interactive; wi != nil {
		in := &OutboundInteractive{Kind: wi.Type, Header: wi.Header, ListButton: wi.Action.Button, Sections: wi.Action.Sections}
		if wi.Body != nil {
			in.Body = wi.Body.Text
		}
		if wi.Footer != nil {
			in.Footer = wi.Footer.Text
		}
		for _, b := range wi.Action.Buttons {
			in.Buttons = append(in.Buttons, ReplyButton{ID: b.Reply.ID, Title: b.Reply.Title})
		}
		m.Interactive = in
	}
	return m
}
