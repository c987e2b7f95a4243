// Package model holds the GraphQL input and payload types (generated) and
// the hand-written scalars and interfaces they need.
package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/centralita/centralita/domain"
)

// Node is any object with a global id. The domain entities are bound to the
// GraphQL types directly, so the interface carries no methods.
type Node any

// MarshalDateTime renders an instant as RFC 3339 in UTC.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime parses an RFC 3339 instant.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, domain.FieldError("date_time", "DateTime must be an RFC 3339 string")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, domain.FieldError("date_time", "DateTime must be an RFC 3339 string such as 2026-01-02T15:04:05Z")
	}
	return t.UTC(), nil
}

// MarshalJSON renders a JSON object.
func MarshalJSON(m map[string]any) graphql.Marshaler { return graphql.MarshalMap(m) }

// UnmarshalJSON accepts a JSON object.
func UnmarshalJSON(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, domain.FieldError("custom_attributes", "must be a JSON object")
	}
	return m, nil
}
