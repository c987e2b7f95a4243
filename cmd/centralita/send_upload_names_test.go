package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A file sent from an upload keeps the upload's name, over REST and
// GraphQL: a document sends it to WhatsApp as its filename unless the
// caller names it otherwise; any other kind keeps it on the message (shown
// as media.filename) but WhatsApp, which takes names for documents only,
// is not sent it.
func TestMediaSentFromAnUploadKeepsTheUploadsName(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	c := a.rest()
	pdf := c.uploadOK(tn.OwnerToken, "contrato.pdf", "application/pdf", []byte("%PDF-1.4\n%%EOF\n"))
	png := c.uploadOK(tn.OwnerToken, "plano.png", "image/png", pngBytes(t))
	path := "/v1/conversations/" + conv.ID + "/messages"
	rest := func(media map[string]any) string {
		res := c.expect(http.StatusCreated, http.MethodPost, path, tn.OwnerToken, map[string]any{"media": media})
		return idOf(t, res)
	}
	gql := func(in map[string]any) string {
		in["conversationId"] = conv.ID
		d := a.gqlOK(tn.OwnerToken, `mutation($in: SendMediaMessageInput!) { sendMediaMessage(input: $in) {
			message { id } userErrors { field message } } }`, map[string]any{"in": in})
		require.Empty(t, d.list(t, "sendMediaMessage.userErrors"))
		return d.str(t, "sendMediaMessage.message.id")
	}
	type want struct{ filename, sentFilename, kind string }
	cases := map[string]want{
		rest(map[string]any{"upload_id": pdf}):                                            {"contrato.pdf", "contrato.pdf", "document"},
		rest(map[string]any{"upload_id": pdf, "type": "document", "caption": "Firmado"}):  {"contrato.pdf", "contrato.pdf", "document"},
		rest(map[string]any{"upload_id": pdf, "filename": "Contrato 2026.pdf"}):           {"Contrato 2026.pdf", "Contrato 2026.pdf", "document"},
		rest(map[string]any{"upload_id": png, "type": "document"}):                        {"plano.png", "plano.png", "document"},
		rest(map[string]any{"upload_id": png, "caption": "El plano"}):                     {"plano.png", "", "image"},
		gql(map[string]any{"uploadId": pdf}):                                              {"contrato.pdf", "contrato.pdf", "document"},
		gql(map[string]any{"uploadId": pdf, "type": "DOCUMENT", "filename": "Anexo.pdf"}): {"Anexo.pdf", "Anexo.pdf", "document"},
		gql(map[string]any{"uploadId": png}):                                              {"plano.png", "", "image"},
	}
	a.startJobs()
	for id, w := range cases {
		m := a.sentOK(tn, id)
		require.Equal(t, w.filename, m.Media.Filename, "stored")
		row := object(t, c.expect(http.StatusOK, http.MethodGet, path+"?limit=100", tn.OwnerToken, nil))
		var rendered map[string]any
		for _, r := range row["data"].([]any) {
			if r.(map[string]any)["id"] == id {
				rendered = r.(map[string]any)
			}
		}
		require.NotNil(t, rendered)
		require.Equal(t, w.filename, rendered["media"].(map[string]any)["filename"], "REST")
		d := a.gqlOK(tn.OwnerToken, `query($id: ID!) { node(id: $id) { ... on Message { media { filename } } } }`,
			map[string]any{"id": id})
		require.Equal(t, w.filename, d.str(t, "node.media.filename"), "GraphQL")

		sent := sentBody(t, fake, id)[w.kind].(map[string]any)
		require.Equal(t, m.Media.ProviderID, sent["id"], "sent by Meta's media id")
		if w.sentFilename == "" {
			require.NotContains(t, sent, "filename", "WhatsApp takes names for documents only")
		} else {
			require.Equal(t, w.sentFilename, sent["filename"], "what Meta received")
		}
	}
}
