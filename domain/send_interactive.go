package domain

import "fmt"

// InteractiveInput is a reply-buttons message (Kind InteractiveButtons,
// 1 to 3 Buttons) or a list message (Kind InteractiveList, a ListButton
// opening Sections of rows). The customer's choice comes back as an
// inbound interactive reply carrying the option's id.
type InteractiveInput struct {
	Kind       string
	Header     string // optional text header
	Body       string
	Footer     string
	Buttons    []ReplyButton
	ListButton string
	Sections   []ListSection
}

// Meta's limits on interactive messages (whatsapp-cloud-api.md §6.1),
// counted in characters. Reply buttons take a shorter body than lists.
const (
	MaxButtonsBody        = 1024
	MaxListBody           = 4096
	MaxInteractiveHeader  = 60
	MaxInteractiveFooter  = 60
	MaxReplyButtons       = 3
	MaxReplyButtonID      = 256
	MaxReplyButtonTitle   = 20
	MaxListButtonLabel    = 20
	MaxListSections       = 10
	MaxListRows           = 10 // across all sections
	MaxListSectionTitle   = 24
	MaxListRowID          = 200
	MaxListRowTitle       = 24
	MaxListRowDescription = 72
)

// lengthError refuses a missing or too long value, in characters.
func lengthError(field, value string, required bool, maxLen int) error {
	n := runes(value)
	if required && n == 0 {
		return FieldError(field, "%s is required", field)
	}
	if n > maxLen {
		return FieldError(field, "%s has %d characters; at most %d are allowed", field, n, maxLen)
	}
	return nil
}

func interactiveDraft(in *InteractiveInput) (*Message, error) {
	var err error
	switch in.Kind {
	case InteractiveButtons:
		err = validateButtons(in)
	case InteractiveList:
		err = validateList(in)
	default:
		err = FieldError("interactive.type", "type must be %q (reply buttons) or %q", InteractiveButtons, InteractiveList)
	}
	if err != nil {
		return nil, err
	}
	if err := lengthError("interactive.header", in.Header, false, MaxInteractiveHeader); err != nil {
		return nil, err
	}
	if err := lengthError("interactive.footer", in.Footer, false, MaxInteractiveFooter); err != nil {
		return nil, err
	}
	out := &Interactive{Kind: in.Kind, Header: in.Header, Footer: in.Footer, ListButton: in.ListButton}
	out.Buttons = append(out.Buttons, in.Buttons...)
	for _, s := range in.Sections {
		out.Sections = append(out.Sections, ListSection{Title: s.Title, Rows: append([]ListRow(nil), s.Rows...)})
	}
	return &Message{Type: MessageInteractive, Text: in.Body, Interactive: out}, nil
}

func validateButtons(in *InteractiveInput) error {
	if err := lengthError("interactive.body", in.Body, true, MaxButtonsBody); err != nil {
		return err
	}
	if in.ListButton != "" || len(in.Sections) > 0 {
		return FieldError("interactive.sections", "reply buttons take no list button or sections")
	}
	if n := len(in.Buttons); n < 1 || n > MaxReplyButtons {
		return FieldError("interactive.buttons", "reply buttons need 1 to %d buttons, got %d", MaxReplyButtons, n)
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range in.Buttons {
		f := fmt.Sprintf("interactive.buttons[%d]", i)
		if err := lengthError(f+".id", b.ID, true, MaxReplyButtonID); err != nil {
			return err
		}
		if err := lengthError(f+".title", b.Title, true, MaxReplyButtonTitle); err != nil {
			return err
		}
		if ids[b.ID] {
			return FieldError(f+".id", "button id %q is used twice; ids must be unique", b.ID)
		}
		if titles[b.Title] {
			return FieldError(f+".title", "button title %q is used twice; titles must be unique", b.Title)
		}
		ids[b.ID], titles[b.Title] = true, true
	}
	return nil
}

func validateList(in *InteractiveInput) error {
	if err := lengthError("interactive.body", in.Body, true, MaxListBody); err != nil {
		return err
	}
	if len(in.Buttons) > 0 {
		return FieldError("interactive.buttons", "list messages take no reply buttons")
	}
	if err := lengthError("interactive.button", in.ListButton, true, MaxListButtonLabel); err != nil {
		return err
	}
	if n := len(in.Sections); n < 1 || n > MaxListSections {
		return FieldError("interactive.sections", "a list needs 1 to %d sections, got %d", MaxListSections, n)
	}
	rows, ids := 0, map[string]bool{}
	for i, s := range in.Sections {
		f := fmt.Sprintf("interactive.sections[%d]", i)
		// Meta requires section titles once there are several.
		if err := lengthError(f+".title", s.Title, len(in.Sections) > 1, MaxListSectionTitle); err != nil {
			return err
		}
		if len(s.Rows) == 0 {
			return FieldError(f+".rows", "every section needs at least one row")
		}
		for j, r := range s.Rows {
			rf := fmt.Sprintf("%s.rows[%d]", f, j)
			if err := lengthError(rf+".id", r.ID, true, MaxListRowID); err != nil {
				return err
			}
			if err := lengthError(rf+".title", r.Title, true, MaxListRowTitle); err != nil {
				return err
			}
			if err := lengthError(rf+".description", r.Description, false, MaxListRowDescription); err != nil {
				return err
			}
			if ids[r.ID] {
				return FieldError(rf+".id", "row id %q is used twice; ids must be unique across sections", r.ID)
			}
			ids[r.ID] = true
			rows++
		}
	}
	if rows > MaxListRows {
		return FieldError("interactive.sections", "a list has at most %d rows in all sections, got %d", MaxListRows, rows)
	}
	return nil
}
