package jobs

import (
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// outbound turns a prepared message into the Graph API request. Uploaded
// files go by the media id the worker got for them; others by link.
func outbound(prep *domain.PreparedSend) whatsapp.OutboundMessage {
	m := prep.Message
	out := whatsapp.OutboundMessage{To: prep.To, Recipient: prep.RecipientUserID, BizOpaqueCallbackData: m.ID, ReplyTo: m.ReplyToProviderID}
	switch m.Type {
	case domain.MessageImage:
		out.Image = outboundMedia(m.Media, m.Type)
	case domain.MessageAudio:
		out.Audio = outboundMedia(m.Media, m.Type)
	case domain.MessageVideo:
		out.Video = outboundMedia(m.Media, m.Type)
	case domain.MessageDocument:
		out.Document = outboundMedia(m.Media, m.Type)
	case domain.MessageSticker:
		out.Sticker = outboundMedia(m.Media, m.Type)
	case domain.MessageInteractive:
		out.Interactive = outboundInteractive(m)
	case domain.MessageReaction:
		out.ReplyTo = "" // WhatsApp takes no context on reactions
		out.Reaction = &whatsapp.OutboundReaction{MessageID: m.Reaction.TargetProviderID, Emoji: m.Reaction.Emoji}
	case domain.MessageTemplate:
		out.Template = outboundTemplate(m)
	default:
		out.Text = &whatsapp.OutboundText{Body: m.Text, PreviewURL: m.PreviewURL}
	}
	return out
}

func outboundMedia(md *domain.Media, t domain.MessageType) *whatsapp.OutboundMedia {
	if md == nil {
		return &whatsapp.OutboundMedia{} // refused by validation, never sent
	}
	out := &whatsapp.OutboundMedia{Link: md.Link, Caption: md.Caption}
	if md.UploadID != "" {
		out.ID, out.Link = md.ProviderID, ""
	}
	if t == domain.MessageDocument {
		out.Filename = md.Filename
	}
	return out
}

func outboundInteractive(m *domain.Message) *whatsapp.OutboundInteractive {
	in := m.Interactive
	out := &whatsapp.OutboundInteractive{Kind: in.Kind, Body: m.Text, Footer: in.Footer, ListButton: in.ListButton}
	if in.Header != "" {
		out.Header = &whatsapp.InteractiveHeader{Type: "text", Text: in.Header}
	}
	for _, b := range in.Buttons {
		out.Buttons = append(out.Buttons, whatsapp.ReplyButton{ID: b.ID, Title: b.Title})
	}
	for _, s := range in.Sections {
		ws := whatsapp.ListSection{Title: s.Title}
		for _, r := range s.Rows {
			ws.Rows = append(ws.Rows, whatsapp.ListRow{ID: r.ID, Title: r.Title, Description: r.Description})
		}
		out.Sections = append(out.Sections, ws)
	}
	return out
}

// outboundTemplate fills the header, body and button components; a media
// header is the message's file.
func outboundTemplate(m *domain.Message) *whatsapp.OutboundTemplate {
	t := m.Template
	out := &whatsapp.OutboundTemplate{Name: t.Name, LanguageCode: t.Language}
	if h := t.Header; h != nil {
		p := whatsapp.TemplateParameter{Type: h.Type}
		switch h.Type {
		case domain.TemplateHeaderText:
			p.Text, p.ParameterName = h.Value, h.Name
		case domain.TemplateHeaderImage:
			p.Image = outboundMedia(m.Media, domain.MessageImage)
		case domain.TemplateHeaderVideo:
			p.Video = outboundMedia(m.Media, domain.MessageVideo)
		case domain.TemplateHeaderDocument:
			p.Document = outboundMedia(m.Media, domain.MessageDocument)
		}
		out.Components = append(out.Components, whatsapp.TemplateComponent{Type: "header",
			Parameters: []whatsapp.TemplateParameter{p}})
	}
	if len(t.Params) > 0 {
		body := whatsapp.TemplateComponent{Type: "body"}
		for _, p := range t.Params {
			body.Parameters = append(body.Parameters, whatsapp.TemplateParameter{Type: "text",
				ParameterName: p.Name, Text: p.Value})
		}
		out.Components = append(out.Components, body)
	}
	for _, b := range t.Buttons {
		p := whatsapp.TemplateParameter{Type: "text", Text: b.Value}
		if b.Type == domain.TemplateButtonQuickReply {
			p = whatsapp.TemplateParameter{Type: "payload", Payload: b.Value}
		}
		out.Components = append(out.Components, whatsapp.TemplateComponent{Type: "button", SubType: b.Type,
			Index: &b.Index, Parameters: []whatsapp.TemplateParameter{p}})
	}
	return out
}
