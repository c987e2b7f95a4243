package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// Outside the 24-hour window only an approved template goes out: it is
// accepted over REST and GraphQL, reaches Meta with its parameters, and an
// unapproved one ends failed with Meta's 132001.
func TestTemplatesReachCustomersOutsideTheWindow(t *testing.T) {
	fake := newFakeGraph(whatsapp.FakeGraphOptions{
		Templates: []whatsapp.FakeTemplate{{Name: "recordatorio_pago", Language: "es"}}})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Template Co")
	conv := a.openConversation(tn, "", false)
	path := "/v1/conversations/" + conv.ID + "/messages"
	a.startJobs()

	require.Equal(t, http.StatusPreconditionFailed, a.do(http.MethodPost, path, tn.OwnerToken, map[string]any{"text": "hola"}).Status)
	res := a.do(http.MethodPost, path, tn.OwnerToken, map[string]any{"template": map[string]any{
		"name": "recordatorio_pago", "language": "es", "parameters": []map[string]any{{"value": "Pedro"}, {"value": "S/ 120"}}}})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var m struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Text string `json:"text"`
	}
	res.decode(t, &m)
	require.Equal(t, "template", m.Type)
	require.Equal(t, "[recordatorio_pago/es] Pedro | S/ 120", m.Text)
	a.waitForStatus(tn, m.ID, domain.DeliverySent)
	sent := fake.SentMessages()
	require.Len(t, sent, 1)
	var body struct {
		Template struct {
			Name       string                `json:"name"`
			Language   struct{ Code string } `json:"language"`
			Components []struct {
				Type       string                  `json:"type"`
				Parameters []struct{ Text string } `json:"parameters"`
			} `json:"components"`
		} `json:"template"`
	}
	require.NoError(t, json.Unmarshal(sent[0].Body, &body))
	require.Equal(t, "recordatorio_pago", body.Template.Name)
	require.Equal(t, "es", body.Template.Language.Code)
	require.Equal(t, "Pedro", body.Template.Components[0].Parameters[0].Text)

	g := a.graphql(tn.OwnerToken, `mutation($in: SendTemplateMessageInput!) { sendTemplateMessage(input: $in) { message { id } userErrors { code field } } }`,
		map[string]any{"in": map[string]any{"conversationId": conv.ID, "name": "no_aprobada", "language": "es"}})
	require.Empty(t, g.Errors)
	var data struct {
		SendTemplateMessage struct {
			Message struct{ ID string } `json:"message"`
		} `json:"sendTemplateMessage"`
	}
	require.NoError(t, json.Unmarshal(g.Data, &data))
	failed := a.waitForStatus(tn, data.SendTemplateMessage.Message.ID, domain.DeliveryFailed)
	require.Equal(t, "132001", failed.ErrorCode)

	bad := a.do(http.MethodPost, path, tn.OwnerToken, map[string]any{"template": map[string]any{"name": "Bad Name!", "language": "es"}})
	require.Equal(t, http.StatusBadRequest, bad.Status)
	both := a.do(http.MethodPost, path, tn.OwnerToken, map[string]any{"text": "x", "template": map[string]any{"name": "a", "language": "es"}})
	require.Equal(t, http.StatusBadRequest, both.Status)
}
