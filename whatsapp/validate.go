package whatsapp

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits Meta enforces on outbound messages (§6.1). Lengths are counted in
// characters (runes), as Meta documents them.
const (
	MaxTextBody           = 4096
	MaxButtonBody         = 1024
	MaxHeaderText         = 60
	MaxFooterText         = 60
	MaxReplyButtons       = 3
	MaxReplyButtonTitle   = 20
	MaxReplyButtonID      = 256
	MaxListButtonLabel    = 20
	MaxListSections       = 10
	MaxListRows           = 10 // across all sections
	MaxListSectionTitle   = 24
	MaxListRowID          = 200
	MaxListRowTitle       = 24
	MaxListRowDescription = 72
	MaxTemplateName       = 512
)

// ValidationError reports an outbound message Meta would reject; it is
// returned before any HTTP call and is never retryable.
type ValidationError struct {
	Field  string // e.g. "interactive.action.buttons[1].reply.title"
	Reason string
}

func (e *ValidationError) Error() string {
	return "whatsapp: invalid message: " + e.Field + ": " + e.Reason
}

func invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

func checkLen(field, s string, minLen, maxLen int) *ValidationError {
	n := utf8.RuneCountInString(s)
	if n < minLen {
		if minLen == 1 {
			return invalid(field, "is required")
		}
		return invalid(field, "needs at least %d characters", minLen)
	}
	if maxLen > 0 && n > maxLen {
		return invalid(field, "has %d characters, at most %d allowed", n, maxLen)
	}
	return nil
}

// Validate checks the message against Meta's documented limits.
func (m OutboundMessage) Validate() error {
	if strings.TrimSpace(m.To) == "" && strings.TrimSpace(m.Recipient) == "" {
		return invalid("to", "is required (or recipient, a user id)")
	}
	types := m.contentTypes()
	switch len(types) {
	case 0:
		return invalid("type", "set exactly one content (text, image, template, ...)")
	case 1:
	default:
		return invalid("type", "set exactly one content, got %s", strings.Join(types, " and "))
	}
	if m.ReplyTo != "" && m.Reaction != nil {
		return invalid("context", "a reaction cannot quote a message")
	}
	switch {
	case m.Text != nil:
		if strings.TrimSpace(m.Text.Body) == "" {
			return invalid("text.body", "is required")
		}
		return errOrNil(checkLen("text.body", m.Text.Body, 1, MaxTextBody))
	case m.Image != nil:
		return validateMedia("image", m.Image, true, false)
	case m.Video != nil:
		return validateMedia("video", m.Video, true, false)
	case m.Document != nil:
		return validateMedia("document", m.Document, true, true)
	case m.Audio != nil:
		return validateMedia("audio", m.Audio, false, false)
	case m.Sticker != nil:
		return validateMedia("sticker", m.Sticker, false, false)
	case m.Template != nil:
		return validateTemplate(m.Template)
	case m.Interactive != nil:
		return validateInteractive(m.Interactive)
	case m.Reaction != nil:
		// An empty emoji is allowed: it removes our reaction.
		if m.Reaction.MessageID == "" {
			return invalid("reaction.message_id", "is required")
		}
	}
	return nil
}

// errOrNil avoids the typed-nil-in-interface trap when returning *ValidationError as error.
func errOrNil(e *ValidationError) error {
	if e == nil {
		return nil
	}
	return e
}

func validateMedia(field string, md *OutboundMedia, captionAllowed, filenameAllowed bool) error {
	if (md.ID == "") == (md.Link == "") {
		return invalid(field, "set exactly one of id or link")
	}
	if md.Caption != "" && !captionAllowed {
		return invalid(field+".caption", "not supported for %s", field)
	}
	if md.Filename != "" && !filenameAllowed {
		return invalid(field+".filename", "only documents take a filename")
	}
	return nil
}

func validateTemplate(t *OutboundTemplate) error {
	if e := checkLen("template.name", t.Name, 1, MaxTemplateName); e != nil {
		return e
	}
	if t.LanguageCode == "" {
		return invalid("template.language.code", "is required")
	}
	for i, c := range t.Components {
		field := fmt.Sprintf("template.components[%d]", i)
		if c.Type == "" {
			return invalid(field+".type", "is required")
		}
		named := 0
		for j, p := range c.Parameters {
			pf := fmt.Sprintf("%s.parameters[%d]", field, j)
			if p.Type == "" {
				return invalid(pf+".type", "is required")
			}
			if p.ParameterName != "" {
				named++
			}
			// Meta answers 100 "Parameter 'text' is mandatory" for empty values
			// (fx:send_error_100_invalid_parameter.json).
			if p.Type == "text" && strings.TrimSpace(p.Text) == "" {
				return invalid(pf+".text", "is required for a text parameter")
			}
		}
		if named != 0 && named != len(c.Parameters) {
			return invalid(field+".parameters", "mix of named and positional parameters")
		}
	}
	return nil
}

func validateInteractive(in *OutboundInteractive) error {
	switch in.Kind {
	case InteractiveKindButton:
		return validateButtons(in)
	case InteractiveKindList:
		return validateList(in)
	}
	return invalid("interactive.type", "must be %q or %q, got %q", InteractiveKindButton, InteractiveKindList, in.Kind)
}

func validateHeaderFooter(in *OutboundInteractive, mediaHeaderAllowed bool) error {
	if h := in.Header; h != nil {
		switch h.Type {
		case "text":
			if e := checkLen("interactive.header.text", h.Text, 1, MaxHeaderText); e != nil {
				return e
			}
		case "image", "video", "document":
			if !mediaHeaderAllowed {
				return invalid("interactive.header.type", "list messages take only a text header")
			}
			md := map[string]*OutboundMedia{"image": h.Image, "video": h.Video, "document": h.Document}[h.Type]
			if md == nil {
				return invalid("interactive.header."+h.Type, "is required")
			}
			if err := validateMedia("interactive.header."+h.Type, md, false, h.Type == "document"); err != nil {
				return err
			}
		default:
			return invalid("interactive.header.type", "unknown header type %q", h.Type)
		}
	}
	return errOrNil(checkLen("interactive.footer.text", in.Footer, 0, MaxFooterText))
}

func validateButtons(in *OutboundInteractive) error {
	if e := checkLen("interactive.body.text", in.Body, 1, MaxButtonBody); e != nil {
		return e
	}
	if err := validateHeaderFooter(in, true); err != nil {
		return err
	}
	if n := len(in.Buttons); n < 1 || n > MaxReplyButtons {
		return invalid("interactive.action.buttons", "has %d buttons, 1 to %d allowed", n, MaxReplyButtons)
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range in.Buttons {
		f := fmt.Sprintf("interactive.action.buttons[%d].reply", i)
		if e := checkLen(f+".id", b.ID, 1, MaxReplyButtonID); e != nil {
			return e
		}
		if e := checkLen(f+".title", b.Title, 1, MaxReplyButtonTitle); e != nil {
			return e
		}
		if ids[b.ID] {
			return invalid(f+".id", "duplicate button id %q", b.ID)
		}
		if titles[b.Title] {
			return invalid(f+".title", "duplicate button title %q", b.Title)
		}
		ids[b.ID], titles[b.Title] = true, true
	}
	if in.ListButton != "" || len(in.Sections) > 0 {
		return invalid("interactive.action", "reply buttons take no list sections")
	}
	return nil
}

func validateList(in *OutboundInteractive) error {
	if e := checkLen("interactive.body.text", in.Body, 1, MaxTextBody); e != nil {
		return e
	}
	if err := validateHeaderFooter(in, false); err != nil {
		return err
	}
	if e := checkLen("interactive.action.button", in.ListButton, 1, MaxListButtonLabel); e != nil {
		return e
	}
	if n := len(in.Sections); n < 1 || n > MaxListSections {
		return invalid("interactive.action.sections", "has %d sections, 1 to %d allowed", n, MaxListSections)
	}
	if len(in.Buttons) > 0 {
		return invalid("interactive.action.buttons", "list messages take no reply buttons")
	}
	rows, ids := 0, map[string]bool{}
	for i, s := range in.Sections {
		f := fmt.Sprintf("interactive.action.sections[%d]", i)
		minTitle := 0
		if len(in.Sections) > 1 {
			minTitle = 1 // Meta requires section titles once there are several
		}
		if e := checkLen(f+".title", s.Title, minTitle, MaxListSectionTitle); e != nil {
			return e
		}
		if len(s.Rows) == 0 {
			return invalid(f+".rows", "needs at least one row")
		}
		for j, r := range s.Rows {
			rf := fmt.Sprintf("%s.rows[%d]", f, j)
			if e := checkLen(rf+".id", r.ID, 1, MaxListRowID); e != nil {
				return e
			}
			if e := checkLen(rf+".title", r.Title, 1, MaxListRowTitle); e != nil {
				return e
			}
			if e := checkLen(rf+".description", r.Description, 0, MaxListRowDescription); e != nil {
				return e
			}
			if ids[r.ID] {
				return invalid(rf+".id", "duplicate row id %q", r.ID)
			}
			ids[r.ID] = true
			rows++
		}
	}
	if rows > MaxListRows {
		return invalid("interactive.action.sections", "has %d rows in total, at most %d allowed", rows, MaxListRows)
	}
	return nil
}
