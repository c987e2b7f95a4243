package api

import (
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/cleantext"
)

// rejectUnstorableText refuses a query parameter or path segment holding a
// NUL or invalid UTF-8 (?q=%00, ?q=%FF%FE, /v1/contacts/%00), naming it:
// Postgres refuses such text with an error and SQLite matches it oddly, so
// both databases answer the same 400 before any handler runs. JSON bodies
// are checked where they are decoded (decodeStrict). Meta's webhook is
// left to its own checks: it never refuses a delivery for its bytes.
func rejectUnstorableText(c *gin.Context) {
	if c.FullPath() == "/webhooks/whatsapp" {
		c.Next()
		return
	}
	for _, p := range c.Params {
		if problem := cleantext.Problem(p.Value); problem != "" {
			fail(c, domain.FieldError(p.Key, "path parameter %s %s", p.Key, problem))
			return
		}
	}
	// The one header stored as text; HTTP itself refuses NUL in headers.
	if problem := cleantext.Problem(c.GetHeader("Idempotency-Key")); problem != "" {
		fail(c, domain.FieldError("Idempotency-Key", "the Idempotency-Key header %s", problem))
		return
	}
	query := c.Request.URL.Query()
	names := make([]string, 0, len(query))
	for name := range query {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if problem := cleantext.Problem(name); problem != "" {
			fail(c, domain.Errorf(domain.CodeInvalid, "a query parameter's name %s", problem))
			return
		}
		for _, v := range query[name] {
			if problem := cleantext.Problem(v); problem != "" {
				fail(c, domain.FieldError(name, "query parameter %s %s", name, problem))
				return
			}
		}
	}
	c.Next()
}
