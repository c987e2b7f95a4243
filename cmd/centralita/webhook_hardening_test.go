package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// inboundChange is one entry of a delivery: a text from a customer to the
// number phoneNumberID, under the WABA wabaID (entry.id).
func inboundChange(wabaID, phoneNumberID, wamid string) string {
	return fmt.Sprintf(`{"id":%q,"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":%q},"contacts":[{"profile":{"name":"Ana"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":%q,"timestamp":"1795600000","type":"text","text":{"body":"hola"}}]}}]}`,
		wabaID, phoneNumberID, wamid)
}

func deliveryOf(entries ...string) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[` + strings.Join(entries, ",") + `]}`)
}

// A change whose entry.id is not the WABA its number is registered under is
// never applied to that number (T10): it is kept in the dead-letter table,
// once, and acknowledged; the other changes of the delivery are applied.
func TestWebhookQuarantinesAChangeForAnotherWABA(t *testing.T) {
	a := newTestApp(t)
	alpha, beta := a.bootstrap("Alpha"), a.bootstrap("Beta")
	chA := a.channel(alpha, "106540352242922")
	chB := a.channelOf(beta, "114896151713920", "122951744235903")

	// Meta's dashboard test (entry.id "0", a number nobody registered)
	// stays an unknown number: acknowledged, stored nowhere.
	require.Equal(t, http.StatusOK, a.deliver(fixture(t, "edge_dashboard_test_webhook.json")).Status)
	require.Equal(t, 0, a.count("webhook_dead_letters"))

	body := deliveryOf(
		inboundChange("999999999999999", chA.PhoneNumberID, "wamid.misaddressed"), // alpha's number, a stranger WABA
		inboundChange(chA.WABAID, chB.PhoneNumberID, "wamid.crossed"),             // beta's number, alpha's WABA
		inboundChange(chB.WABAID, chB.PhoneNumberID, "wamid.fine"),
	)
	for range 2 { // a redelivery adds nothing
		require.Equal(t, http.StatusOK, a.deliver(body).Status)
	}
	require.Equal(t, 1, a.count("messages"), "only the change that matches its number's WABA")
	_, err := a.DB.Store().FindMessageByProviderID(a.system(beta), chB.ID, "wamid.fine")
	require.NoError(t, err)
	require.Equal(t, 1, a.count("webhook_dead_letters"))
	var kept []byte
	var reason string
	require.NoError(t, a.sql().QueryRow("SELECT body, reason FROM webhook_dead_letters").Scan(&kept, &reason))
	require.Equal(t, body, kept, "the raw delivery is kept for a person to look at")
	require.Contains(t, reason, "999999999999999")
	require.Contains(t, reason, chB.PhoneNumberID)
}

// An unparseable body names no number, so it is kept when any number's own
// app secret signed it, not only the global one; any other signature is
// refused and writes nothing.
func TestWebhookKeepsAnUnparseableBodySignedWithANumbersSecret(t *testing.T) {
	a := newTestApp(t)
	alpha, beta := a.bootstrap("Alpha"), a.bootstrap("Beta")
	a.channel(alpha, "106540352242922") // no secret of its own
	for i, tc := range []struct {
		tn     tenant
		secret string
	}{{alpha, "alpha-own-app-secret"}, {beta, "beta-own-app-secret"}, {beta, "beta-own-app-secret"}} {
		_, err := a.Service.CreateChannel(a.system(tc.tn), domain.ChannelInput{
			PhoneNumberID: valuePtr(fmt.Sprintf("20000000000000%d", i)), WABAID: valuePtr(testWABAID),
			DisplayPhoneNumber: valuePtr("15550783881"), AppSecret: valuePtr(tc.secret)})
		require.NoError(t, err)
	}
	garbage := []byte(`{"object":"whatsapp_business_account","entry":[{"id":` + "\x00")

	require.Equal(t, http.StatusUnauthorized, a.deliver(garbage, whatsapp.Sign(garbage, "nobody's-secret")).Status)
	require.Equal(t, http.StatusUnauthorized, a.do(http.MethodPost, "/webhooks/whatsapp", "", garbage).Status)
	require.Equal(t, 0, a.count("webhook_dead_letters"))

	for range 2 {
		require.Equal(t, http.StatusOK, a.deliver(garbage, whatsapp.Sign(garbage, "beta-own-app-secret")).Status)
	}
	require.Equal(t, 1, a.count("webhook_dead_letters"), "kept once, however often Meta retries")
	var kept []byte
	require.NoError(t, a.sql().QueryRow("SELECT body FROM webhook_dead_letters").Scan(&kept))
	require.Equal(t, garbage, kept)
}

// A delivery signed with a number's own app secret is Meta's even when it
// holds nothing to apply: its bad items are kept as dead letters and an
// account-level change (no number in it) is acknowledged, instead of 401s
// that Meta retries for a week and then drops.
func TestWebhookAcceptsItemlessDeliveriesSignedWithANumbersSecret(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Own Secret Co")
	_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr("200000000000001"),
		WABAID: valuePtr(testWABAID), DisplayPhoneNumber: valuePtr("15550783881"), AppSecret: valuePtr("own-app-secret")})
	require.NoError(t, err)

	badItem := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"` + testWABAID + `","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"200000000000001"},"messages":[{"from":"16505551234","timestamp":"1795600000","type":"text","text":{"body":"hola"}}]}}]}]}`)
	require.Equal(t, http.StatusUnauthorized, a.deliver(badItem, whatsapp.Sign(badItem, "someone-else")).Status)
	require.Equal(t, 0, a.count("webhook_dead_letters"))
	require.Equal(t, http.StatusOK, a.deliver(badItem, whatsapp.Sign(badItem, "own-app-secret")).Status)
	require.Equal(t, 1, a.count("webhook_dead_letters"), "the item without an id is kept")
	require.Equal(t, 0, a.count("messages"))

	templateUpdate := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"` + testWABAID + `","time":1795600000,"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":1,"message_template_name":"recordatorio","message_template_language":"es_MX","reason":"NONE"}}]}]}`)
	require.Equal(t, http.StatusOK, a.deliver(templateUpdate, whatsapp.Sign(templateUpdate, "own-app-secret")).Status)
	require.Equal(t, http.StatusUnauthorized, a.deliver(templateUpdate, whatsapp.Sign(templateUpdate, "someone-else")).Status)
}
