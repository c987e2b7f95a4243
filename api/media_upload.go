package api

import (
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/cleantext"
)

// DefaultMaxUploadBytes is the largest file POST /v1/media takes when
// Deps.MaxUploadBytes is 0: WhatsApp's largest media (documents, 100 MB).
const DefaultMaxUploadBytes = 100 << 20

// multipartOverhead is room for the form's boundaries and headers on top
// of the file itself.
const multipartOverhead = 1 << 20

// uploadMemory is how much of a form is held in memory; the rest of a
// large file is spooled to a temporary file until it is stored.
const uploadMemory = 8 << 20

// registerMediaUpload serves POST /v1/media outside the /v1 group: it needs
// a body cap of its own, far above the JSON routes'.
func (h *handlers) registerMediaUpload(r *gin.Engine, maxFileBytes int64, guard ...gin.HandlerFunc) {
	if maxFileBytes <= 0 {
		maxFileBytes = DefaultMaxUploadBytes
	}
	chain := append([]gin.HandlerFunc{limitBody(maxFileBytes + multipartOverhead), noStore}, guard...)
	r.POST("/v1/media", append(chain, h.uploadMedia(maxFileBytes))...)
}

type mediaFileView struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	MimeType  string    `json:"mime_type"`
	Filename  string    `json:"filename"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	CreatedAt timestamp `json:"created_at"`
}

// uploadMedia stores a file to send later: multipart/form-data with the
// bytes in "file" (its part's Content-Type is the declared type) and an
// optional "filename" overriding the part's. Files over maxFileBytes are
// 413 like oversized bodies.
// uploadReadTimeout bounds reading one upload (100 MB at about 1.5 Mbit/s).
const uploadReadTimeout = 10 * time.Minute

func (h *handlers) uploadMedia(maxFileBytes int64) gin.HandlerFunc {
	return func(c *gin.Context) { h.storeUpload(c, maxFileBytes) }
}

func (h *handlers) storeUpload(c *gin.Context, maxFileBytes int64) {
	// The server's read timeout suits JSON bodies; a 100 MB document on a
	// slow uplink needs longer, so this route extends its own deadline.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Now().Add(uploadReadTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(uploadReadTimeout + time.Minute))
	mediaType, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		fail(c, domain.FieldError("file", "send the file as multipart/form-data in a field named file"))
		return
	}
	if err := c.Request.ParseMultipartForm(uploadMemory); err != nil {
		if isTooLarge(err) || strings.Contains(err.Error(), "request body too large") {
			fail(c, errPayloadTooLarge)
			return
		}
		fail(c, domain.FieldError("file", "the multipart body could not be read"))
		return
	}
	form := c.Request.MultipartForm
	defer func() { _ = form.RemoveAll() }()
	fh, filename, err := uploadFields(form)
	if err != nil {
		fail(c, err)
		return
	}
	if fh.Size > maxFileBytes {
		fail(c, &domain.Error{Code: codePayloadTooLarge,
			Message: fmt.Sprintf("the file has %d bytes; this server takes at most %d", fh.Size, maxFileBytes)})
		return
	}
	file, err := fh.Open()
	if err != nil {
		fail(c, err)
		return
	}
	defer file.Close()
	if filename == "" {
		filename = fh.Filename
	}
	f, err := h.svc.UploadMedia(c.Request.Context(), file, fh.Header.Get("Content-Type"), filename)
	if err != nil {
		fail(c, err)
		return
	}
	respond(c, http.StatusCreated, mediaFileView{ID: f.ID, Kind: string(domain.UploadKind(f.MimeType)),
		MimeType: f.MimeType, Filename: f.Filename, Size: f.Size, SHA256: f.SHA256, CreatedAt: stamp(f.CreatedAt)})
}

// uploadFields checks the form is exactly one file and an optional
// filename, as strictly as JSON bodies are decoded.
func uploadFields(form *multipart.Form) (*multipart.FileHeader, string, error) {
	for name := range form.File {
		if name != "file" {
			return nil, "", domain.FieldError(name, "unknown field %q", name)
		}
	}
	for name, values := range form.Value {
		if name == "file" {
			return nil, "", domain.FieldError("file", "file must be a file part (curl -F file=@photo.jpg)")
		}
		if name != "filename" {
			return nil, "", domain.FieldError(name, "unknown field %q", name)
		}
		if len(values) != 1 {
			return nil, "", domain.FieldError(name, "filename is given more than once")
		}
	}
	files := form.File["file"]
	switch len(files) {
	case 0:
		return nil, "", domain.FieldError("file", "file is required")
	case 1:
	default:
		return nil, "", domain.FieldError("file", "upload one file per request")
	}
	var filename string
	if v := form.Value["filename"]; len(v) == 1 {
		filename = v[0]
	}
	if p := cleantext.Problem(filename); p != "" {
		return nil, "", domain.FieldError("filename", "filename %s", p)
	}
	if p := cleantext.Problem(files[0].Filename); p != "" && filename == "" {
		return nil, "", domain.FieldError("file", "the file part's name %s; send a filename field", p)
	}
	return files[0], filename, nil
}
