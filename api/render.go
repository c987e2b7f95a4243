package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

// jsonRender writes a value with encoding/json and an explicit content type.
// It encodes before writing, so an encoding failure never leaves half a body.
type jsonRender struct {
	contentType string
	value       any
}

func (r jsonRender) Render(w http.ResponseWriter) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.value); err != nil {
		return err
	}
	r.WriteContentType(w)
	_, err := w.Write(buf.Bytes())
	return err
}

func (r jsonRender) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", r.contentType+"; charset=utf-8")
}

// respond writes a JSON body with the given status.
func respond(c *gin.Context, status int, v any) {
	c.Render(status, jsonRender{contentType: "application/json", value: v})
}

// list is the envelope of every listing.
type list[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
}

// renderPage renders one page of a paginated listing.
func renderPage[E, T any](c *gin.Context, page domain.Page[E], view func(E) T) {
	out := list[T]{Data: make([]T, 0, len(page.Items)), NextCursor: nullable(page.NextCursor), HasMore: page.HasMore}
	for _, item := range page.Items {
		out.Data = append(out.Data, view(item))
	}
	respond(c, http.StatusOK, out)
}

// renderAll renders a small unpaginated catalog in the list envelope.
func renderAll[E, T any](c *gin.Context, items []E, view func(E) T) {
	renderPage(c, domain.Page[E]{Items: items}, view)
}

// nullable renders "" as JSON null: optional ids and texts are absent, not empty.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// timestamp renders instants as RFC 3339 in UTC.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339Nano))
}

func stamp(t time.Time) timestamp { return timestamp(t) }

// optionalStamp renders a nil instant as null.
func optionalStamp(t *time.Time) *timestamp {
	if t == nil {
		return nil
	}
	ts := timestamp(*t)
	return &ts
}

// ids renders a nil slice of ids as [] rather than null.
func ids(in []string) []string {
	if in == nil {
		return []string{}
	}
	return in
}
