package whatsapp

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/centralita/centralita/domain"
)

// knownTypes maps Meta's wire "type" to the domain type. Types outside this
// map (edit, revoke, unknown, poll, future ones) become unsupported with
// RawType kept, so the inbox can still show "unsupported message".
var knownTypes = map[string]domain.MessageType{
	"text":            domain.MessageText,
	"image":           domain.MessageImage,
	"audio":           domain.MessageAudio,
	"video":           domain.MessageVideo,
	"document":        domain.MessageDocument,
	"sticker":         domain.MessageSticker,
	"location":        domain.MessageLocation,
	"contacts":        domain.MessageContacts,
	"interactive":     domain.MessageInteractive,
	"button":          domain.MessageButton,
	"reaction":        domain.MessageReaction,
	"order":           domain.MessageOrder,
	"system":          domain.MessageSystem,
	"request_welcome": domain.MessageRequestWelcome,
	"unsupported":     domain.MessageUnsupported,
}

// inferOrder is used when "type" is missing: the first payload key present wins.
var inferOrder = []string{"text", "image", "audio", "video", "document", "sticker", "location",
	"contacts", "interactive", "button", "reaction", "order", "system"}

func (p *parser) message(raw json.RawMessage, path string, contacts []ContactProfile) (InboundMessage, bool) {
	var w wireMessage
	if !p.decode(raw, &w, path) {
		return InboundMessage{}, false
	}
	if w.ID == "" {
		// Without a wamid the message cannot be deduplicated or replied to.
		p.problem(path, "message without id")
		return InboundMessage{}, false
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(raw, &fields) // raw is a valid object; type errors impossible

	m := InboundMessage{
		ProviderMessageID: string(w.ID),
		From:              string(w.From),
		FromUserID:        string(w.FromUserID),
		FromParentUserID:  string(w.FromParentUserID),
		GroupID:           string(w.GroupID),
		RawType:           string(w.Type),
		Raw:               append(json.RawMessage(nil), raw...),
	}
	m.Timestamp = p.timestamp(w.Timestamp, path)
	m.ProfileName = profileName(contacts, m.From, m.FromUserID)
	m.Errors = p.errors(w.Errors, path+".errors")
	m.Context = convertContext(w.Context)
	m.Referral = convertReferral(w.Referral)

	rawType := m.RawType
	if rawType == "" {
		for _, k := range inferOrder {
			if _, ok := fields[k]; ok {
				rawType = k
				break
			}
		}
	}
	t, known := knownTypes[rawType]
	if !known {
		t = domain.MessageUnsupported
	}
	m.Type = t
	p.typedPayload(&m, rawType, fields, path)
	m.Text = renderText(&m)
	return m, true
}

// typedPayload decodes the object named after the message type.
func (p *parser) typedPayload(m *InboundMessage, rawType string, fields map[string]json.RawMessage, path string) {
	obj, present := fields[rawType]
	objPath := path + "." + rawType
	switch m.Type {
	case domain.MessageText:
		var w wireText
		if present && p.decode(obj, &w, objPath) {
			m.Text = string(w.Body)
		}
	case domain.MessageImage, domain.MessageAudio, domain.MessageVideo, domain.MessageDocument, domain.MessageSticker:
		var w wireMedia
		if present && p.decode(obj, &w, objPath) {
			m.Media = &Media{ID: string(w.ID), MimeType: string(w.MimeType), SHA256: string(w.SHA256),
				Caption: string(w.Caption), Filename: string(w.Filename), URL: string(w.URL),
				Voice: bool(w.Voice), Animated: bool(w.Animated)}
		}
	case domain.MessageLocation:
		var w wireLocation
		if present && p.decode(obj, &w, objPath) {
			m.Location = &Location{Lat: float64(w.Latitude), Lng: float64(w.Longitude),
				Name: string(w.Name), Address: string(w.Address), URL: string(w.URL)}
		}
	case domain.MessageContacts:
		m.Contacts = p.contactCards(obj, present, objPath)
	case domain.MessageInteractive:
		var w wireInteractive
		if present && p.decode(obj, &w, objPath) {
			m.Interactive = convertInteractive(w)
		}
	case domain.MessageButton:
		var w wireButton
		if present && p.decode(obj, &w, objPath) {
			m.Button = &ButtonReply{Payload: string(w.Payload), Text: string(w.Text)}
		}
	case domain.MessageReaction:
		var w wireReaction
		if present && p.decode(obj, &w, objPath) {
			r := &Reaction{MessageID: string(w.MessageID)}
			if w.Emoji != nil {
				r.Emoji = string(*w.Emoji)
			}
			r.Removed = r.Emoji == ""
			m.Reaction = r
		}
	case domain.MessageOrder:
		var w wireOrder
		if present && p.decode(obj, &w, objPath) {
			o := &Order{CatalogID: string(w.CatalogID), Text: string(w.Text)}
			for _, it := range w.ProductItems {
				o.Items = append(o.Items, OrderItem{ProductRetailerID: string(it.ProductRetailerID),
					Quantity: float64(it.Quantity), ItemPrice: float64(it.ItemPrice), Currency: string(it.Currency)})
			}
			m.Order = o
		}
	case domain.MessageSystem:
		var w wireSystem
		if present && p.decode(obj, &w, objPath) {
			m.System = &System{Type: string(w.Type), Body: string(w.Body), NewWaID: string(w.WaID),
				NewUserID: string(w.UserID), NewParentUserID: string(w.ParentUserID)}
		}
	case domain.MessageUnsupported:
		var w wireUnsupported
		if u, ok := fields["unsupported"]; ok && p.decode(u, &w, path+".unsupported") {
			m.UnsupportedType = string(w.Type)
		}
	}
}

func (p *parser) contactCards(obj json.RawMessage, present bool, path string) []ContactCard {
	if !present {
		return nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(obj, &raws); err != nil {
		p.problem(path, "expected an array of contact cards")
		return nil
	}
	var cards []ContactCard
	for i, rc := range raws {
		var w struct {
			Name struct {
				FormattedName flexString `json:"formatted_name"`
				FirstName     flexString `json:"first_name"`
				LastName      flexString `json:"last_name"`
			} `json:"name"`
			Org struct {
				Company flexString `json:"company"`
			} `json:"org"`
			Phones []struct {
				Phone flexString `json:"phone"`
				WaID  flexString `json:"wa_id"`
				Type  flexString `json:"type"`
			} `json:"phones"`
		}
		if !p.decode(rc, &w, fmt.Sprintf("%s[%d]", path, i)) {
			continue
		}
		card := ContactCard{FormattedName: string(w.Name.FormattedName), FirstName: string(w.Name.FirstName),
			LastName: string(w.Name.LastName), Company: string(w.Org.Company), Raw: append(json.RawMessage(nil), rc...)}
		for _, ph := range w.Phones {
			card.Phones = append(card.Phones, ContactPhone{Phone: string(ph.Phone), WaID: string(ph.WaID), Type: string(ph.Type)})
		}
		cards = append(cards, card)
	}
	return cards
}

func convertInteractive(w wireInteractive) *InteractiveReply {
	r := &InteractiveReply{Kind: string(w.Type)}
	switch {
	case w.ButtonReply != nil && (r.Kind == InteractiveButtonReply || r.Kind == ""):
		r.Kind = InteractiveButtonReply
		r.ID, r.Title = string(w.ButtonReply.ID), string(w.ButtonReply.Title)
	case w.ListReply != nil && (r.Kind == InteractiveListReply || r.Kind == ""):
		r.Kind = InteractiveListReply
		r.ID, r.Title, r.Description = string(w.ListReply.ID), string(w.ListReply.Title), string(w.ListReply.Description)
	case w.NFMReply != nil && (r.Kind == InteractiveNFMReply || r.Kind == ""):
		r.Kind = InteractiveNFMReply
		r.Name, r.Body, r.ResponseJSON = string(w.NFMReply.Name), string(w.NFMReply.Body), string(w.NFMReply.ResponseJSON)
	}
	return r
}

func convertContext(w *wireContext) *MessageContext {
	if w == nil {
		return nil
	}
	c := &MessageContext{From: string(w.From), ID: string(w.ID),
		Forwarded: bool(w.Forwarded), FrequentlyForwarded: bool(w.FrequentlyForwarded)}
	if w.ReferredProduct != nil {
		c.ReferredProduct = &ReferredProduct{CatalogID: string(w.ReferredProduct.CatalogID),
			ProductRetailerID: string(w.ReferredProduct.ProductRetailerID)}
	}
	return c
}

func convertReferral(w *wireReferral) *Referral {
	if w == nil {
		return nil
	}
	r := &Referral{SourceURL: string(w.SourceURL), SourceID: string(w.SourceID), SourceType: string(w.SourceType),
		Body: string(w.Body), Headline: string(w.Headline), MediaType: string(w.MediaType),
		ImageURL: string(w.ImageURL), VideoURL: string(w.VideoURL), ThumbnailURL: string(w.ThumbnailURL),
		CtwaClid: string(w.CtwaClid)}
	if w.WelcomeMessage != nil {
		r.WelcomeMessageText = string(w.WelcomeMessage.Text)
	}
	return r
}

// profileName picks the value.contacts[] entry describing the sender: by
// wa_id, then by BSUID, then the only contact when there is exactly one.
func profileName(contacts []ContactProfile, from, fromUserID string) string {
	for _, c := range contacts {
		if (from != "" && c.WaID == from) || (fromUserID != "" && c.UserID == fromUserID) {
			return c.Name
		}
	}
	if len(contacts) == 1 {
		return contacts[0].Name
	}
	return ""
}

// renderText builds the inbox line for a message. Text messages already
// carry their body; other types get the most useful human-readable field.
func renderText(m *InboundMessage) string {
	switch {
	case m.Type == domain.MessageText:
		return m.Text
	case m.Media != nil:
		if m.Media.Caption != "" {
			return m.Media.Caption
		}
		return m.Media.Filename
	case m.Location != nil:
		parts := nonEmpty(m.Location.Name, m.Location.Address)
		if len(parts) == 0 {
			parts = []string{strconv.FormatFloat(m.Location.Lat, 'f', -1, 64) + ", " +
				strconv.FormatFloat(m.Location.Lng, 'f', -1, 64)}
		}
		return strings.Join(parts, " — ")
	case len(m.Contacts) > 0:
		var names []string
		for _, c := range m.Contacts {
			name := c.FormattedName
			if name == "" {
				name = strings.TrimSpace(c.FirstName + " " + c.LastName)
			}
			names = append(names, name)
		}
		return strings.Join(nonEmpty(names...), ", ")
	case m.Interactive != nil:
		if m.Interactive.Title != "" {
			return m.Interactive.Title
		}
		return m.Interactive.Body
	case m.Button != nil:
		if m.Button.Text != "" {
			return m.Button.Text
		}
		return m.Button.Payload
	case m.Reaction != nil:
		return m.Reaction.Emoji
	case m.Order != nil:
		if m.Order.Text != "" {
			return m.Order.Text
		}
		return fmt.Sprintf("Order with %d items", len(m.Order.Items))
	case m.System != nil:
		return m.System.Body
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
