package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// inboundAs rewrites a Meta fixture's first message for our test number
// with its own wamid, so fixtures that share Meta's sample ids stay
// distinct. edit may change the message further (context, reaction target).
func inboundAs(t *testing.T, name, wamid string, edit func(msg map[string]any)) []byte {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, name), &d))
	entry := d["entry"].([]any)[0].(map[string]any)
	entry["id"] = testWABAID
	value := entry["changes"].([]any)[0].(map[string]any)["value"].(map[string]any)
	value["metadata"].(map[string]any)["phone_number_id"] = "106540352242922"
	msg := value["messages"].([]any)[0].(map[string]any)
	msg["id"], msg["from"] = wamid, "16505551234"
	value["messages"] = []any{msg}
	if contacts, ok := value["contacts"].([]any); ok && len(contacts) > 0 {
		contacts[0].(map[string]any)["wa_id"] = "16505551234"
	}
	if edit != nil {
		edit(msg)
	}
	out, err := json.Marshal(d)
	require.NoError(t, err)
	return out
}

// Every inbound type keeps what automation and front-ends need beside its
// text: the pin, the shared cards, the chosen option's id, the reaction
// and the message it targets, the cart, WhatsApp's notice, the quoted
// message and the forwarded flag, and media as pending. A number change
// moves the contact to the new wa_id, so the history continues. REST (validated
// against openapi.yaml) and GraphQL say the same.
func TestInboundContentReachesBothAPIs(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Content Co")
	a.channel(tn, "106540352242922")
	deliveries := []struct {
		name, wamid string
		edit        func(map[string]any)
	}{
		{"inbound_text.json", "wamid.first", nil},
		{"inbound_location.json", "wamid.location", nil},
		{"inbound_contacts.json", "wamid.contacts", nil},
		{"inbound_interactive_list_reply_with_description.json", "wamid.list", nil},
		{"inbound_button_template_quick_reply.json", "wamid.quick", nil},
		{"inbound_reaction.json", "wamid.reaction", func(m map[string]any) {
			m["reaction"].(map[string]any)["message_id"] = "wamid.first"
		}},
		{"inbound_order.json", "wamid.order", nil},
		{"inbound_text_reply_context.json", "wamid.reply", func(m map[string]any) {
			m["context"].(map[string]any)["id"] = "wamid.first"
		}},
		{"inbound_text_forwarded.json", "wamid.forwarded", nil},
		{"inbound_image.json", "wamid.image", nil},
		{"inbound_system_user_changed_number.json", "wamid.system", nil},
		// After the notice the customer writes from the new number.
		{"inbound_text.json", "wamid.new-number", func(m map[string]any) { m["from"] = "12195555358" }},
	}
	for _, d := range deliveries {
		require.Equal(t, http.StatusOK, a.deliver(inboundAs(t, d.name, d.wamid, d.edit)).Status, d.name)
	}

	first, err := a.DB.Store().FindMessageByProviderID(a.system(tn), a.channelID(tn), "wamid.first")
	require.NoError(t, err)
	var page struct {
		Data []map[string]any `json:"data"`
	}
	res := a.do(http.MethodGet, "/v1/conversations/"+first.ConversationID+"/messages?limit=50", tn.APIKey, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	res.decode(t, &page)
	byWamid := map[string]map[string]any{}
	for _, m := range page.Data {
		byWamid[m["provider_message_id"].(string)] = m
	}
	require.Len(t, byWamid, len(deliveries), "one conversation holds them all")

	loc := byWamid["wamid.location"]["location"].(map[string]any)
	require.InDelta(t, 37.44221496582, loc["latitude"], 1e-9)
	require.InDelta(t, -122.16165924072, loc["longitude"], 1e-9)
	require.Equal(t, "Philz Coffee", loc["name"])

	cards := byWamid["wamid.contacts"]["contacts"].([]any)
	require.Len(t, cards, 1)
	card := cards[0].(map[string]any)
	require.Equal(t, "Barbara J. Johnson", card["name"])
	require.Equal(t, "Social Tsunami", card["company"])
	require.Equal(t, "14125550829", card["phones"].([]any)[0].(map[string]any)["wa_id"])

	list := byWamid["wamid.list"]["interactive"].(map[string]any)
	require.Equal(t, "list_reply", list["kind"])
	require.Equal(t, "list_reply_id", list["reply_id"])
	require.Equal(t, "list_reply_description", list["reply_description"])
	quick := byWamid["wamid.quick"]["interactive"].(map[string]any)
	require.Equal(t, "quick_reply", quick["kind"])
	require.Equal(t, "Unsubscribe", quick["reply_id"], "a template button's payload is the option id")

	reaction := byWamid["wamid.reaction"]["reaction"].(map[string]any)
	require.Equal(t, "👍", reaction["emoji"])
	require.Equal(t, first.ID, reaction["target_id"], "the reacted-to wamid resolves to our message")

	order := byWamid["wamid.order"]["order"].(map[string]any)
	require.Equal(t, "194836987003835", order["catalog_id"])
	require.Len(t, order["items"], 2)

	system := byWamid["wamid.system"]["system"].(map[string]any)
	require.Equal(t, "user_changed_number", system["kind"])
	require.Equal(t, "12195555358", system["new_wa_id"])
	contact, err := a.Service.Contact(a.system(tn), first.AuthorID)
	require.NoError(t, err)
	require.Equal(t, "12195555358", contact.WaID, "the contact follows the number change")
	require.Equal(t, "+12195555358", contact.PhoneE164)
	require.Equal(t, first.AuthorID, byWamid["wamid.new-number"]["author_id"], "one person is one contact")

	reply := byWamid["wamid.reply"]
	require.Equal(t, first.ID, reply["reply_to_id"])
	require.Equal(t, "wamid.first", reply["reply_to_provider_id"])
	require.Equal(t, true, byWamid["wamid.forwarded"]["forwarded"])
	require.Equal(t, false, byWamid["wamid.first"]["forwarded"])

	image := byWamid["wamid.image"]["media"].(map[string]any)
	require.Equal(t, "pending", image["state"], "the message shows before its file is downloaded")
	require.Nil(t, image["url"])
	require.Equal(t, "image/jpeg", image["mime_type"])

	// GraphQL resolves the same links to messages.
	q := `query($id: ID!) { node(id: $id) { ... on Message {
		replyTo { id } forwarded
		reaction { emoji target { id } }
		interactive { kind replyId }
		media { state mimeType } mediaUrl
	} } }`
	gql := func(id string) map[string]any {
		out := a.graphql(tn.OwnerToken, q, map[string]any{"id": id})
		require.Empty(t, out.Errors)
		var data struct {
			Node map[string]any `json:"node"`
		}
		require.NoError(t, json.Unmarshal(out.Data, &data))
		return data.Node
	}
	node := gql(reply["id"].(string))
	require.Equal(t, first.ID, node["replyTo"].(map[string]any)["id"])
	node = gql(byWamid["wamid.reaction"]["id"].(string))
	require.Equal(t, first.ID, node["reaction"].(map[string]any)["target"].(map[string]any)["id"])
	node = gql(byWamid["wamid.quick"]["id"].(string))
	require.Equal(t, map[string]any{"kind": "quick_reply", "replyId": "Unsubscribe"}, node["interactive"])
	node = gql(byWamid["wamid.image"]["id"].(string))
	require.Equal(t, map[string]any{"state": "PENDING", "mimeType": "image/jpeg"}, node["media"])
	require.Nil(t, node["mediaUrl"])
}

// channelID is the id of the tenant's test number.
func (a *testApp) channelID(tn tenant) string {
	a.t.Helper()
	ch, err := a.DB.Store().FindChannelByPhoneNumberID(a.system(tn), "106540352242922")
	require.NoError(a.t, err)
	return ch.ID
}
