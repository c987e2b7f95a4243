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
	require.Contains(t, string(g.Data), `"code":"PRECONDITION_FAILED"`)
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

// windowView is the part of a REST conversation the window tests read.
type windowView struct {
	ID                     string     `json:"id"`
	LastCustomerMessageAt  *time.Time `json:"last_customer_message_at"`
	ServiceWindowOpen      bool       `json:"service_window_open"`
	ServiceWindowExpiresAt *time.Time `json:"service_window_expires_at"`
}

func (a *testApp) windowOf(res response, want int) windowView {
	a.t.Helper()
	require.Equal(a.t, want, res.Status, string(res.Body))
	var v windowView
	res.decode(a.t, &v)
	return v
}

// WhatsApp's window belongs to the customer and the business number, not
// to one of our conversations: a conversation an admin opens beside the
// one the customer wrote in, and an older one reopened or reassigned, may
// answer freely, while another number or another customer may not.
func TestServiceWindowIsPerContactAndNumber(t *testing.T) {
	const number, otherNumber, customer = "106540352242922", "109999999999999", "16505551234"
	a := newTestApp(t)
	tn := a.bootstrap("Pair Co")
	ch := a.channel(tn, number)
	res := a.do(http.MethodPost, "/v1/channels", tn.APIKey, map[string]any{"phone_number_id": otherNumber,
		"waba_id": "102290129340398", "display_phone_number": "15550001111", "mode": "redirect"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var other struct{ ID string }
	res.decode(t, &other)

	wrote := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	require.Equal(t, http.StatusOK, a.deliver(textDeliveryAt(number, "wamid.w1", customer, wrote)).Status)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	first := page.Items[0]

	open := func(channelID any, contactID string) windowView {
		return a.windowOf(a.do(http.MethodPost, "/v1/conversations", tn.OwnerToken,
			map[string]any{"contact_id": contactID, "channel_id": channelID}), http.StatusCreated)
	}
	second := open(ch.ID, first.ContactID)
	require.True(t, second.ServiceWindowOpen, "the customer wrote to this number 2 hours ago")
	require.NotNil(t, second.ServiceWindowExpiresAt)
	require.True(t, wrote.Add(24*time.Hour).Equal(*second.ServiceWindowExpiresAt), "%v", second.ServiceWindowExpiresAt)
	require.Nil(t, second.LastCustomerMessageAt, "the customer has not written in this conversation itself")
	reply := func(id string, want int) {
		t.Helper()
		res := a.do(http.MethodPost, "/v1/conversations/"+id+"/messages", tn.OwnerToken, map[string]any{"text": "¿Le ayudo?"})
		require.Equal(t, want, res.Status, string(res.Body))
	}
	reply(second.ID, http.StatusCreated)

	// A conversation opened without a number is on the official one, so
	// it shares the window too.
	require.True(t, open(nil, first.ContactID).ServiceWindowOpen)

	// The window is the number's: another number and another customer on
	// the same number start closed.
	stranger, err := a.Service.CreateContact(a.system(tn), domain.ContactInput{WaID: valuePtr("5491100000000")})
	require.NoError(t, err)
	for _, v := range []windowView{open(other.ID, first.ContactID), open(ch.ID, stranger.ID)} {
		require.False(t, v.ServiceWindowOpen)
		require.Nil(t, v.ServiceWindowExpiresAt)
	}
	reply(open(other.ID, first.ContactID).ID, http.StatusPreconditionFailed)
	reply(open(ch.ID, stranger.ID).ID, http.StatusPreconditionFailed)

	// The customer writes again; it lands in the newest conversation, and
	// the first one's window moves with it.
	again := time.Now().UTC().Truncate(time.Second)
	require.Equal(t, http.StatusOK, a.deliver(textDeliveryAt(number, "wamid.w2", customer, again)).Status)
	res = a.do(http.MethodGet, "/v1/conversations?contact_id="+first.ContactID+"&channel_id="+ch.ID, tn.OwnerToken, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	var list struct{ Data []windowView }
	res.decode(t, &list)
	require.Len(t, list.Data, 3, "the first, the second and the one opened without a number")
	for _, v := range list.Data {
		require.True(t, v.ServiceWindowOpen, v.ID)
		require.True(t, again.Add(24*time.Hour).Equal(*v.ServiceWindowExpiresAt), "%s: %v", v.ID, v.ServiceWindowExpiresAt)
	}

	// An older conversation closed and reopened, or reassigned, keeps the
	// number's window.
	path := "/v1/conversations/" + first.ID
	a.windowOf(a.do(http.MethodPost, path+"/status", tn.OwnerToken,
		map[string]any{"status": "closed", "close_reason": "transferred_to_other_channel"}), http.StatusOK)
	reopened := a.windowOf(a.do(http.MethodPost, path+"/status", tn.OwnerToken,
		map[string]any{"status": "open"}), http.StatusOK)
	require.True(t, reopened.ServiceWindowOpen)
	require.True(t, again.Add(24*time.Hour).Equal(*reopened.ServiceWindowExpiresAt))
	agent, _ := a.member(tn, "agent@paircoo.example", domain.RoleAgent)
	assigned := a.windowOf(a.do(http.MethodPost, path+"/assign", tn.OwnerToken,
		map[string]any{"assignee_id": agent}), http.StatusOK)
	require.True(t, assigned.ServiceWindowOpen)
	reply(first.ID, http.StatusCreated)
}

// The same through GraphQL: createConversation shows the number's window,
// a free-form text goes out in the new conversation, and the inbox shows
// every conversation of the pair open, reopened and reassigned ones too.
func TestServiceWindowIsPerContactAndNumberInGraphQL(t *testing.T) {
	const number, customer = "106540352242922", "16505551234"
	a := newTestApp(t)
	tn := a.bootstrap("Pair Graph Co")
	ch := a.channel(tn, number)
	wrote := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
	require.Equal(t, http.StatusOK, a.deliver(textDeliveryAt(number, "wamid.g1", customer, wrote)).Status)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	first := page.Items[0]

	d := a.gqlOK(tn.OwnerToken, `mutation($in: CreateConversationInput!) { createConversation(input: $in) {
		conversation { id lastCustomerMessageAt serviceWindow { open expiresAt } } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"contactId": first.ContactID, "channelId": ch.ID}})
	require.Empty(t, d.list(t, "createConversation.userErrors"))
	require.Equal(t, true, d.get(t, "createConversation.conversation.serviceWindow.open"))
	expires, err := time.Parse(time.RFC3339Nano, d.str(t, "createConversation.conversation.serviceWindow.expiresAt"))
	require.NoError(t, err)
	require.True(t, wrote.Add(24*time.Hour).Equal(expires), "%v", expires)
	require.Nil(t, d.get(t, "createConversation.conversation.lastCustomerMessageAt"))
	second := d.str(t, "createConversation.conversation.id")
	d = a.gqlOK(tn.OwnerToken, `mutation($in: SendTextMessageInput!) { sendTextMessage(input: $in) { userErrors { code message } } }`,
		map[string]any{"in": map[string]any{"conversationId": second, "text": "¿Le ayudo?"}})
	require.Empty(t, d.list(t, "sendTextMessage.userErrors"))

	windowMutation := func(mutation, input string, vars map[string]any) {
		t.Helper()
		d := a.gqlOK(tn.OwnerToken, `mutation($in: `+input+`!) { `+mutation+`(input: $in) {
			conversation { serviceWindow { open } } userErrors { code } } }`, map[string]any{"in": vars})
		require.Empty(t, d.list(t, mutation+".userErrors"))
		require.Equal(t, true, d.get(t, mutation+".conversation.serviceWindow.open"), mutation)
	}
	windowMutation("changeConversationStatus", "ChangeConversationStatusInput",
		map[string]any{"conversationId": first.ID, "status": "CLOSED", "closeReason": "transferred_to_other_channel"})
	windowMutation("changeConversationStatus", "ChangeConversationStatusInput",
		map[string]any{"conversationId": first.ID, "status": "OPEN"})
	agent, _ := a.member(tn, "agent@pairgraph.example", domain.RoleAgent)
	windowMutation("assignConversation", "AssignConversationInput",
		map[string]any{"conversationId": first.ID, "assigneeId": agent})

	d = a.gqlOK(tn.OwnerToken, `query($f: ConversationFilter) { conversations(filter: $f) { nodes { id serviceWindow { open expiresAt } } } }`,
		map[string]any{"f": map[string]any{"contactId": first.ContactID}})
	nodes := d.list(t, "conversations.nodes")
	require.Len(t, nodes, 2)
	for _, n := range nodes {
		w := n.(map[string]any)["serviceWindow"].(map[string]any)
		require.Equal(t, true, w["open"], n)
		at, err := time.Parse(time.RFC3339Nano, w["expiresAt"].(string))
		require.NoError(t, err)
		require.True(t, wrote.Add(24*time.Hour).Equal(at), "%v", at)
	}
}
