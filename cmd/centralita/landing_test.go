package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// conversationView is the part of a REST conversation these tests read.
type conversationView struct {
	ID        string  `json:"id"`
	ChannelID *string `json:"channel_id"`
	QueueID   *string `json:"queue_id"`
	Status    string  `json:"status"`
}

func (a *testApp) conversationOf(res response, want int) conversationView {
	a.t.Helper()
	require.Equal(a.t, want, res.Status, string(res.Body))
	var v conversationView
	res.decode(a.t, &v)
	return v
}

// defaultQueueOf reads the workspace's default queue through REST.
func (a *testApp) defaultQueueOf(tn tenant) string {
	a.t.Helper()
	res := a.do(http.MethodGet, "/v1/workspace", tn.OwnerToken, nil)
	require.Equal(a.t, http.StatusOK, res.Status, string(res.Body))
	var ws struct {
		DefaultQueueID *string `json:"default_queue_id"`
	}
	res.decode(a.t, &ws)
	require.NotNil(a.t, ws.DefaultQueueID, "every workspace has a default queue")
	return *ws.DefaultQueueID
}

// A conversation opened through the API always has a number: the
// official one by default, and 422 while the workspace has none. A send
// that has no way out is refused instead of acknowledged.
func TestConversationsAlwaysHaveANumber(t *testing.T) {
	fake := newFakeGraph(whatsapp.FakeGraphOptions{
		Templates: []whatsapp.FakeTemplate{{Name: "recordatorio_pago", Language: "es"}}})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Number Co")
	ctx := a.system(tn)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505551234")})
	require.NoError(t, err)

	c := a.rest() // checks every answer against openapi.yaml
	res := c.expect(http.StatusUnprocessableEntity, http.MethodPost, "/v1/conversations", tn.OwnerToken,
		map[string]any{"contact_id": contact.ID})
	require.Equal(t, "unprocessable", problemOf(t, res).Code)
	require.Contains(t, problemOf(t, res).Detail, "no official WhatsApp number")
	g := a.graphql(tn.OwnerToken, `mutation($in: CreateConversationInput!) { createConversation(input: $in) { conversation { id } userErrors { code message } } }`,
		map[string]any{"in": map[string]any{"contactId": contact.ID}})
	require.Empty(t, g.Errors)
	require.Contains(t, strings.ToLower(string(g.Data)), `"code":"unprocessable"`)
	require.Equal(t, 0, a.count("conversations"), "a refused conversation writes nothing")

	official := a.channelOf(tn, fakeNumberID, testWABAID)
	_, err = a.Service.UpdateChannel(ctx, official.ID, domain.ChannelInput{AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	a.channelOf(tn, "109999999999999", testWABAID) // a legacy number: never the default
	conv := a.conversationOf(c.expect(http.StatusCreated, http.MethodPost, "/v1/conversations", tn.OwnerToken,
		map[string]any{"contact_id": contact.ID}), http.StatusCreated)
	require.NotNil(t, conv.ChannelID)
	require.Equal(t, official.ID, *conv.ChannelID, "the workspace's official number")
	require.NotNil(t, conv.QueueID)
	require.Equal(t, a.defaultQueueOf(tn), *conv.QueueID)

	// The customer never wrote: a text is refused as the README says, and
	// a template really goes out.
	path := "/v1/conversations/" + conv.ID + "/messages"
	res = a.do(http.MethodPost, path, tn.OwnerToken, map[string]any{"text": "hola"})
	require.Equal(t, http.StatusPreconditionFailed, res.Status, string(res.Body))
	a.startJobs()
	res = a.do(http.MethodPost, path, tn.OwnerToken, map[string]any{"template": map[string]any{
		"name": "recordatorio_pago", "language": "es"}})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var sent struct{ ID string }
	res.decode(t, &sent)
	a.waitForStatus(tn, sent.ID, domain.DeliverySent)
	require.Len(t, fake.SentMessages(), 1)

	// A conversation left without a number by an older version cannot
	// promise a delivery: 422, and nothing is stored.
	_, err = a.sql().Exec("UPDATE conversations SET channel_id = NULL WHERE id = $1", conv.ID)
	require.NoError(t, err)
	before := a.count("messages")
	res = c.expect(http.StatusUnprocessableEntity, http.MethodPost, path, tn.OwnerToken, map[string]any{"template": map[string]any{
		"name": "recordatorio_pago", "language": "es"}})
	require.Contains(t, problemOf(t, res).Detail, "no WhatsApp number to send from")
	require.Equal(t, before, a.count("messages"))
}

// Every conversation lands in a queue: the number's default queue, else
// the workspace's ("General" from bootstrap on), so its agents see it.
func TestEveryConversationLandsInAQueue(t *testing.T) {
	const number, customer, other = "106540352242922", "16505551234", "5215512345678"
	a := newTestApp(t)
	tn := a.bootstrap("Queue Co")
	general := a.defaultQueueOf(tn)
	d := a.gqlOK(tn.OwnerToken, `{ workspace { defaultQueue { id name } } queues { name } }`, nil)
	require.Equal(t, general, d.str(t, "workspace.defaultQueue.id"))
	require.Equal(t, domain.DefaultQueueName, d.str(t, "workspace.defaultQueue.name"))
	ch := a.channel(tn, number)
	_, agentToken := a.member(tn, "agente@queue.example", domain.RoleAgent, general)

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(number, "wamid.q1", customer)).Status)
	res := a.do(http.MethodGet, "/v1/conversations", agentToken, nil)
	list := listData(t, res)
	require.Len(t, list, 1, "the General queue's agent sees the customer's first message: %s", res.Body)
	require.Equal(t, general, list[0]["queue_id"])

	// A number may route its new conversations to a queue of its own.
	c := a.rest() // checks every answer against openapi.yaml
	soporte := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tn.OwnerToken, map[string]any{"name": "Soporte"}))
	res = c.expect(http.StatusOK, http.MethodPatch, "/v1/channels/"+ch.ID, tn.OwnerToken, map[string]any{"default_queue_id": soporte})
	require.Equal(t, soporte, object(t, res)["default_queue_id"])
	_, supToken := a.member(tn, "sup@queue.example", domain.RoleSupervisor, soporte)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(number, "wamid.q2", other)).Status)
	list = listData(t, a.do(http.MethodGet, "/v1/conversations", supToken, nil))
	require.Len(t, list, 1)
	require.Equal(t, soporte, list[0]["queue_id"])
	d = a.gqlOK(supToken, `query($id: ID!) { node(id: $id) { ... on Channel { defaultQueue { name } } } }`,
		map[string]any{"id": ch.ID})
	require.Equal(t, "Soporte", d.str(t, "node.defaultQueue.name"))

	// Bad defaults name the field and write nothing; defaults cannot be
	// deleted from under the numbers and the workspace.
	foreign := a.bootstrap("Other Co")
	for _, bad := range []any{"que_nope", a.defaultQueueOf(foreign)} {
		res = c.expect(http.StatusBadRequest, http.MethodPatch, "/v1/channels/"+ch.ID, tn.OwnerToken, map[string]any{"default_queue_id": bad})
		require.Equal(t, "default_queue_id", problemOf(t, res).Errors[0].Field)
		res = c.expect(http.StatusBadRequest, http.MethodPatch, "/v1/workspace", tn.OwnerToken, map[string]any{"default_queue_id": bad})
		require.Equal(t, "default_queue_id", problemOf(t, res).Errors[0].Field)
		res = c.expect(http.StatusBadRequest, http.MethodPost, "/v1/channels", tn.OwnerToken, map[string]any{
			"phone_number_id": "109999999999999", "waba_id": testWABAID, "display_phone_number": "+51 1 0000",
			"default_queue_id": bad})
		require.Equal(t, "default_queue_id", problemOf(t, res).Errors[0].Field)
	}
	require.Equal(t, 1, a.count("channels"), "refused numbers write nothing")
	res = a.do(http.MethodPatch, "/v1/workspace", tn.OwnerToken, map[string]any{"default_queue_id": ""})
	require.Equal(t, http.StatusBadRequest, res.Status, "a workspace always has a default queue")
	require.Equal(t, general, a.defaultQueueOf(tn))
	c.expect(http.StatusConflict, http.MethodDelete, "/v1/queues/"+soporte, tn.OwnerToken, nil)
	empty := idOf(t, a.do(http.MethodPost, "/v1/queues", tn.OwnerToken, map[string]any{"name": "Vacía"}))
	c.expect(http.StatusOK, http.MethodPatch, "/v1/workspace", tn.OwnerToken, map[string]any{"default_queue_id": empty})
	res = c.expect(http.StatusConflict, http.MethodDelete, "/v1/queues/"+empty, tn.OwnerToken, nil)
	require.Contains(t, problemOf(t, res).Detail, "default queue")

	// Back to the workspace's default: "" clears the number's own.
	res = c.expect(http.StatusOK, http.MethodPatch, "/v1/channels/"+ch.ID, tn.OwnerToken, map[string]any{"default_queue_id": ""})
	require.Nil(t, object(t, res)["default_queue_id"])
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(number, "wamid.q3", "5491122334455")).Status)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{QueueID: empty})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the new default catches the third customer")

	// The same through GraphQL.
	d = a.gqlOK(tn.OwnerToken, `mutation($q: ID!) {
		createChannel(input: {phoneNumberId: "108888888888888", wabaId: "102290129340398", displayPhoneNumber: "+51 1 8888", defaultQueueId: $q}) {
			channel { id defaultQueue { id } } userErrors { code field } }
		updateWorkspace(input: {defaultQueueId: $q}) { workspace { defaultQueue { name } } userErrors { code } } }`,
		map[string]any{"q": soporte})
	require.Equal(t, soporte, d.str(t, "createChannel.channel.defaultQueue.id"))
	require.Equal(t, "Soporte", d.str(t, "updateWorkspace.workspace.defaultQueue.name"))
	created := d.str(t, "createChannel.channel.id")
	d = a.gqlOK(tn.OwnerToken, `mutation($id: ID!) { updateChannel(input: {channelId: $id, defaultQueueId: "que_nope"}) { channel { id } userErrors { field } } }`,
		map[string]any{"id": created})
	require.Equal(t, []any{"input", "defaultQueueId"}, d.get(t, "updateChannel.userErrors.0.field"))
}

// interactiveReplyDelivery is a customer tapping a reply button whose id
// is replyID.
func interactiveReplyDelivery(phoneNumberID, wamid, from, replyID string) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"` + phoneNumberID + `"},"contacts":[{"profile":{"name":"Cliente"},"wa_id":"` + from + `"}],"messages":[{"from":"` + from + `","id":"` + wamid + `","timestamp":"` + strconv.FormatInt(time.Now().Unix(), 10) + `","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"` + replyID + `","title":"Opción"}}}]}}]}]}`)
}

// listReplyDelivery is a customer picking a list row whose id is rowID.
func listReplyDelivery(phoneNumberID, wamid, from, rowID string) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"` + phoneNumberID + `"},"contacts":[{"profile":{"name":"Cliente"},"wa_id":"` + from + `"}],"messages":[{"from":"` + from + `","id":"` + wamid + `","timestamp":"` + strconv.FormatInt(time.Now().Unix(), 10) + `","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"` + rowID + `","title":"Soporte","description":"Ayuda técnica"}}}]}}]}]}`)
}

// An answer to a menu whose reply id names a queue (its id, or its title
// in any case and without accents) moves a conversation nobody has routed
// or taken yet to that queue, and says so in its events; a routed or held
// one stays put.
func TestMenuReplyRoutesToTheQueueItNames(t *testing.T) {
	const number, customer = "106540352242922", "16505551234"
	a := newTestApp(t)
	tn := a.bootstrap("Menu Co")
	a.channel(tn, number)
	cobranzas := idOf(t, a.do(http.MethodPost, "/v1/queues", tn.OwnerToken, map[string]any{"name": "Cobranzas"}))
	soporte := idOf(t, a.do(http.MethodPost, "/v1/queues", tn.OwnerToken, map[string]any{"name": "Soporte técnico"}))
	agentID, agentToken := a.member(tn, "cobra@menu.example", domain.RoleAgent, cobranzas)

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(number, "wamid.m1", customer)).Status)
	require.Empty(t, listData(t, a.do(http.MethodGet, "/v1/conversations", agentToken, nil)))
	require.Equal(t, http.StatusOK, a.deliver(interactiveReplyDelivery(number, "wamid.m2", customer, "cobranzas")).Status)
	list := listData(t, a.do(http.MethodGet, "/v1/conversations", agentToken, nil))
	require.Len(t, list, 1, "the answer routed the conversation to Cobranzas")
	require.Equal(t, cobranzas, list[0]["queue_id"])
	convID := list[0]["id"].(string)
	var reason string
	require.NoError(t, a.sql().QueryRow("SELECT payload FROM events WHERE type = $1 AND subject_id = $2",
		domain.EventConversationRouted, convID).Scan(&reason))
	var routing map[string]any
	require.NoError(t, json.Unmarshal([]byte(reason), &routing))
	require.Equal(t, "cobranzas", routing["reply_id"])
	require.Equal(t, cobranzas, routing["queue_id"])

	// A redelivery routes nothing twice; an answer that names no queue
	// changes nothing.
	require.Equal(t, http.StatusOK, a.deliver(interactiveReplyDelivery(number, "wamid.m2", customer, "cobranzas")).Status)
	require.Equal(t, http.StatusOK, a.deliver(interactiveReplyDelivery(number, "wamid.m3", customer, "marketing")).Status)
	var routed int
	require.NoError(t, a.sql().QueryRow("SELECT count(*) FROM events WHERE type = $1",
		domain.EventConversationRouted).Scan(&routed))
	require.Equal(t, 1, routed)

	// Routed once, it is no longer where it landed: an old menu's tap does
	// not bounce it to another queue.
	require.Equal(t, http.StatusOK, a.deliver(interactiveReplyDelivery(number, "wamid.m3b", customer, "soporte_tecnico")).Status)
	c, err := a.Service.Conversation(a.system(tn), convID)
	require.NoError(t, err)
	require.Equal(t, cobranzas, c.QueueID)

	// Once an agent holds it, the customer's taps do not take it away.
	require.Equal(t, http.StatusOK, a.do(http.MethodPost, "/v1/conversations/"+convID+"/claim", agentToken, nil).Status)
	require.Equal(t, http.StatusOK, a.deliver(interactiveReplyDelivery(number, "wamid.m4", customer, "soporte_tecnico")).Status)
	c, err = a.Service.Conversation(a.system(tn), convID)
	require.NoError(t, err)
	require.Equal(t, cobranzas, c.QueueID)
	require.Equal(t, agentID, c.AssigneeID)

	// A list row works like a button; the routing names the menu as its
	// actor.
	require.Equal(t, http.StatusOK, a.deliver(listReplyDelivery(number, "wamid.l1", "5215512345678", "soporte-tecnico")).Status)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{QueueID: soporte})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	var kind, id string
	require.NoError(t, a.sql().QueryRow("SELECT actor_kind, actor_id FROM events WHERE type = $1 AND subject_id = $2",
		domain.EventConversationRouted, page.Items[0].ID).Scan(&kind, &id))
	require.Equal(t, []string{"rule", "menu_reply"}, []string{kind, id})
	require.NotEqual(t, soporte, c.QueueID)
}
