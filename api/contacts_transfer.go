package api

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/contactcsv"
)

// MaxImportBytes bounds a contact import's file (about 100,000 short rows;
// the domain also caps the rows).
const MaxImportBytes = 10 << 20

// registerContactImport serves POST /v1/contacts/import outside the /v1
// group: a spreadsheet needs a body cap above the JSON routes'.
func (h *handlers) registerContactImport(r *gin.Engine, guard ...gin.HandlerFunc) {
	chain := append([]gin.HandlerFunc{limitBody(MaxImportBytes + multipartOverhead), noStore}, guard...)
	r.POST("/v1/contacts/import", append(chain, h.importContacts)...)
}

type importErrorView struct {
	Row    int    `json:"row"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

type importView struct {
	Created        int               `json:"created"`
	Updated        int               `json:"updated"`
	Errors         []importErrorView `json:"errors"`
	IgnoredColumns []string          `json:"ignored_columns"`
	DryRun         bool              `json:"dry_run"`
}

// importContacts takes the CSV as a multipart "file" or as the body
// itself (text/csv); ?dry_run=true writes nothing.
func (h *handlers) importContacts(c *gin.Context) {
	dryRun, err := boolQuery(c, "dry_run")
	if err != nil {
		fail(c, err)
		return
	}
	data, err := importBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	res, err := h.svc.ImportContacts(c.Request.Context(), data, dryRun)
	if err != nil {
		fail(c, err)
		return
	}
	out := importView{Created: res.Created, Updated: res.Updated, Errors: make([]importErrorView, 0, len(res.Errors)),
		IgnoredColumns: res.IgnoredColumns, DryRun: res.DryRun}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, importErrorView{Row: e.Row, Field: e.Field, Reason: e.Reason})
	}
	respond(c, http.StatusOK, out)
}

// importBody reads the file of an import request.
func importBody(c *gin.Context) ([]byte, error) {
	mediaType, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var body io.Reader = c.Request.Body
	switch mediaType {
	case "multipart/form-data":
		file, _, err := c.Request.FormFile("file")
		if err != nil {
			if isTooLarge(err) {
				return nil, errPayloadTooLarge
			}
			return nil, domain.FieldError("file", "the multipart form needs the CSV in a part named file")
		}
		defer file.Close()
		if err := onlyFilePart(c.Request.MultipartForm); err != nil {
			return nil, err
		}
		body = io.LimitReader(file, MaxImportBytes+1)
	case "text/csv", "text/plain", "application/csv", "application/vnd.ms-excel":
	default:
		return nil, domain.FieldError("Content-Type", "send the CSV as text/csv or as multipart/form-data with a part named file")
	}
	if body == nil {
		return nil, domain.FieldError("file", "the CSV file is required")
	}
	data, err := io.ReadAll(body)
	if err != nil {
		if isTooLarge(err) {
			return nil, errPayloadTooLarge
		}
		return nil, domain.FieldError("file", "the file could not be read")
	}
	if len(data) > MaxImportBytes {
		return nil, errPayloadTooLarge
	}
	return data, nil
}

// onlyFilePart refuses a form with parts other than file, as a JSON body
// with unknown fields is refused.
func onlyFilePart(form *multipart.Form) error {
	if form == nil {
		return nil
	}
	for name := range form.Value {
		return domain.FieldError(name, "unknown form field %q; the form takes only file", name)
	}
	for name, files := range form.File {
		if name != "file" || len(files) != 1 {
			return domain.FieldError(name, "the form takes exactly one file part, named file")
		}
	}
	return nil
}

// boolQuery reads an optional true/false query parameter.
func boolQuery(c *gin.Context, name string) (bool, error) {
	switch v, _ := c.GetQuery(name); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, domain.FieldError(name, "%s must be true or false", name)
}

var exportHeader = []string{"id", "name", "phone_e164", "wa_id", "email", "external_refs", "tags",
	"custom_attributes", "created_at", "updated_at"}

// exportContacts streams the workspace's contacts (filtered as a listing)
// as CSV, a page at a time. Cells that a spreadsheet would run as a
// formula are prefixed with an apostrophe.
func (h *handlers) exportContacts(c *gin.Context) {
	f, err := contactFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	var w *contactcsv.Writer
	start := func() error {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="contacts.csv"`)
		c.Status(http.StatusOK)
		var err error
		if w, err = contactcsv.NewWriter(c.Writer); err != nil {
			return err
		}
		return w.Write(exportHeader)
	}
	err = h.svc.ExportContacts(c.Request.Context(), f, func(ct *domain.Contact) error {
		if w == nil {
			if err := start(); err != nil {
				return err
			}
		}
		return w.Write(exportRow(ct))
	})
	if err == nil && w == nil {
		err = start()
	}
	if err != nil && w == nil {
		fail(c, err)
		return
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		// Half a file went out: cut the connection so the client sees a
		// failure, not a short export.
		loggerFrom(c).WarnContext(c.Request.Context(), "contact export failed midway", "error", err.Error())
		panic(http.ErrAbortHandler)
	}
}

func exportRow(ct *domain.Contact) []string {
	refs := make([]string, len(ct.ExternalRefs))
	for i, r := range ct.ExternalRefs {
		refs[i] = r.String()
	}
	attrs, _ := json.Marshal(ct.CustomAttributes)
	if ct.CustomAttributes == nil {
		attrs = []byte("{}")
	}
	return []string{ct.ID, ct.Name, ct.PhoneE164, ct.WaID, ct.Email, strings.Join(refs, "|"),
		strings.Join(ct.TagIDs, "|"), string(attrs), ct.CreatedAt.UTC().Format(time.RFC3339), ct.UpdatedAt.UTC().Format(time.RFC3339)}
}
