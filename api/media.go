package api

import (
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

// mediaCacheControl lets the caller's own browser keep a file (its bytes
// never change) but no shared cache.
const mediaCacheControl = "private, max-age=3600"

func (h *handlers) registerMedia(g *gin.RouterGroup) {
	g.GET("/messages/:id/media", h.messageMedia)
}

// messageMedia streams a message's stored file to a caller who may read
// the message. Customer files are untrusted: they are always an attachment,
// never sniffed, typed only from an allow-list, and sandboxed if opened.
func (h *handlers) messageMedia(c *gin.Context) {
	id := c.Param("id")
	f, body, err := h.svc.MessageMedia(c.Request.Context(), id)
	if err != nil {
		fail(c, err) // sets Retry-After while the file is still downloading
		return
	}
	defer body.Close()
	hdr := c.Writer.Header()
	hdr.Set("Cache-Control", mediaCacheControl)
	hdr.Set("Vary", "Authorization")
	if f.SHA256 != "" {
		hdr.Set("ETag", `"`+f.SHA256+`"`)
		if etagMatches(c.GetHeader("If-None-Match"), f.SHA256) {
			c.Status(http.StatusNotModified)
			return
		}
	}
	contentType := servedMediaType(f.MimeType)
	hdr.Set("Content-Type", contentType)
	hdr.Set("Content-Disposition", attachmentDisposition(f.Filename, defaultMediaFilename(id, contentType)))
	hdr.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hdr.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	c.Status(http.StatusOK)
	if _, err := io.CopyN(c.Writer, body, f.Size); err != nil {
		// The headers are out: the client sees a short body, the log why.
		loggerFrom(c).WarnContext(c.Request.Context(), "media download interrupted",
			slog.String("request_id", domain.RequestID(c.Request.Context())), slog.String("error", err.Error()))
	}
}

// metaSHA256Hex turns the base64 SHA-256 Meta puts in media webhooks into
// hex, the form Centralita uses for stored files, so the field has one
// format whatever the media's state; anything else is dropped.
func metaSHA256Hex(b64 string) string {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != 32 {
		return ""
	}
	return hex.EncodeToString(raw)
}
