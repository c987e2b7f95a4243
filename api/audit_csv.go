package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/contactcsv"
)

var auditCSVHeader = []string{"id", "type", "occurred_at", "actor_kind", "actor_id", "subject_id", "data"}

// exportAuditLog streams the audit log as CSV: the header row, then one
// row per event, newest first, flushed as it goes. Nothing is written
// until the filter and the caller have been accepted, so a refusal is
// still a problem+json; an error after the first byte can only cut the
// stream short.
func (h *handlers) exportAuditLog(c *gin.Context, f domain.AuditLogFilter) {
	w := csv.NewWriter(c.Writer)
	started, rows := false, 0
	start := func() error {
		if started {
			return nil
		}
		started = true
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="audit-log.csv"`)
		c.Status(http.StatusOK)
		return w.Write(auditCSVHeader)
	}
	err := h.svc.ExportAuditLog(c.Request.Context(), f, func(e *domain.Event) error {
		if err := start(); err != nil {
			return err
		}
		data, err := json.Marshal(viewFeedEvent(e).Data)
		if err != nil {
			return err
		}
		row := []string{e.ID, e.Type, e.CreatedAt.UTC().Format(time.RFC3339Nano), string(e.Actor.Kind),
			e.Actor.ID, e.SubjectID, string(data)}
		for i := range row {
			row[i] = contactcsv.Neutralize(row[i]) // the contacts export's rule: one CSV-injection rule for every export
		}
		if err := w.Write(row); err != nil {
			return err
		}
		if rows++; rows%100 == 0 {
			w.Flush()
			c.Writer.Flush()
		}
		return w.Error()
	})
	if err == nil {
		err = start() // an empty log is still a file with its header
	}
	if err != nil && !started {
		fail(c, err)
		return
	}
	w.Flush()
	if err != nil {
		_ = c.Error(err) // logged by the middleware; the body is cut short
	}
}
