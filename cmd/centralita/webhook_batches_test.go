package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// receiptsFor rewrites a status fixture for the test number, the n-th
// receipt of the fixture (across changes) naming wamids[n].
func receiptsFor(t *testing.T, name string, wamids ...string) []byte {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, name), &d))
	n := 0
	for _, e := range d["entry"].([]any) {
		e.(map[string]any)["id"] = testWABAID
		for _, c := range e.(map[string]any)["changes"].([]any) {
			value := c.(map[string]any)["value"].(map[string]any)
			value["metadata"].(map[string]any)["phone_number_id"] = fakeNumberID
			statuses, _ := value["statuses"].([]any)
			for _, st := range statuses {
				st.(map[string]any)["id"] = wamids[n]
				n++
			}
		}
	}
	require.Equal(t, len(wamids), n, "one wamid per receipt of %s", name)
	out, err := json.Marshal(d)
	require.NoError(t, err)
	return out
}

// sendOK sends a message through the REST API and waits for the worker to
// hand it to the fake Graph API; it returns our id and Meta's wamid.
func (a *testApp) sendOK(tn tenant, conv *domain.Conversation, body map[string]any) (string, string) {
	a.t.Helper()
	res := a.do(http.MethodPost, "/v1/conversations/"+conv.ID+"/messages", tn.OwnerToken, body)
	require.Equal(a.t, http.StatusCreated, res.Status, string(res.Body))
	var m struct{ ID string }
	res.decode(a.t, &m)
	return m.ID, a.sentOK(tn, m.ID).ProviderMessageID
}

// renderedMessage reads one message of conv as REST lists it (checked
// against the contract) and as GraphQL renders it.
func (a *testApp) renderedMessage(tn tenant, conv *domain.Conversation, id string) (map[string]any, gqlData) {
	a.t.Helper()
	var row map[string]any
	res := a.rest().expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+conv.ID+"/messages", tn.APIKey, nil)
	for _, m := range object(a.t, res)["data"].([]any) {
		if m.(map[string]any)["id"] == id {
			row = m.(map[string]any)
		}
	}
	require.NotNil(a.t, row, "%s is listed", id)
	node := a.gqlOK(tn.OwnerToken, `query($id: ID!) { node(id: $id) { ... on Message { status errorCode errorTitle } } }`,
		map[string]any{"id": id})
	return row, node
}

// A voice note's "played" receipt is the last step after "read"; a late
// "read" does not take it back.
func TestPlayedReceiptMovesAVoiceNoteForward(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	a.startJobs()
	id, wamid := a.sendOK(tn, conv, map[string]any{"media": map[string]any{"type": "audio",
		"link": "https://example.com/nota.ogg"}})
	read := receiptsFor(t, "status_read_cbp_with_contacts_bsuid.json", wamid)
	require.Equal(t, http.StatusOK, a.deliver(read).Status)
	a.waitForStatus(tn, id, domain.DeliveryRead)
	require.Equal(t, http.StatusOK, a.deliver(receiptsFor(t, "status_played_voice.json", wamid)).Status)
	require.Equal(t, http.StatusOK, a.deliver(read).Status)

	m := a.waitForStatus(tn, id, domain.DeliveryPlayed)
	require.Equal(t, domain.MessageAudio, m.Type)
	row, node := a.renderedMessage(tn, conv, id)
	require.Equal(t, "played", row["status"])
	require.Equal(t, "PLAYED", node.str(t, "node.status"))
}

// Meta's batch lists a message's "failed" (the later event) before its
// "sent": the message ends failed with Meta's code and title, and the
// earlier receipt does not revive it.
func TestFailedListedBeforeSentEndsFailed(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	a.startJobs()
	id, wamid := a.sendOK(tn, conv, map[string]any{"text": "Oferta de temporada"})
	// The composed fixture names two wamids; here both are this message.
	body := receiptsFor(t, "batch_composed_failed_before_sent_out_of_order.json", wamid, wamid)
	for range 2 {
		require.Equal(t, http.StatusOK, a.deliver(body).Status)
	}
	m := a.waitForStatus(tn, id, domain.DeliveryFailed)
	const title = "This message was not delivered to maintain healthy ecosystem engagement."
	require.Equal(t, "131049", m.ErrorCode)
	require.Equal(t, title, m.ErrorTitle)
	row, node := a.renderedMessage(tn, conv, id)
	require.Equal(t, "failed", row["status"])
	require.Equal(t, "131049", row["error_code"])
	require.Equal(t, title, row["error_title"])
	require.Equal(t, "FAILED", node.str(t, "node.status"))
	require.Equal(t, "131049", node.str(t, "node.errorCode"))
	require.Equal(t, title, node.str(t, "node.errorTitle"))
}

// One entry may carry several changes: each one's message is recorded
// (here with its own wamid; the fixture's placeholders share one, which
// makes the second a redelivery). A message repeated inside one delivery
// is stored once.
func TestBatchedAndRepeatedMessagesInOneDelivery(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Batch Co")
	ch := a.channel(tn, fakeNumberID)
	ctx := a.system(tn)

	body, _ := onTestNumber(t, "batch_two_changes_same_entry.json", "batch")
	var d map[string]any
	require.NoError(t, json.Unmarshal(body, &d))
	second := d["entry"].([]any)[0].(map[string]any)["changes"].([]any)[1].(map[string]any)["value"].(map[string]any)
	second["messages"].([]any)[0].(map[string]any)["id"] = "batch/second"
	body, err := json.Marshal(d)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, a.deliver(body).Status)
	first, err := a.DB.Store().FindMessageByProviderID(ctx, ch.ID, "batch/wamid.ID")
	require.NoError(t, err)
	require.Equal(t, "MESSAGE_BODY", first.Text)
	next, err := a.DB.Store().FindMessageByProviderID(ctx, ch.ID, "batch/second")
	require.NoError(t, err)
	require.Equal(t, "MESSAGE_BODY2", next.Text)
	require.Equal(t, first.ConversationID, next.ConversationID)

	dup, wamids := onTestNumber(t, "edge_duplicate_message_in_same_delivery.json", "dup")
	require.Len(t, wamids, 2)
	require.Equal(t, wamids[0], wamids[1])
	require.Equal(t, http.StatusOK, a.deliver(dup).Status)
	_, err = a.DB.Store().FindMessageByProviderID(ctx, ch.ID, wamids[0])
	require.NoError(t, err)
	require.Equal(t, 3, a.count("messages"))
	var created int
	require.NoError(t, a.sql().QueryRow(
		"SELECT count(*) FROM events WHERE type = '"+domain.EventMessageCreated+"'").Scan(&created))
	require.Equal(t, 3, created, "the repeat is not announced either")
}

// Messages arriving out of order are listed by when the customer sent them
// (Meta's timestamp), not by arrival, in both APIs; the later one stays the
// conversation's last customer message.
func TestOutOfOrderMessagesAreListedBySendTime(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Order Co")
	ch := a.channel(tn, fakeNumberID)
	ctx := a.system(tn)
	sentAt := time.Now().Add(-time.Hour).Truncate(time.Second)
	at := func(m map[string]any, offset time.Duration) {
		m["timestamp"] = strconv.FormatInt(sentAt.Add(offset).Unix(), 10)
	}
	for _, d := range []struct {
		name, wamid string
		offset      time.Duration
	}{
		{"inbound_text.json", "wamid.third", 2 * time.Minute},
		{"inbound_location.json", "wamid.first", 0},
		{"inbound_image.json", "wamid.second", time.Minute},
	} {
		body := inboundAs(t, d.name, d.wamid, func(m map[string]any) { at(m, d.offset) })
		require.Equal(t, http.StatusOK, a.deliver(body).Status, d.name)
	}
	m, err := a.DB.Store().FindMessageByProviderID(ctx, ch.ID, "wamid.third")
	require.NoError(t, err)

	res := a.rest().expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+m.ConversationID+"/messages", tn.APIKey, nil)
	var page struct {
		Data []struct {
			ProviderMessageID string    `json:"provider_message_id"`
			CreatedAt         time.Time `json:"created_at"`
		} `json:"data"`
	}
	res.decode(t, &page)
	var listed []string
	for _, row := range page.Data {
		listed = append(listed, row.ProviderMessageID)
	}
	require.Equal(t, []string{"wamid.third", "wamid.second", "wamid.first"}, listed, "newest first by send time")
	require.True(t, page.Data[2].CreatedAt.Equal(sentAt), "created_at is when the customer sent it")

	data := a.gqlOK(tn.OwnerToken, `query($id: ID!) { node(id: $id) { ... on Conversation {
		messages(first: 10) { nodes { providerMessageId } } } } }`, map[string]any{"id": m.ConversationID})
	var gqlListed []string
	for _, n := range data.list(t, "node.messages.nodes") {
		gqlListed = append(gqlListed, n.(map[string]any)["providerMessageId"].(string))
	}
	require.Equal(t, listed, gqlListed)

	conv, err := a.Service.Conversation(ctx, m.ConversationID)
	require.NoError(t, err)
	require.True(t, conv.LastCustomerMessageAt.Equal(sentAt.Add(2*time.Minute)), "an older message does not move it back")
}
