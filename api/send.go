package api

import (
	"fmt"

	"github.com/centralita/centralita/domain"
)

// sendMessageRequest is POST /v1/conversations/{id}/messages: exactly one
// of text, media, interactive, reaction or template, optionally quoting a
// message of the conversation. The domain checks the content.
type sendMessageRequest struct {
	Text             *string             `json:"text"`
	PreviewURL       *bool               `json:"preview_url"`
	Media            *mediaRequest       `json:"media"`
	Interactive      *interactiveRequest `json:"interactive"`
	Reaction         *reactionRequest    `json:"reaction"`
	Template         *templateRequest    `json:"template"`
	ReplyToMessageID *string             `json:"reply_to_message_id"`
}

type mediaRequest struct {
	Type     string `json:"type"`
	UploadID string `json:"upload_id"`
	Link     string `json:"link"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

type interactiveRequest struct {
	Type     string               `json:"type"`
	Header   string               `json:"header"`
	Body     string               `json:"body"`
	Footer   string               `json:"footer"`
	Buttons  []replyButtonRequest `json:"buttons"`
	Button   string               `json:"button"`
	Sections []listSectionRequest `json:"sections"`
}

type replyButtonRequest struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type listSectionRequest struct {
	Title string           `json:"title"`
	Rows  []listRowRequest `json:"rows"`
}

type listRowRequest struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type reactionRequest struct {
	MessageID string  `json:"message_id"`
	Emoji     *string `json:"emoji"`
}

type templateRequest struct {
	Name       *string                 `json:"name"`
	Language   *string                 `json:"language"`
	Parameters []templateParamRequest  `json:"parameters"`
	Header     *templateHeaderRequest  `json:"header"`
	Buttons    []templateButtonRequest `json:"buttons"`
}

type templateParamRequest struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type templateHeaderRequest struct {
	Type     string `json:"type"`
	Name     string `json:"name"`
	Value    string `json:"value"`
	UploadID string `json:"upload_id"`
	Link     string `json:"link"`
	Filename string `json:"filename"`
}

type templateButtonRequest struct {
	Index *int   `json:"index"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// sendInput maps the body onto the domain's send; it checks only what the
// JSON shape cannot say (fields that are required inside nested objects).
func (r sendMessageRequest) sendInput(key string) (domain.SendInput, error) {
	in := domain.SendInput{IdempotencyKey: key, ReplyToMessageID: deref(r.ReplyToMessageID)}
	if r.PreviewURL != nil && r.Text == nil {
		return in, domain.FieldError("preview_url", "preview_url applies to text messages only")
	}
	if r.Text != nil {
		in.Text = &domain.TextInput{Body: *r.Text, PreviewURL: deref(r.PreviewURL)}
	}
	if m := r.Media; m != nil {
		in.Media = &domain.MediaInput{Type: domain.MessageType(m.Type), UploadID: m.UploadID, Link: m.Link,
			Caption: m.Caption, Filename: m.Filename}
	}
	if i := r.Interactive; i != nil {
		in.Interactive = &domain.InteractiveInput{Kind: i.Type, Header: i.Header, Body: i.Body, Footer: i.Footer,
			ListButton: i.Button}
		for _, b := range i.Buttons {
			in.Interactive.Buttons = append(in.Interactive.Buttons, domain.ReplyButton(b))
		}
		for _, s := range i.Sections {
			sec := domain.ListSection{Title: s.Title}
			for _, row := range s.Rows {
				sec.Rows = append(sec.Rows, domain.ListRow(row))
			}
			in.Interactive.Sections = append(in.Interactive.Sections, sec)
		}
	}
	if re := r.Reaction; re != nil {
		if re.Emoji == nil {
			return in, domain.FieldError("reaction.emoji", "reaction.emoji is required (an empty string removes the reaction)")
		}
		in.Reaction = &domain.ReactionInput{MessageID: re.MessageID, Emoji: *re.Emoji}
	}
	if t := r.Template; t != nil {
		tpl, err := t.input()
		if err != nil {
			return in, err
		}
		in.Template = tpl
	}
	return in, nil
}

func (t templateRequest) input() (*domain.TemplateInput, error) {
	if t.Name == nil || t.Language == nil {
		return nil, domain.FieldError("template", "a template needs name and language")
	}
	out := &domain.TemplateInput{Name: *t.Name, Language: *t.Language}
	for _, p := range t.Parameters {
		out.Params = append(out.Params, domain.TemplateParam(p))
	}
	if h := t.Header; h != nil {
		hi := domain.TemplateHeaderInput(*h)
		out.Header = &hi
	}
	for i, b := range t.Buttons {
		if b.Index == nil {
			return nil, domain.FieldError(fmt.Sprintf("template.buttons[%d].index", i), "index (the button's position, from 0) is required")
		}
		out.Buttons = append(out.Buttons, domain.TemplateButton{Index: *b.Index, Type: b.Type, Value: b.Value})
	}
	return out, nil
}

// templateView is what an outbound template message asked Meta to send.
type templateView struct {
	Name       string               `json:"name"`
	Language   string               `json:"language"`
	Parameters []templateParamView  `json:"parameters"`
	Header     *templateHeaderView  `json:"header"`
	Buttons    []templateButtonView `json:"buttons"`
}

type templateParamView struct {
	Name  *string `json:"name"`
	Value string  `json:"value"`
}

type templateHeaderView struct {
	Type  string  `json:"type"`
	Name  *string `json:"name"`
	Value string  `json:"value"`
}

type templateButtonView struct {
	Index int    `json:"index"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

func viewTemplate(t *domain.TemplateMessage) *templateView {
	if t == nil {
		return nil
	}
	v := &templateView{Name: t.Name, Language: t.Language, Parameters: []templateParamView{},
		Buttons: []templateButtonView{}}
	for _, p := range t.Params {
		v.Parameters = append(v.Parameters, templateParamView{Name: nullable(p.Name), Value: p.Value})
	}
	if h := t.Header; h != nil {
		v.Header = &templateHeaderView{Type: h.Type, Name: nullable(h.Name), Value: h.Value}
	}
	for _, b := range t.Buttons {
		v.Buttons = append(v.Buttons, templateButtonView(b))
	}
	return v
}
