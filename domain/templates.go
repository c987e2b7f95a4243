package domain

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

var (
	templateNamePattern     = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	templateLanguagePattern = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
	templateParamPattern    = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)
)

// Limits on template values. Meta caps a text header at 60 characters; a
// template has at most 10 buttons.
const (
	maxTemplateParams      = 20
	maxTemplateValue       = 1024
	maxTemplateHeaderText  = 60
	maxTemplateButtons     = 10
	maxTemplateButtonValue = 2000
)

// TemplateInput is an approved template with the values of its body,
// header and buttons. A media header names its file like a media message:
// an upload id or a link (and a filename for documents).
type TemplateInput struct {
	Name     string
	Language string
	Params   []TemplateParam
	Header   *TemplateHeaderInput
	Buttons  []TemplateButton
}

// TemplateHeaderInput fills a header: Value (and Name, for named
// templates) for text; UploadID or Link for image, video and document.
type TemplateHeaderInput struct {
	Type     string
	Name     string
	Value    string
	UploadID string
	Link     string
	Filename string
}

// SendTemplate sends an approved template (see Send): the only way to
// reach a customer outside the 24-hour window. Meta rejects unknown
// templates or languages (132001), which ends the message as failed.
// Errors: as Send.
func (s *Service) SendTemplate(ctx context.Context, conversationID string, t TemplateMessage, key string) (*Message, bool, error) {
	return s.Send(ctx, conversationID, SendInput{IdempotencyKey: key,
		Template: &TemplateInput{Name: t.Name, Language: t.Language, Params: t.Params}})
}

func templateDraft(in *TemplateInput) (*Message, error) {
	if !templateNamePattern.MatchString(in.Name) {
		return nil, FieldError("template.name", "a template name has lowercase letters, digits and _")
	}
	if !templateLanguagePattern.MatchString(in.Language) {
		return nil, FieldError("template.language", "language must be an approved translation code such as es or pt_BR")
	}
	if len(in.Params) > maxTemplateParams {
		return nil, FieldError("template.parameters", "at most %d parameters", maxTemplateParams)
	}
	named := len(in.Params) > 0 && in.Params[0].Name != ""
	t := &TemplateMessage{Name: in.Name, Language: in.Language}
	values := make([]string, 0, len(in.Params))
	for i, p := range in.Params {
		f := fmt.Sprintf("template.parameters[%d]", i)
		if (p.Name != "") != named || (named && !templateParamPattern.MatchString(p.Name)) {
			return nil, FieldError(f+".name", "parameters are all positional or all named (lowercase, digits, _)")
		}
		if strings.TrimSpace(p.Value) == "" || runes(p.Value) > maxTemplateValue {
			return nil, FieldError(f+".value", "each value must have 1 to %d characters", maxTemplateValue)
		}
		t.Params = append(t.Params, p)
		values = append(values, p.Value)
	}
	draft := &Message{Type: MessageTemplate, Template: t}
	if in.Header != nil {
		if err := templateHeader(in.Header, draft, named, len(in.Params) > 0); err != nil {
			return nil, err
		}
	}
	if err := templateButtons(in.Buttons, t); err != nil {
		return nil, err
	}
	// The inbox shows which template went out and with what.
	draft.Text = fmt.Sprintf("[%s/%s]", in.Name, in.Language)
	if h := t.Header; h != nil && h.Value != "" {
		values = append([]string{h.Value}, values...)
	}
	if len(values) > 0 {
		draft.Text += " " + strings.Join(values, " | ")
	}
	return draft, nil
}

// templateHeader fills a text header's value, or a media header's file
// (kept as the message's Media, so the send worker uploads it like any
// other outbound file).
func templateHeader(in *TemplateHeaderInput, draft *Message, named, hasBody bool) error {
	h := &TemplateHeader{Type: in.Type}
	switch in.Type {
	case TemplateHeaderText:
		if strings.TrimSpace(in.Value) == "" || runes(in.Value) > maxTemplateHeaderText {
			return FieldError("template.header.value", "a text header value has 1 to %d characters", maxTemplateHeaderText)
		}
		if in.UploadID != "" || in.Link != "" || in.Filename != "" {
			return FieldError("template.header.type", "a text header takes a value, not a file")
		}
		if (hasBody && (in.Name != "") != named) || (in.Name != "" && !templateParamPattern.MatchString(in.Name)) {
			return FieldError("template.header.name", "name the header value exactly when the body values are named (lowercase, digits, _)")
		}
		h.Name, h.Value = in.Name, in.Value
	case TemplateHeaderImage, TemplateHeaderVideo, TemplateHeaderDocument:
		if in.Value != "" || in.Name != "" {
			return FieldError("template.header.value", "%s header takes upload_id or link, not a value", withArticle(in.Type))
		}
		md, err := mediaRef("template.header", MessageType(in.Type), in.UploadID, in.Link, in.Filename)
		if err != nil {
			return err
		}
		draft.Media = md
	default:
		return FieldError("template.header.type", "header type must be text, image, video or document")
	}
	draft.Template.Header = h
	return nil
}

func templateButtons(in []TemplateButton, t *TemplateMessage) error {
	if len(in) > maxTemplateButtons {
		return FieldError("template.buttons", "a template has at most %d buttons", maxTemplateButtons)
	}
	seen := map[int]bool{}
	for i, b := range in {
		f := fmt.Sprintf("template.buttons[%d]", i)
		if b.Index < 0 || b.Index >= maxTemplateButtons {
			return FieldError(f+".index", "index is the button's position, 0 to %d", maxTemplateButtons-1)
		}
		if seen[b.Index] {
			return FieldError(f+".index", "button %d is given twice", b.Index)
		}
		seen[b.Index] = true
		if b.Type != TemplateButtonQuickReply && b.Type != TemplateButtonURL {
			return FieldError(f+".type", "type must be quick_reply (value is the payload) or url (value completes the URL)")
		}
		if strings.TrimSpace(b.Value) == "" || runes(b.Value) > maxTemplateButtonValue {
			return FieldError(f+".value", "value must have 1 to %d characters", maxTemplateButtonValue)
		}
		t.Buttons = append(t.Buttons, b)
	}
	return nil
}
