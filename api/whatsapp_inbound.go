package api

import (
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// inboundFromWhatsApp hands a parsed webhook message to the domain with all
// its structured content: a bot routes on interactive reply ids, agents see
// pins, cards and carts, and media is downloaded from its id.
func inboundFromWhatsApp(m whatsapp.InboundMessage, profiles []whatsapp.ContactProfile) domain.InboundMessage {
	in := domain.InboundMessage{ProviderMessageID: m.ProviderMessageID, Timestamp: m.Timestamp, Type: m.Type, Text: m.Text}
	in.WaID, in.UserID, in.ProfileName = sender(m, profiles)
	if c := m.Context; c != nil {
		in.ReplyToProviderID, in.Forwarded = c.ID, c.Forwarded || c.FrequentlyForwarded
	}
	if r := m.Referral; r != nil {
		in.Referral = &domain.Referral{SourceID: r.SourceID, SourceType: r.SourceType, SourceURL: r.SourceURL,
			Headline: r.Headline, Body: r.Body, CtwaClid: r.CtwaClid}
	}
	if md := m.Media; md != nil {
		in.Media = &domain.Media{ProviderID: md.ID, MimeType: md.MimeType, SHA256: metaSHA256Hex(md.SHA256),
			Caption: md.Caption, Filename: md.Filename, Voice: md.Voice}
	}
	if l := m.Location; l != nil {
		in.Location = &domain.Location{Latitude: l.Lat, Longitude: l.Lng, Name: l.Name, Address: l.Address, URL: l.URL}
	}
	for _, card := range m.Contacts {
		sc := domain.SharedContact{Name: card.FormattedName, Company: card.Company}
		for _, p := range card.Phones {
			sc.Phones = append(sc.Phones, domain.SharedPhone{Phone: p.Phone, WaID: p.WaID, Type: p.Type})
		}
		in.Contacts = append(in.Contacts, sc)
	}
	if it := m.Interactive; it != nil {
		in.Interactive = &domain.Interactive{Kind: it.Kind, ReplyID: it.ID, ReplyTitle: it.Title,
			ReplyDescription: it.Description, ResponseJSON: it.ResponseJSON}
	}
	if b := m.Button; b != nil {
		in.Interactive = &domain.Interactive{Kind: domain.InteractiveQuickReply, ReplyID: b.Payload, ReplyTitle: b.Text}
	}
	if r := m.Reaction; r != nil {
		in.Reaction = &domain.Reaction{TargetProviderID: r.MessageID, Emoji: r.Emoji}
		if r.Removed {
			in.Reaction.Emoji = ""
		}
	}
	if o := m.Order; o != nil {
		in.Order = &domain.Order{CatalogID: o.CatalogID, Text: o.Text}
		for _, it := range o.Items {
			in.Order.Items = append(in.Order.Items, domain.OrderItem(it))
		}
	}
	if s := m.System; s != nil {
		in.System = &domain.SystemNotice{Kind: s.Type, Body: s.Body, NewWaID: s.NewWaID, NewUserID: s.NewUserID}
	}
	return in
}

// sender names who wrote a message: its from (wa_id) and from_user_id
// (BSUID), and the profile name from the change's contacts. A message
// without either, in a change about a single contact, is that contact's.
func sender(m whatsapp.InboundMessage, profiles []whatsapp.ContactProfile) (waID, userID, name string) {
	waID, userID = m.From, m.FromUserID
	if waID == "" && userID == "" && len(profiles) == 1 {
		waID, userID = profiles[0].WaID, profiles[0].UserID
	}
	for _, p := range profiles {
		if (p.WaID != "" && p.WaID == waID) || (p.UserID != "" && p.UserID == userID) ||
			(waID != "" && p.UserID == waID) {
			return waID, userID, p.Name
		}
	}
	return waID, userID, ""
}
