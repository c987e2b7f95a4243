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

// forTestNumber returns a fixture addressed to the test number (and its
// WABA), senders as they are.
func forTestNumber(t *testing.T, name string) []byte {
	t.Helper()
	body := fixture(t, name)
	d, err := whatsapp.ParseWebhook(body)
	require.NoError(t, err)
	return []byte(strings.NewReplacer(`"`+d.Changes[0].PhoneNumberID+`"`, `"`+fakeNumberID+`"`,
		`"`+d.Changes[0].WABAID+`"`, `"`+testWABAID+`"`).Replace(string(body)))
}

// contactsByUserID lists the tenant's contacts through REST, by user_id.
func (a *testApp) contactsByUserID(tn tenant) map[string]map[string]any {
	a.t.Helper()
	res := a.do(http.MethodGet, "/v1/contacts?limit=100", tn.APIKey, nil)
	require.Equal(a.t, http.StatusOK, res.Status, "%s", res.Body)
	var page struct {
		Data []map[string]any `json:"data"`
	}
	res.decode(a.t, &page)
	out := map[string]map[string]any{}
	for _, c := range page.Data {
		if id, _ := c["user_id"].(string); id != "" {
			out[id] = c
		}
	}
	return out
}

// Customers Meta names only by a business-scoped user id (BSUID), in
// either payload shape (empty wa_id and from with from_user_id, or the
// BSUID in wa_id and from), land in the inbox as contacts keyed by it; the
// same person writing later with a phone number stays one contact; a
// message naming no sender at all is kept as a dead letter, not dropped.
func TestCustomersKnownOnlyByUserIDLandInTheInbox(t *testing.T) {
	a, tn, _, _ := sendingApp(t)
	for _, name := range []string{"inbound_text_bsuid_empty_wa_id_dec2025.json", "edge_bsuid_in_wa_id_and_from.json"} {
		require.Equal(t, http.StatusOK, a.deliver(forTestNumber(t, name)).Status, name)
	}
	contacts := a.contactsByUserID(tn)
	require.Contains(t, contacts, "user.93737...")
	require.Equal(t, "Sheena Nelson", contacts["user.93737..."]["name"])
	require.Nil(t, contacts["user.93737..."]["wa_id"], "no phone number is known")
	require.Contains(t, contacts, "US.1234", "a BSUID sent in wa_id and from is a user id, not a number")
	require.Nil(t, contacts["US.1234"]["wa_id"])
	require.Equal(t, 3, a.count("messages"), "Ana's opening message and the two BSUID ones")

	// Later Meta sends the phone number beside the BSUID: same contact.
	later := strings.Replace(string(forTestNumber(t, "edge_bsuid_in_wa_id_and_from.json")), `"external_id"`, `"wamid.bsuid.later"`, 1)
	later = strings.Replace(later, `"from": "US.1234"`, `"from": "15551230000"`, 1)
	later = strings.Replace(later, `"wa_id": "US.1234"`, `"wa_id": "15551230000"`, 1)
	require.Equal(t, http.StatusOK, a.deliver([]byte(later)).Status)
	contacts = a.contactsByUserID(tn)
	require.Equal(t, "15551230000", contacts["US.1234"]["wa_id"], "the contact learnt its number")
	require.Len(t, contacts, 2)
	convs := a.do(http.MethodGet, "/v1/conversations?limit=100", tn.APIKey, nil)
	var page struct {
		Data []json.RawMessage `json:"data"`
	}
	convs.decode(t, &page)
	require.Len(t, page.Data, 3, "Ana, Sheena and Kerry: one conversation each")

	deadBefore := a.count("webhook_dead_letters")
	require.Equal(t, http.StatusOK, a.deliver(forTestNumber(t, "edge_message_without_from.json")).Status)
	require.Equal(t, 4, a.count("messages"), "a message naming no sender is not stored")
	require.Equal(t, deadBefore+1, a.count("webhook_dead_letters"), "but kept, since it was acknowledged")
	require.Equal(t, http.StatusOK, a.deliver(forTestNumber(t, "edge_message_without_from.json")).Status)
	require.Equal(t, deadBefore+1, a.count("webhook_dead_letters"), "once, however often Meta redelivers it")
}

// A reply to a customer known only by user id goes to Meta addressed by
// recipient (there is no number to put in "to"), and GraphQL shows the id.
func TestReplyToACustomerKnownOnlyByUserID(t *testing.T) {
	a, tn, fake, _ := sendingApp(t)
	justNow := strings.Replace(string(forTestNumber(t, "inbound_text_bsuid_empty_wa_id_dec2025.json")),
		`"1749416383"`, strconv.Quote(strconv.FormatInt(time.Now().Unix(), 10)), 1) // the window is open
	require.Equal(t, http.StatusOK, a.deliver([]byte(justNow)).Status)
	data := a.gqlOK(tn.OwnerToken, `{ conversations(first: 10) { nodes { id contact { userId waId } } } }`, nil)
	var convID string
	for i := range 2 {
		if data.get(t, "conversations.nodes."+strconv.Itoa(i)+".contact.userId") == "user.93737..." {
			convID = data.get(t, "conversations.nodes."+strconv.Itoa(i)+".id").(string)
			require.Nil(t, data.get(t, "conversations.nodes."+strconv.Itoa(i)+".contact.waId"))
		}
	}
	require.NotEmpty(t, convID)

	a.startJobs()
	m, err := a.Service.SendText(a.system(tn), convID, "Sí, también en azul")
	require.NoError(t, err)
	a.waitForStatus(tn, m.ID, domain.DeliverySent)
	sent := fake.SentMessages()
	require.Len(t, sent, 1)
	require.Equal(t, "user.93737...", sent[0].Recipient)
	var body map[string]any
	require.NoError(t, json.Unmarshal(sent[0].Body, &body))
	require.NotContains(t, body, "to", "no phone number is invented")
	require.Equal(t, "user.93737...", body["recipient"])
}

// Meta's user_id_update rotates a customer's BSUID: the contact follows,
// so their next message (by the new id) lands in the same history.
func TestUserIDUpdateKeepsOnePerson(t *testing.T) {
	a, tn, _, _ := sendingApp(t)
	first := strings.NewReplacer(`"user.93737..."`, `"US.10101010101010101010"`, `"wa_id": ""`, `"wa_id": "16505551234"`,
		`"from": ""`, `"from": "16505551234"`).Replace(string(forTestNumber(t, "inbound_text_bsuid_empty_wa_id_dec2025.json")))
	require.Equal(t, http.StatusOK, a.deliver([]byte(first)).Status)
	require.Contains(t, a.contactsByUserID(tn), "US.10101010101010101010", "Ana (16505551234) learnt her user id")

	require.Equal(t, http.StatusOK, a.deliver(forTestNumber(t, "webhook_user_id_update.json")).Status)
	contacts := a.contactsByUserID(tn)
	require.Contains(t, contacts, "US.13491208655302741918")
	require.NotContains(t, contacts, "US.10101010101010101010")
	require.Equal(t, "16505551234", contacts["US.13491208655302741918"]["wa_id"])

	next := strings.NewReplacer(`"user.93737..."`, `"US.13491208655302741918"`,
		`wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=`, `wamid.after.rotation`).
		Replace(string(forTestNumber(t, "inbound_text_bsuid_empty_wa_id_dec2025.json")))
	require.Equal(t, http.StatusOK, a.deliver([]byte(next)).Status)
	require.Len(t, a.contactsByUserID(tn), 1, "the new id finds the same contact")
	res := a.do(http.MethodGet, "/v1/contacts?limit=100", tn.APIKey, nil)
	var page struct {
		Data []json.RawMessage `json:"data"`
	}
	res.decode(t, &page)
	require.Len(t, page.Data, 1, "one person, one contact")
}
