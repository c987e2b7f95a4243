package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// Free-form replies are refused (REST 412, GraphQL userError) until the
// customer writes; then the window shows as open with its expiry.
func TestServiceWindowGatesFreeFormReplies(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Window Co")
	ctx := a.system(tn)
	ch, err := a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr("106540352242922"),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881")})
	require.NoError(t, err)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505551234")})
	require.NoError(t, err)
	conv, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ch.ID})
	require.NoError(t, err)
	path := "/v1/conversations/" + conv.ID

	res := a.do(http.MethodPost, path+"/messages", tn.OwnerToken, map[string]any{"text": "hola"})
	require.Equal(t, http.StatusPreconditionFailed, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"code":"precondition_failed"`)
	g := a.graphql(tn.OwnerToken, `mutation($in: SendTextMessageInput!) { sendTextMessage(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"conversationId": conv.ID, "text": "hola"}})
	require.Contains(t, string(g.Data), `"code":"precondition_failed"`)
	require.Equal(t, 0, a.count("messages"), "a refused reply writes nothing")
	view := a.do(http.MethodGet, path, tn.OwnerToken, nil)
	require.Contains(t, string(view.Body), `"service_window_open":false,"service_window_expires_at":null`)

	wrote := time.Now().UTC().Add(-23 * time.Hour)
	_, err = a.Service.RecordInboundText(ctx, conv.ID, "hola, ¿me ayudan?", wrote)
	require.NoError(t, err)
	view = a.do(http.MethodGet, path, tn.OwnerToken, nil)
	require.Contains(t, string(view.Body), `"service_window_open":true`)
	d := a.gqlOK(tn.OwnerToken, `query($id: ID!) { conversation(id: $id) { serviceWindow { open expiresAt } } }`, map[string]any{"id": conv.ID})
	require.Equal(t, true, d.get(t, "conversation.serviceWindow.open"))
	expires, err := time.Parse(time.RFC3339Nano, d.str(t, "conversation.serviceWindow.expiresAt"))
	require.NoError(t, err)
	require.WithinDuration(t, wrote.Add(24*time.Hour), expires, time.Millisecond)
	require.Equal(t, http.StatusCreated, a.do(http.MethodPost, path+"/messages", tn.OwnerToken, map[string]any{"text": "¡Claro!"}).Status)
}
