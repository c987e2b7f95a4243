package whatsapp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ObjectWhatsAppBusinessAccount is the only "object" value Meta sends to a
// WhatsApp webhook.
const ObjectWhatsAppBusinessAccount = "whatsapp_business_account"

// Errors returned by ParseWebhook for bodies that cannot be a WhatsApp
// delivery at all. The adapter dead-letters them (reliability T7).
var (
	ErrMalformedPayload = errors.New("whatsapp: webhook body is not a JSON object")
	ErrUnexpectedObject = errors.New("whatsapp: webhook object is not " + ObjectWhatsAppBusinessAccount)
)

// ParseWebhook turns one webhook body into a flat Delivery. It fails only
// when the body is not a JSON object or not a WhatsApp Business Account
// delivery; every problem below that level (an item that is not an object, a
// message without id, an unusable timestamp, a field of the wrong shape) is
// recorded in Delivery.Problems and the other items are still returned,
// because one bad item must never cost the rest of a batch (§1.5, T5).
// Duplicates are kept: deduplication belongs to the store.
//
// Verify the signature on the same bytes before calling this (§1.2).
func ParseWebhook(body []byte) (*Delivery, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, ErrMalformedPayload
	}
	var env wireEnvelope
	err := json.Unmarshal(trimmed, &env)
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) || (err != nil && !isTypeError(err)) {
		return nil, fmt.Errorf("%w: %v", ErrMalformedPayload, err)
	}
	if env.Object != ObjectWhatsAppBusinessAccount {
		return nil, fmt.Errorf("%w (got %q)", ErrUnexpectedObject, truncate(env.Object, 60))
	}
	p := &parser{}
	if err != nil {
		p.typeProblem("", err)
	}
	d := &Delivery{Object: env.Object}
	for i, rawEntry := range env.Entry {
		path := fmt.Sprintf("entry[%d]", i)
		var e wireEntry
		if !p.decode(rawEntry, &e, path) {
			continue
		}
		for j, rawChange := range e.Changes {
			if c, ok := p.change(rawChange, fmt.Sprintf("%s.changes[%d]", path, j), string(e.ID)); ok {
				d.Changes = append(d.Changes, c)
			}
		}
	}
	d.Problems = p.problems
	return d, nil
}

type parser struct {
	problems []ItemProblem
}

func (p *parser) problem(path, format string, args ...any) {
	p.problems = append(p.problems, ItemProblem{Path: path, Reason: fmt.Sprintf(format, args...)})
}

func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

func (p *parser) typeProblem(path string, err error) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p.problem(joinPath(path, te.Field), "unexpected %s", te.Value)
		return
	}
	p.problem(path, "%v", err)
}

func joinPath(path, field string) string {
	switch {
	case field == "":
		return path
	case path == "":
		return field
	}
	return path + "." + field
}

// decode fills dst from an object. It returns false (and records why) when
// raw is not an object. Fields of the wrong type are recorded but do not stop
// the other fields from decoding: encoding/json keeps going on type errors.
func (p *parser) decode(raw json.RawMessage, dst any, path string) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		p.problem(path, "expected an object, got %s", jsonKind(raw))
		return false
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		p.typeProblem(path, err)
	}
	return true
}

func (p *parser) change(raw json.RawMessage, path, wabaID string) (Change, bool) {
	var wc wireChange
	if !p.decode(raw, &wc, path) {
		return Change{}, false
	}
	c := Change{WABAID: wabaID, Field: string(wc.Field), Value: wc.Value}
	if len(bytes.TrimSpace(wc.Value)) == 0 {
		p.problem(path, "missing value")
		return c, true
	}
	var v wireValue
	vpath := path + ".value"
	if !p.decode(wc.Value, &v, vpath) {
		return c, true
	}
	c.MessagingProduct = string(v.MessagingProduct)
	c.DisplayPhoneNumber = string(v.Metadata.DisplayPhoneNumber)
	c.PhoneNumberID = string(v.Metadata.PhoneNumberID)
	for i, rc := range v.Contacts {
		var w wireContact
		if p.decode(rc, &w, fmt.Sprintf("%s.contacts[%d]", vpath, i)) {
			c.Contacts = append(c.Contacts, ContactProfile{
				WaID: string(w.WaID), UserID: string(w.UserID), ParentUserID: string(w.ParentUserID),
				Name: string(w.Profile.Name), Username: string(w.Profile.Username),
			})
		}
	}
	for i, rm := range v.Messages {
		if m, ok := p.message(rm, fmt.Sprintf("%s.messages[%d]", vpath, i), c.Contacts); ok {
			c.Messages = append(c.Messages, m)
		}
	}
	for i, rs := range v.Statuses {
		if s, ok := p.status(rs, fmt.Sprintf("%s.statuses[%d]", vpath, i)); ok {
			c.Statuses = append(c.Statuses, s)
		}
	}
	c.Errors = p.errors(v.Errors, vpath+".errors")
	for i, ru := range v.UserIDUpdates {
		upath := fmt.Sprintf("%s.user_id_update[%d]", vpath, i)
		var w wireUserIDUpdate
		if !p.decode(ru, &w, upath) {
			continue
		}
		u := UserIDUpdate{
			WaID: string(w.WaID), Detail: string(w.Detail),
			PreviousUserID: string(w.UserID.Previous), CurrentUserID: string(w.UserID.Current),
			PreviousParentUserID: string(w.ParentUserID.Previous), CurrentParentUserID: string(w.ParentUserID.Current),
		}
		u.Timestamp = p.timestamp(w.Timestamp, upath)
		c.UserIDUpdates = append(c.UserIDUpdates, u)
	}
	return c, true
}

func (p *parser) errors(raws []json.RawMessage, path string) []Error {
	var out []Error
	for i, re := range raws {
		var w wireError
		if p.decode(re, &w, fmt.Sprintf("%s[%d]", path, i)) {
			out = append(out, convertError(w))
		}
	}
	return out
}

func convertError(w wireError) Error {
	details := string(w.ErrorData.Details)
	if details == "" {
		details = string(w.Details)
	}
	return Error{Code: int(w.Code), Title: string(w.Title), Message: string(w.Message), Details: details, Href: string(w.Href)}
}

func (p *parser) status(raw json.RawMessage, path string) (StatusUpdate, bool) {
	var w wireStatus
	if !p.decode(raw, &w, path) {
		return StatusUpdate{}, false
	}
	if w.ID == "" {
		p.problem(path, "status without id")
		return StatusUpdate{}, false
	}
	if w.Status == "" {
		p.problem(path, "status without status value")
		return StatusUpdate{}, false
	}
	s := StatusUpdate{
		ProviderMessageID:      string(w.ID),
		Status:                 string(w.Status),
		RecipientID:            string(w.RecipientID),
		RecipientType:          string(w.RecipientType),
		RecipientUserID:        string(w.RecipientUserID),
		RecipientParentUserID:  string(w.RecipientParentUserID),
		RecipientParticipantID: string(w.RecipientParticipantID),
		BizOpaqueCallbackData:  string(w.BizOpaqueCallbackData),
		Raw:                    append(json.RawMessage(nil), raw...),
	}
	s.Timestamp = p.timestamp(w.Timestamp, path)
	s.Errors = p.errors(w.Errors, path+".errors")
	if w.Pricing != nil {
		pr := &Pricing{PricingModel: string(w.Pricing.PricingModel), Type: string(w.Pricing.Type), Category: string(w.Pricing.Category)}
		if w.Pricing.Billable != nil {
			b := bool(*w.Pricing.Billable)
			pr.Billable = &b
		}
		s.Pricing = pr
	}
	if w.Conversation != nil {
		conv := &Conversation{ID: string(w.Conversation.ID), OriginType: string(w.Conversation.Origin.Type)}
		// expiration_timestamp is optional (sent only), so a missing one is no problem.
		if t, err := parseTimestamp(w.Conversation.ExpirationTimestamp); err == nil {
			conv.ExpiresAt = t
		}
		s.Conversation = conv
	}
	return s, true
}

// timestamp parses Meta's Unix-seconds timestamp; an unusable value yields
// the zero time and a problem, never a dropped item.
func (p *parser) timestamp(raw json.RawMessage, path string) time.Time {
	t, err := parseTimestamp(raw)
	if err != nil {
		p.problem(path+".timestamp", "%v", err)
		return time.Time{}
	}
	return t
}

// maxUnixSeconds is 9999-12-31; larger values are garbage, not dates.
const maxUnixSeconds = 253402300799

// parseTimestamp accepts Unix seconds as a JSON string (Meta's documented
// shape) or number (third-party data), with an optional fraction.
func parseTimestamp(raw json.RawMessage) (time.Time, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, errors.New("missing timestamp")
	}
	var s flexString
	_ = s.UnmarshalJSON(raw)
	text := strings.TrimSpace(string(s))
	if text == "" {
		return time.Time{}, fmt.Errorf("timestamp is %s, not Unix seconds", jsonKind(raw))
	}
	if secs, err := strconv.ParseInt(text, 10, 64); err == nil {
		if secs < 0 || secs > maxUnixSeconds {
			return time.Time{}, fmt.Errorf("timestamp %d out of range", secs)
		}
		return time.Unix(secs, 0).UTC(), nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > maxUnixSeconds {
		return time.Time{}, fmt.Errorf("timestamp %q is not Unix seconds", truncate(text, 40))
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}
