package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// markReadJobs counts the read receipts ever enqueued.
func (a *testApp) markReadJobs() int {
	return a.count("river_job WHERE kind = '" + string(domain.JobMarkRead) + "'")
}

// Marking a conversation read sends one read receipt for the customer's
// newest message; it covers the earlier ones, so marking them, or the
// conversation again, sends nothing more.
func TestMarkReadSendsOneReceipt(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	c := a.rest()
	first := a.customerWrites(tn, conv, "wamid.uno")
	newest := a.customerWrites(tn, conv, "wamid.dos")

	res := c.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+conv.ID+"/read", tn.OwnerToken, nil)
	marked := object(t, res)
	require.Equal(t, newest, marked["id"])
	require.NotNil(t, marked["marked_read_at"])
	require.Equal(t, 1, a.markReadJobs())

	earlier := object(t, c.expect(http.StatusOK, http.MethodPost, "/v1/messages/"+first+"/read", tn.OwnerToken, nil))
	require.NotNil(t, earlier["marked_read_at"], "marking the newest covered the earlier one")
	c.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+conv.ID+"/read", tn.OwnerToken, nil)
	d := a.gqlOK(tn.OwnerToken, `mutation($in: MarkMessageReadInput!) { markMessageRead(input: $in) { message { id markedReadAt } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"messageId": newest}})
	require.NotEmpty(t, d.str(t, "markMessageRead.message.markedReadAt"))
	require.Equal(t, 1, a.markReadJobs(), "nothing is enqueued twice")

	a.startJobs()
	var reads []map[string]any
	require.Eventually(t, func() bool {
		reads = nil
		for _, r := range graphRequests(fake, http.MethodPost, fakeNumberID+"/messages") {
			var body map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &body))
			if body["status"] == "read" && r.Status == http.StatusOK {
				reads = append(reads, body)
			}
		}
		return len(reads) > 0
	}, 15*time.Second, 20*time.Millisecond)
	require.Len(t, reads, 1)
	jsonEq(t, `{"messaging_product":"whatsapp","status":"read","message_id":"wamid.dos"}`, reads[0])
	require.Empty(t, fake.SentMessages(), "a read receipt is not a message")

	// A newer customer message needs its own receipt.
	third := a.customerWrites(tn, conv, "wamid.tres")
	d = a.gqlOK(tn.OwnerToken, `mutation($in: MarkConversationReadInput!) { markConversationRead(input: $in) { message { id } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"conversationId": conv.ID}})
	require.Equal(t, third, d.str(t, "markConversationRead.message.id"))
	require.Equal(t, 2, a.markReadJobs())
}

// Only customers' WhatsApp messages are marked read, only by someone who
// may reply in the conversation; another workspace's ids are unknown.
func TestMarkReadRules(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	c := a.rest()
	ctx := a.system(tn)
	inbound := a.customerWrites(tn, conv, "wamid.uno")
	noWAMID, err := a.Service.RecordInboundText(ctx, conv.ID, "sin wamid", time.Now())
	require.NoError(t, err)
	reply, err := a.Service.SendText(ctx, conv.ID, "hola")
	require.NoError(t, err)

	p := problemOf(t, c.expect(http.StatusBadRequest, http.MethodPost, "/v1/messages/"+reply.ID+"/read", tn.OwnerToken, nil))
	require.Equal(t, "invalid", p.Code, "our own messages are not marked read")
	c.expect(http.StatusPreconditionFailed, http.MethodPost, "/v1/messages/"+noWAMID.ID+"/read", tn.OwnerToken, nil)
	c.expect(http.StatusNotFound, http.MethodPost, "/v1/messages/"+domain.NewID(domain.PrefixMessage)+"/read", tn.OwnerToken, nil)

	// An agent may not speak for a conversation assigned to someone else.
	queue, err := a.Service.CreateQueue(ctx, domain.QueueInput{Name: valuePtr("Ventas")})
	require.NoError(t, err)
	agentID, agentToken := a.member(tn, "agente@example.com", domain.RoleAgent, queue.ID)
	_, err = a.Service.Transfer(ctx, conv.ID, domain.TransferInput{QueueID: queue.ID})
	require.NoError(t, err)
	_, err = a.Service.Assign(ctx, conv.ID, tn.OwnerID)
	require.NoError(t, err)
	c.expect(http.StatusForbidden, http.MethodPost, "/v1/messages/"+inbound+"/read", agentToken, nil)
	c.expect(http.StatusForbidden, http.MethodPost, "/v1/conversations/"+conv.ID+"/read", agentToken, nil)
	g := a.graphql(agentToken, `mutation($in: MarkConversationReadInput!) { markConversationRead(input: $in) { message { id } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"conversationId": conv.ID}})
	require.Equal(t, []string{"FORBIDDEN"}, g.errorCodes())
	require.Equal(t, 0, a.markReadJobs())
	_, err = a.Service.Assign(ctx, conv.ID, agentID)
	require.NoError(t, err)
	c.expect(http.StatusOK, http.MethodPost, "/v1/messages/"+inbound+"/read", agentToken, nil)
	require.Equal(t, 1, a.markReadJobs())

	// A conversation the customer never wrote in has nothing to mark.
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505550000")})
	require.NoError(t, err)
	quiet, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: conv.ChannelID})
	require.NoError(t, err)
	c.expect(http.StatusNoContent, http.MethodPost, "/v1/conversations/"+quiet.ID+"/read", tn.OwnerToken, nil)
}
