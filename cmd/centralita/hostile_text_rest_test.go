package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// REST input holding NUL or invalid UTF-8 is a 400 naming the field, the
// query parameter or the path segment, and writes nothing, on both
// databases alike: before, Postgres answered 500 and SQLite stored the NUL
// (and ?q=%00 matched every row).
func TestRESTRefusesUnstorableText(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	tag := a.do(http.MethodPost, "/v1/tags", tn.OwnerToken, map[string]any{"name": "vip"})
	require.Equal(t, http.StatusCreated, tag.Status, "%s", tag.Body)
	tables := []string{"contacts", "tags", "messages", "notes", "tasks", "media_files", "events"}
	counts := func() map[string]int {
		out := map[string]int{}
		for _, table := range tables {
			out[table] = a.count(table)
		}
		return out
	}
	before := counts()
	conversation := "/v1/conversations/" + conv.ID
	buttons := []map[string]any{{"id": "si", "title": "Sí"}, {"id": "no", "title": "N\x00o"}}
	for _, tc := range []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"contact name", http.MethodPatch, "/v1/contacts/" + conv.ContactID, map[string]any{"name": "An\x00a"}, "name"},
		{"new contact", http.MethodPost, "/v1/contacts", map[string]any{"wa_id": "51999888777", "name": "\x00"}, "name"},
		{"custom attribute", http.MethodPatch, "/v1/contacts/" + conv.ContactID,
			map[string]any{"custom_attributes": map[string]any{"plan": "gold\x00"}}, "custom_attributes.plan"},
		{"note", http.MethodPost, conversation + "/notes", map[string]any{"body": "llamar\x00"}, "body"},
		{"tag", http.MethodPost, "/v1/tags", map[string]any{"name": "t\x00g"}, "name"},
		{"message text", http.MethodPost, conversation + "/messages", map[string]any{"text": "ho\x00la"}, "text"},
		{"button title", http.MethodPost, conversation + "/messages", map[string]any{"interactive": map[string]any{
			"type": "button", "body": "¿Confirmamos?", "buttons": buttons}}, "interactive.buttons[1].title"},
		{"task", http.MethodPost, conversation + "/tasks", map[string]any{"title": "x\x00"}, "title"},
		{"invalid UTF-8 body", http.MethodPost, "/v1/tags", []byte("{\"name\":\"\xff\xfe\"}"), ""},
		{"query ?q=%00", http.MethodGet, "/v1/contacts?q=%00", nil, "q"},
		{"query ?q=%FF%FE", http.MethodGet, "/v1/contacts?q=%FF%FE", nil, "q"},
		{"conversation search", http.MethodGet, "/v1/conversations?q=a%00", nil, "q"},
		{"path segment", http.MethodGet, "/v1/contacts/ctc_%00", nil, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := a.do(tc.method, tc.path, tn.OwnerToken, tc.body)
			require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
			p := problemOf(t, res)
			require.Equal(t, "invalid", string(p.Code))
			require.Regexp(t, `NUL|UTF-8`, p.Detail, "refused for its text, not its shape")
			if tc.field != "" {
				require.Len(t, p.Errors, 1, "%s", res.Body)
				require.Equal(t, tc.field, p.Errors[0].Field)
			}
		})
	}
	t.Run("upload file name", func(t *testing.T) {
		body, contentType := uploadBody(t, "plano.png", "image/png", pngBytes(t), "filename", "pla\x00no.png")
		res := a.do(http.MethodPost, "/v1/media", tn.OwnerToken, body, "Content-Type", contentType)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
		require.Equal(t, "filename", problemOf(t, res).Errors[0].Field)
	})
	t.Run("Idempotency-Key", func(t *testing.T) {
		res := a.do(http.MethodPost, conversation+"/messages", tn.OwnerToken, map[string]any{"text": "hola"},
			"Idempotency-Key", "k\xff\xfe")
		require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
		require.Equal(t, "Idempotency-Key", problemOf(t, res).Errors[0].Field)
	})
	require.Equal(t, before, counts(), "refused input writes nothing")

	// The same text without the NUL is stored as usual.
	res := a.do(http.MethodPost, conversation+"/notes", tn.OwnerToken, map[string]any{"body": "llamar"})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
}

// GraphQL arguments holding NUL are BAD_USER_INPUT naming the argument,
// and write nothing.
func TestGraphQLRefusesUnstorableText(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Gql Text")
	notes := a.count("notes")
	res := a.graphql(w.OwnerToken, `mutation($in: AddNoteInput!) { addNote(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"conversationId": w.ConversationID, "body": "a\x00b"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, res.errorCodes())
	require.Equal(t, "$in.body", res.Errors[0].Extensions["field"])
	res = a.graphql(w.OwnerToken, `{ contacts(filter: {text: "\u0000"}) { nodes { id } } }`, nil)
	require.Equal(t, []string{"BAD_USER_INPUT"}, res.errorCodes())
	require.Equal(t, "filter.text", res.Errors[0].Extensions["field"])
	require.Equal(t, notes, a.count("notes"))
}
