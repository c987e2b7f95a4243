package graph

import (
	"context"
	"strings"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

// send makes the one domain call of every send mutation and renders the
// shared payload; field errors point into the mutation's own input.
func (r *mutationResolver) send(ctx context.Context, conversationID string, in domain.SendInput) (*model.SendTextMessagePayload, error) {
	m, _, err := r.svc.Send(ctx, conversationID, in)
	m, userErrors, err := fieldResult(m, err)
	if err != nil {
		return nil, err
	}
	return &model.SendTextMessagePayload{Message: m, UserErrors: userErrors}, nil
}

// fieldResult is result with the domain's (REST-shaped) field name turned
// into a path in the GraphQL input, e.g. interactive.buttons[1].title →
// ["input", "buttons", "1", "title"].
func fieldResult[T any](v *T, err error) (*T, []*model.UserError, error) {
	out, userErrors, rerr := result(v, err)
	if e, ok := domain.AsError(err); ok && e.Field != "" {
		for _, ue := range userErrors {
			ue.Field = inputPath(e.Field)
		}
	}
	return out, userErrors, rerr
}

// graphFieldNames are domain fields whose GraphQL input name differs.
var graphFieldNames = map[string]string{
	"media":              "upload_id",
	"interactive.type":   "kind",
	"interactive.button": "list_button",
	"template":           "name",
}

func inputPath(field string) []string {
	if renamed, ok := graphFieldNames[field]; ok {
		field = renamed
	}
	for _, prefix := range []string{"media.", "interactive.", "template.", "reaction."} {
		field = strings.TrimPrefix(field, prefix)
	}
	field = strings.NewReplacer("[", ".", "]", "").Replace(field)
	path := []string{"input"}
	for _, part := range strings.Split(field, ".") {
		path = append(path, camelCase(part))
	}
	return path
}

func mediaInput(in model.SendMediaMessageInput) domain.SendInput {
	return domain.SendInput{ReplyToMessageID: deref(in.ReplyToMessageID), IdempotencyKey: deref(in.IdempotencyKey),
		Media: &domain.MediaInput{Type: deref(in.Type), UploadID: deref(in.UploadID), Link: deref(in.Link),
			Caption: deref(in.Caption), Filename: deref(in.Filename)}}
}

func interactiveInput(in model.SendInteractiveMessageInput) domain.SendInput {
	kind := domain.InteractiveButtons
	if in.Kind == model.InteractiveKindList {
		kind = domain.InteractiveList
	}
	out := &domain.InteractiveInput{Kind: kind, Header: deref(in.Header), Body: in.Body, Footer: deref(in.Footer),
		ListButton: deref(in.ListButton)}
	for _, b := range in.Buttons {
		out.Buttons = append(out.Buttons, domain.ReplyButton{ID: b.ID, Title: b.Title})
	}
	for _, s := range in.Sections {
		sec := domain.ListSection{Title: deref(s.Title)}
		for _, row := range s.Rows {
			sec.Rows = append(sec.Rows, domain.ListRow{ID: row.ID, Title: row.Title, Description: deref(row.Description)})
		}
		out.Sections = append(out.Sections, sec)
	}
	return domain.SendInput{Interactive: out, ReplyToMessageID: deref(in.ReplyToMessageID),
		IdempotencyKey: deref(in.IdempotencyKey)}
}

func templateInput(in model.SendTemplateMessageInput) domain.SendInput {
	t := &domain.TemplateInput{Name: in.Name, Language: in.Language}
	for _, p := range in.Parameters {
		t.Params = append(t.Params, domain.TemplateParam{Name: deref(p.Name), Value: p.Value})
	}
	if h := in.Header; h != nil {
		t.Header = &domain.TemplateHeaderInput{Type: strings.ToLower(string(h.Type)), Name: deref(h.Name),
			Value: deref(h.Value), UploadID: deref(h.UploadID), Link: deref(h.Link), Filename: deref(h.Filename)}
	}
	for _, b := range in.Buttons {
		t.Buttons = append(t.Buttons, domain.TemplateButton{Index: b.Index, Type: strings.ToLower(string(b.Type)),
			Value: b.Value})
	}
	return domain.SendInput{Template: t, ReplyToMessageID: deref(in.ReplyToMessageID),
		IdempotencyKey: deref(in.IdempotencyKey)}
}
