package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// nulDelivery is one signed delivery from Meta whose every kind of text
// carries a NUL (as the JSON escape \u0000, which is how Meta would send
// it): the profile name, a text, an image caption, a location's name and an
// interactive reply's title, plus a receipt whose error title has one.
func nulDelivery(phoneNumberID string) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"` + testWABAID + `","changes":[{"field":"messages","value":{
	"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"` + phoneNumberID + `"},
	"contacts":[{"profile":{"name":"An\u0000a"},"wa_id":"16505551234"}],
	"messages":[
	 {"from":"16505551234","id":"wamid.nul.text","timestamp":"1795600000","type":"text","text":{"body":"ho\u0000la"}},
	 {"from":"16505551234","id":"wamid.nul.image","timestamp":"1795600001","type":"image","image":{"id":"1234567890","mime_type":"image/jpeg","sha256":"","caption":"fo\u0000to"}},
	 {"from":"16505551234","id":"wamid.nul.location","timestamp":"1795600002","type":"location","location":{"latitude":19.43,"longitude":-99.13,"name":"Ofi\u0000cina","address":"Centro"}},
	 {"from":"16505551234","id":"wamid.nul.button","timestamp":"1795600003","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"b\u00001","title":"S\u0000í"}}}
	],
	"statuses":[{"id":"wamid.nul.unknown","status":"failed","timestamp":"1795600004","recipient_id":"16505551234","errors":[{"code":131026,"title":"Un\u0000deliverable"}]}]
	}}]}]}`)
}

// A correctly signed delivery whose text contains NUL is stored with the NUL
// removed and answered 200 once: before, Postgres refused the write, the
// webhook answered 500 and Meta would retry it for a week and then drop it.
// Both databases store the same cleaned text.
func TestWebhookStoresTextWithNULCleaned(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Nul Co")
	ch := a.channel(tn, "106540352242922")
	ctx := a.system(tn)
	body := nulDelivery(ch.PhoneNumberID)
	for range 2 { // the redelivery is a no-op
		res := a.deliver(body)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	}
	require.Equal(t, 4, a.count("messages"))
	require.Equal(t, 0, a.count("webhook_dead_letters"), "nothing in it was refused")

	find := func(wamid string) *domain.Message {
		m, err := a.DB.Store().FindMessageByProviderID(ctx, ch.ID, wamid)
		require.NoError(t, err, wamid)
		return m
	}
	require.Equal(t, "hola", find("wamid.nul.text").Text)
	require.Equal(t, "foto", find("wamid.nul.image").Media.Caption)
	require.Equal(t, "Oficina", find("wamid.nul.location").Location.Name)
	button := find("wamid.nul.button").Interactive
	require.Equal(t, "Sí", button.ReplyTitle)
	require.Equal(t, "b1", button.ReplyID)

	conv, err := a.Service.Conversation(ctx, find("wamid.nul.text").ConversationID)
	require.NoError(t, err)
	contact, err := a.Service.Contact(ctx, conv.ContactID)
	require.NoError(t, err)
	require.Equal(t, "Ana", contact.Name)

	// What the API shows holds no NUL either.
	res := a.do(http.MethodGet, "/v1/conversations/"+conv.ID+"/messages", tn.APIKey, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	require.NotContains(t, string(res.Body), `\u0000`)
	require.True(t, strings.Contains(string(res.Body), `"hola"`))
}
