package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/cleantext"
)

// decodeBody reads the request body strictly into dst (a pointer to a
// request struct): exactly one JSON object, no unknown fields, no trailing
// data, every field tagged required:"true" present. It writes the problem
// itself and reports false when the body is rejected, so handlers return
// before any domain call and nothing is written.
func decodeBody(c *gin.Context, dst any) bool {
	if err := decodeStrict(c.Request.Body, dst); err != nil {
		fail(c, err)
		return false
	}
	return true
}

func decodeStrict(body io.Reader, dst any) error {
	if body == nil {
		return domain.Errorf(domain.CodeInvalid, "request body is required")
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		if isTooLarge(err) {
			return errPayloadTooLarge
		}
		return domain.Errorf(domain.CodeInvalid, "request body could not be read")
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return domain.Errorf(domain.CodeInvalid, "request body is required")
	}
	if trimmed[0] != '{' {
		return domain.Errorf(domain.CodeInvalid, "request body must be a JSON object")
	}
	if !utf8.Valid(raw) {
		// encoding/json would silently turn the bad bytes into U+FFFD.
		return domain.Errorf(domain.CodeInvalid, "request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return describeDecodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return domain.Errorf(domain.CodeInvalid, "request body must hold a single JSON object")
	}
	if err := checkText(dst); err != nil {
		return err
	}
	return checkRequired(dst)
}

// checkText refuses a decoded body holding a string no database stores
// alike (Postgres refuses NUL, SQLite keeps it and matches it oddly),
// naming the field by its JSON path, e.g. interactive.buttons[0].title.
func checkText(dst any) error {
	if path, problem, found := cleantext.FirstProblem(dst); found {
		return domain.FieldError(path, "%s %s", path, problem)
	}
	return nil
}

// describeDecodeError turns encoding/json's errors into caller-safe problems
// that name the offending field when json knows it.
func describeDecodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return domain.Errorf(domain.CodeInvalid, "request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.CodeInvalid, "request body is not valid JSON (truncated)")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return domain.Errorf(domain.CodeInvalid, "request body must be a JSON object")
		}
		return domain.FieldError(typ.Field, "%s must be %s", typ.Field, jsonKind(typ.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return domain.FieldError(field, "unknown field %q", field)
	case errors.Is(err, errBadTimestamp):
		return domain.Errorf(domain.CodeInvalid, "timestamps must be RFC 3339, e.g. 2026-01-31T15:04:05Z")
	}
	return domain.Errorf(domain.CodeInvalid, "request body is not valid for this operation")
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Slice:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "of another type"
}

// checkRequired reports the first field tagged required:"true" that the body
// did not carry. Required fields are pointers or nullableString so absence is
// visible after decoding.
func checkRequired(dst any) error {
	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("required") != "true" {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fv := v.Field(i)
		missing := false
		switch {
		case fv.Kind() == reflect.Pointer:
			missing = fv.IsNil()
		case fv.Type() == reflect.TypeOf(nullableString{}):
			missing = !fv.Interface().(nullableString).Present
		}
		if missing {
			return domain.FieldError(name, "%s is required", name)
		}
	}
	return nil
}

// nullableString distinguishes an absent field from an explicit null, for
// inputs such as assignee_id where null means "unassign".
type nullableString struct {
	Present bool
	Value   string // "" when null
}

func (n *nullableString) UnmarshalJSON(b []byte) error {
	n.Present = true
	if string(b) == "null" {
		n.Value = ""
		return nil
	}
	return json.Unmarshal(b, &n.Value)
}

var errBadTimestamp = errors.New("bad timestamp")

// jsonTime is an RFC 3339 timestamp in a request body.
type jsonTime struct{ time.Time }

func (j *jsonTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errBadTimestamp
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return errBadTimestamp
	}
	j.Time = t.UTC()
	return nil
}

// timePtr returns the instant of an optional timestamp field.
func timePtr(j *jsonTime) *time.Time {
	if j == nil {
		return nil
	}
	t := j.Time
	return &t
}

// queryInt parses an optional integer query parameter.
func queryInt(c *gin.Context, name string) (int, error) {
	s := c.Query(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, domain.FieldError(name, "%s must be an integer", name)
	}
	return n, nil
}

// queryBool parses an optional boolean query parameter; nil when absent.
func queryBool(c *gin.Context, name string) (*bool, error) {
	s := c.Query(name)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, domain.FieldError(name, "%s must be true or false", name)
	}
	return &b, nil
}

// pageRequest reads limit and cursor. A limit given, even empty, is the
// caller's: only an absent one means the default.
func pageRequest(c *gin.Context) (domain.PageRequest, error) {
	page := domain.PageRequest{After: c.Query("cursor")}
	if _, given := c.GetQuery("limit"); given {
		n, err := queryInt(c, "limit") // "" reads as 0, which the domain refuses
		if err != nil {
			return page, err
		}
		page.Limit = &n
	}
	return page, nil
}

// syncPageRequest reads limit and cursor plus the incremental-sync
// parameters of the listings that have them: sort and updated_since.
func syncPageRequest(c *gin.Context) (domain.PageRequest, error) {
	page, err := pageRequest(c)
	if err != nil {
		return page, err
	}
	page.Sort = domain.Sort(c.Query("sort"))
	if s, ok := c.GetQuery("updated_since"); ok {
		since, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return page, domain.FieldError("updated_since",
				"updated_since must be an RFC 3339 instant, e.g. 2026-01-31T15:04:05Z (a + in an offset is sent as %%2B)")
		}
		page.UpdatedSince = &since
	}
	return page, nil
}

// given is a nullable field's value for an update: nil when absent, "" when null.
func (n nullableString) given() *string {
	if !n.Present {
		return nil
	}
	return &n.Value
}
