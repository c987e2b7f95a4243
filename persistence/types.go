package persistence

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"github.com/centralita/centralita/domain"
	"strings"
	"time"
)

// utcTime is an instant as stored: UTC, truncated to microseconds (the
// precision of a Postgres timestamptz). It is written as a time.Time, which
// pgx sends as timestamptz and the SQLite driver renders as UTC text that
// sorts in time order; it reads back from either a time.Time or that text
// (SQLite returns text for expressions whose column type it cannot see).
type utcTime struct{ time.Time }

// storedTime normalises *t in place to what the database keeps, so that the
// caller's copy of a record equals what a later read returns.
func storedTime(t *time.Time) utcTime {
	*t = t.UTC().Truncate(time.Microsecond)
	return utcTime{*t}
}

// storedTimePtr is storedTime for optional instants; nil stays NULL.
func storedTimePtr(t *time.Time) *utcTime {
	if t == nil {
		return nil
	}
	v := storedTime(t)
	return &v
}

// Value implements driver.Valuer.
func (t utcTime) Value() (driver.Value, error) {
	return t.Time.UTC().Truncate(time.Microsecond), nil
}

// sqliteTimeLayouts are the text forms SQLite may hand back.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// Scan implements sql.Scanner.
func (t *utcTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("persistence: cannot read %T as an instant", src)
}

func (t *utcTime) parse(s string) error {
	for _, layout := range sqliteTimeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("persistence: cannot parse instant %q", s)
}

// timePtr turns an optional stored instant back into the domain's form.
func timePtr(t *utcTime) *time.Time {
	if t == nil {
		return nil
	}
	v := t.Time
	return &v
}

// jsonObject is a JSON object column: jsonb on Postgres, text on SQLite.
type jsonObject map[string]any

// Value implements driver.Valuer; it writes JSON text, which both jsonb and
// text columns accept.
func (j jsonObject) Value() (driver.Value, error) {
	if j == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]any(j))
	if err != nil {
		return nil, fmt.Errorf("persistence: encode JSON: %w", err)
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (j *jsonObject) Scan(src any) error {
	m := map[string]any{}
	if _, err := scanJSON(src, &m, "JSON"); err != nil {
		return err
	}
	*j = m
	return nil
}

// scanJSON decodes a JSON column (text on SQLite, jsonb on Postgres) into
// dst. It reports false for NULL, leaving dst untouched.
func scanJSON(src, dst any, what string) (bool, error) {
	var b []byte
	switch v := src.(type) {
	case nil:
		return false, nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return false, fmt.Errorf("persistence: cannot read %T as %s", src, what)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return false, fmt.Errorf("persistence: decode %s: %w", what, err)
	}
	return true, nil
}

// valueJSON encodes v for a JSON column.
func valueJSON(v any, what string) (driver.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("persistence: encode %s: %w", what, err)
	}
	return string(b), nil
}

// nullable stores the domain's "" (no reference) as NULL, which foreign
// keys and IS NULL filters need.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// str reads a nullable reference back as the domain's "".
func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// likeEscaper makes user text match literally inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// containsPattern is a LIKE pattern matching text anywhere; use it with
// ESCAPE '\'. It is always bound as a parameter, never spliced into SQL.
func containsPattern(text string) string {
	return "%" + likeEscaper.Replace(text) + "%"
}

// referralColumn is an ad referral stored as JSON (NULL when absent).
type referralColumn struct{ r *domain.Referral }

type referralJSON struct {
	SourceID   string `json:"source_id,omitempty"`
	SourceType string `json:"source_type,omitempty"`
	SourceURL  string `json:"source_url,omitempty"`
	Headline   string `json:"headline,omitempty"`
	Body       string `json:"body,omitempty"`
	CtwaClid   string `json:"ctwa_clid,omitempty"`
}

// Value implements driver.Valuer.
func (c referralColumn) Value() (driver.Value, error) {
	if c.r == nil {
		return nil, nil
	}
	return valueJSON(referralJSON(*c.r), "referral")
}

// Scan implements sql.Scanner.
func (c *referralColumn) Scan(src any) error {
	var j referralJSON
	ok, err := scanJSON(src, &j, "referral")
	c.r = nil
	if ok {
		r := domain.Referral(j)
		c.r = &r
	}
	return err
}

// templateColumn is an outbound template request stored as JSON (a media
// header's file lives in the message's content, like any media).
type templateColumn struct{ t *domain.TemplateMessage }

type templateJSON struct {
	Name     string               `json:"name"`
	Language string               `json:"language"`
	Params   []templateParamJSON  `json:"params,omitempty"`
	Header   *templateHeaderJSON  `json:"header,omitempty"`
	Buttons  []templateButtonJSON `json:"buttons,omitempty"`
}

type templateParamJSON struct {
	Name  string `json:"name,omitempty"`
	Value string `json:"value"`
}

type templateHeaderJSON struct {
	Type  string `json:"type"`
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
}

type templateButtonJSON struct {
	Index int    `json:"index"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Value implements driver.Valuer.
func (c templateColumn) Value() (driver.Value, error) {
	if c.t == nil {
		return nil, nil
	}
	j := templateJSON{Name: c.t.Name, Language: c.t.Language}
	for _, p := range c.t.Params {
		j.Params = append(j.Params, templateParamJSON(p))
	}
	if h := c.t.Header; h != nil {
		hj := templateHeaderJSON(*h)
		j.Header = &hj
	}
	for _, b := range c.t.Buttons {
		j.Buttons = append(j.Buttons, templateButtonJSON(b))
	}
	return valueJSON(j, "template")
}

// Scan implements sql.Scanner.
func (c *templateColumn) Scan(src any) error {
	var j templateJSON
	ok, err := scanJSON(src, &j, "template")
	c.t = nil
	if ok {
		c.t = &domain.TemplateMessage{Name: j.Name, Language: j.Language}
		for _, p := range j.Params {
			c.t.Params = append(c.t.Params, domain.TemplateParam(p))
		}
		if j.Header != nil {
			h := domain.TemplateHeader(*j.Header)
			c.t.Header = &h
		}
		for _, b := range j.Buttons {
			c.t.Buttons = append(c.t.Buttons, domain.TemplateButton(b))
		}
	}
	return err
}
