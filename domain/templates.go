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

// SendTemplate sends an approved template: the only way to reach a customer
// outside the 24-hour window. It is stored queued with its delivery job;
// Meta rejects unknown templates or languages (132001), which ends the
// message as failed with that code. Idempotency works as for SendTextOnce.
// Errors: invalid, not_found, forbidden, conflict.
func (s *Service) SendTemplate(ctx context.Context, conversationID string, t TemplateMessage, key string) (*Message, bool, error) {
	if !templateNamePattern.MatchString(t.Name) {
		return nil, false, FieldError("template.name", "a template name has lowercase letters, digits and _")
	}
	if !templateLanguagePattern.MatchString(t.Language) {
		return nil, false, FieldError("template.language", "language must be an approved translation code such as es or pt_BR")
	}
	if len(t.Params) > 20 {
		return nil, false, FieldError("template.parameters", "at most 20 parameters")
	}
	named := len(t.Params) > 0 && t.Params[0].Name != ""
	values := make([]string, len(t.Params))
	for i, p := range t.Params {
		if (p.Name != "") != named || (named && !templateParamPattern.MatchString(p.Name)) {
			return nil, false, FieldError("template.parameters", "parameters are all positional or all named (lowercase, digits, _)")
		}
		if strings.TrimSpace(p.Value) == "" || len([]rune(p.Value)) > 1024 {
			return nil, false, FieldError("template.parameters", "each value must have 1 to 1024 characters")
		}
		values[i] = p.Value
	}
	// The inbox shows which template went out and with what.
	text := fmt.Sprintf("[%s/%s]", t.Name, t.Language)
	if len(values) > 0 {
		text += " " + strings.Join(values, " | ")
	}
	return s.sendOnce(ctx, conversationID, &Message{Type: MessageTemplate, Text: text, Template: &t}, key)
}
