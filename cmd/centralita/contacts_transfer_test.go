package main

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// spanishExcel is a sheet as Excel saves "CSV UTF-8" in a Spanish locale:
// a byte order mark, semicolons, CRLF, Spanish headers, a column the
// import does not know, and rows good and bad.
const spanishExcel = "\uFEFFNombre;Teléfono;Correo;ref.hubspot;attr.plan;Notas\r\n" +
	"Ana Pérez;987 654 321;ana@example.com;101;gold;cliente antigua\r\n" + // line 2: new
	"Bea;+51 912-345-678;;102;;\r\n" + // line 3: new
	"Carla;12345;;;;\r\n" + // line 4: impossible number
	"Dora;;dora@example.com;;;\r\n" + // line 5: neither phone nor ref
	"Elena;955 111 222;no-es-email;;;\r\n" + // line 6: bad email
	"Ana P.;51987654321;;;;\r\n" + // line 7: Ana again, by phone
	"Fede;\"933 000 111\";;103;silver;\"notas; con punto y coma\"\r\n" // line 8: new, quoted

type importAnswer struct {
	Created, Updated int
	Errors           []struct {
		Row           int
		Field, Reason string
	}
	IgnoredColumns []string `json:"ignored_columns"`
	DryRun         bool     `json:"dry_run"`
}

func importCSV(t *testing.T, c *restClient, token, query string, body []byte, contentType string) (response, importAnswer) {
	t.Helper()
	res := c.call(http.MethodPost, "/v1/contacts/import"+query, token, body, "Content-Type", contentType)
	var out importAnswer
	if res.Status == http.StatusOK {
		res.decode(t, &out)
	}
	return res, out
}

// A dry run reports what an import would do and writes nothing; the real
// import then does exactly that: bad rows are reported by line and field
// and never block the good ones, a person twice is created then updated.
func TestImportContactsFromASpanishExcelSheet(t *testing.T) {
	a := newTestApp(t)
	c := a.rest()
	tn := a.bootstrap("Import Co")
	existing := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", tn.APIKey,
		map[string]any{"name": "Bea (antes)", "phone": "912345678"}))
	contacts, events := a.count("contacts"), a.count("events")

	check := func(out importAnswer, dryRun bool) {
		t.Helper()
		require.Equal(t, dryRun, out.DryRun)
		require.Equal(t, 2, out.Created, "Ana and Fede")
		require.Equal(t, 2, out.Updated, "Bea, whose number is on file, and Ana again")
		require.Equal(t, []string{"Notas"}, out.IgnoredColumns)
		var got []string
		for _, e := range out.Errors {
			got = append(got, e.Field+"@"+string(rune('0'+e.Row)))
			require.NotEmpty(t, e.Reason)
		}
		require.Equal(t, []string{"Teléfono@4", "Teléfono@5", "Correo@6"}, got, "named by the sheet's own headers")
	}
	res, dry := importCSV(t, c, tn.APIKey, "?dry_run=true", []byte(spanishExcel), "text/csv")
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	check(dry, true)
	require.Equal(t, contacts, a.count("contacts"), "a dry run writes nothing")
	require.Equal(t, events, a.count("events"))
	require.Empty(t, listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?external_ref=hubspot:101", tn.APIKey, nil)))

	body, contentType := uploadBody(t, "clientes.csv", "text/csv", []byte(spanishExcel))
	res, real := importCSV(t, c, tn.APIKey, "", body, contentType)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, dry.Created, real.Created)
	require.Equal(t, dry.Updated, real.Updated)
	require.Equal(t, dry.Errors, real.Errors)
	require.Equal(t, contacts+2, a.count("contacts"))

	ana := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?external_ref=hubspot:101", tn.APIKey, nil))
	require.Len(t, ana, 1)
	require.Equal(t, "Ana P.", ana[0]["name"], "the later row updated her")
	require.Equal(t, "+51987654321", ana[0]["phone_e164"])
	require.Equal(t, map[string]any{"plan": "gold"}, ana[0]["custom_attributes"])
	bea := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?external_ref=hubspot:102", tn.APIKey, nil))
	require.Len(t, bea, 1)
	require.Equal(t, existing, bea[0]["id"], "the CRM's id joins the contact with the number")
	require.Equal(t, "Bea", bea[0]["name"])
	require.Equal(t, 1, a.count("events WHERE type = 'contacts.imported'"))

	// Comma-separated, no BOM, Windows-1252 as Excel's plain "CSV" saves it.
	latin := []byte("name,celular\nJos\xe9,+51 977 000 111\n")
	res, out := importCSV(t, c, tn.APIKey, "", latin, "text/csv")
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, 1, out.Created)
	rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?phone=977000111", tn.APIKey, nil))
	require.Equal(t, "José", rows[0]["name"])
}

// The file as a whole is checked before any row; only admins and owners
// import; a form with other parts, no key column or an empty file is a 400.
func TestImportContactsRefusals(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Refusal Co")
	before := len(listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts", w.APIKeySecret, nil)))
	for name, tc := range map[string]struct {
		token, query, contentType string
		body                      []byte
		status                    int
		field                     string
	}{
		"agent":         {w.AgentToken, "", "text/csv", []byte("phone\n987654321\n"), http.StatusForbidden, ""},
		"supervisor":    {w.SupervisorToken, "", "text/csv", []byte("phone\n987654321\n"), http.StatusForbidden, ""},
		"no key column": {w.APIKeySecret, "", "text/csv", []byte("nombre\nAna\n"), http.StatusBadRequest, "file"},
		"empty":         {w.APIKeySecret, "", "text/csv", []byte("\uFEFF"), http.StatusBadRequest, "file"},
		"json":          {w.APIKeySecret, "", "application/json", []byte(`{"phone":"1"}`), http.StatusBadRequest, "Content-Type"},
		"bad dry_run":   {w.APIKeySecret, "?dry_run=yes", "text/csv", []byte("phone\n987654321\n"), http.StatusBadRequest, "dry_run"},
	} {
		res := c.call(http.MethodPost, "/v1/contacts/import"+tc.query, tc.token, tc.body, "Content-Type", tc.contentType)
		require.Equal(t, tc.status, res.Status, "%s: %s", name, res.Body)
		if tc.field != "" {
			require.Equal(t, tc.field, problemOf(t, res).Errors[0].Field, name)
		}
	}
	body, contentType := uploadBody(t, "c.csv", "text/csv", []byte("phone\n987654321\n"), "extra", "x")
	res := c.call(http.MethodPost, "/v1/contacts/import", w.APIKeySecret, body, "Content-Type", contentType)
	require.Equal(t, http.StatusBadRequest, res.Status, string(res.Body))
	huge := []byte("phone\n" + strings.Repeat("987654321\n", 1_200_000))
	res = c.app.do(http.MethodPost, "/v1/contacts/import", w.APIKeySecret, huge, "Content-Type", "text/csv")
	require.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	require.Len(t, listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts", w.APIKeySecret, nil)), before)
}

// The export is a CSV of the live contacts of the caller's workspace, a
// spreadsheet opens it without running anything, and it imports back.
func TestExportContacts(t *testing.T) {
	_, c := newRESTApp(t)
	w, other := c.populate("Export Co"), c.populate("Other Co")
	key := w.APIKeySecret
	evil := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", key, map[string]any{
		"name": "=HYPERLINK(\"http://evil.example\")", "phone": "987 000 001",
		"custom_attributes": map[string]any{"nota": "@SUM(1+1)"},
		"external_refs":     []any{map[string]any{"system": "hubspot", "id": "-1"}}}))
	gone := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", key, map[string]any{"name": "Gone", "phone": "987 000 002"}))
	c.expect(http.StatusNoContent, http.MethodDelete, "/v1/contacts/"+gone, key, nil)

	for _, token := range []string{w.AgentToken, w.SupervisorToken} {
		require.Equal(t, http.StatusForbidden, c.call(http.MethodGet, "/v1/contacts/export", token, nil).Status)
	}
	res := c.expect(http.StatusOK, http.MethodGet, "/v1/contacts/export", key, nil)
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(string(res.Body), "\uFEFF"), "a BOM so Excel reads UTF-8")
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(res.Body), "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"id", "name", "phone_e164", "wa_id", "email", "external_refs", "tags", "custom_attributes", "created_at", "updated_at"}, records[0])
	require.Len(t, records, 3, "header, the populated contact and the evil one; not the deleted one nor the other workspace's")
	body := string(res.Body)
	require.NotContains(t, body, gone)
	require.NotContains(t, body, other.ContactID)
	var row []string
	for _, r := range records[1:] {
		if r[0] == evil {
			row = r
		}
	}
	require.Equal(t, `'=HYPERLINK("http://evil.example")`, row[1])
	require.Equal(t, "'+51987000001", row[2])
	require.Equal(t, "hubspot:-1", row[5])
	for _, r := range records {
		for _, cell := range r {
			if cell != "" {
				require.NotContains(t, "=+-@\t\r", cell[:1], "cell %q would run as a formula", cell)
			}
		}
	}
	filtered := c.expect(http.StatusOK, http.MethodGet, "/v1/contacts/export?phone=987000001", key, nil)
	require.Equal(t, 2, strings.Count(string(filtered.Body), "\n"))
	var n int
	require.NoError(t, c.app.sql().QueryRowContext(context.Background(),
		`SELECT count(*) FROM events WHERE type = 'contacts.exported' AND workspace_id = $1`, w.WorkspaceID).Scan(&n))
	require.Equal(t, 2, n)

	// The export imports back into another workspace as the same people.
	res, out := importCSV(t, c, other.APIKeySecret, "", res.Body, "text/csv")
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, 2, out.Created, "%+v", out)
	rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?external_ref=hubspot:-1", other.APIKeySecret, nil))
	require.Len(t, rows, 1)
	require.Equal(t, `=HYPERLINK("http://evil.example")`, rows[0]["name"])
	require.Equal(t, map[string]any{"nota": "@SUM(1+1)"}, rows[0]["custom_attributes"])
}
