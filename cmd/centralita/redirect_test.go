package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// textDelivery is a signed-ready Meta delivery of one customer text sent now.
func textDelivery(phoneNumberID, wamid, from string) []byte {
	return textDeliveryAt(phoneNumberID, wamid, from, time.Now())
}

// textDeliveryAt is textDelivery for a message the customer sent at sentAt.
func textDeliveryAt(phoneNumberID, wamid, from string, sentAt time.Time) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"` + phoneNumberID + `"},"contacts":[{"profile":{"name":"Cliente"},"wa_id":"` + from + `"}],"messages":[{"from":"` + from + `","id":"` + wamid + `","timestamp":"` + strconv.FormatInt(sentAt.Unix(), 10) + `","type":"text","text":{"body":"hola"}}]}}]}]}`)
}

// A customer who writes to a legacy number is answered once per period with
// the official number and a wa.me link (until the sunset), the conversation
// is tagged, and once they write to the official number they are listed as
// moved.
func TestLegacyNumberRedirectsToTheOfficialOne(t *testing.T) {
	const official, legacy = "106540352242922", "109999999999999"
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{Numbers: map[string]whatsapp.FakeNumber{
		official: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: fakeToken},
		legacy:   {WABAID: "102290129340398", DisplayPhoneNumber: "15550001111", Token: fakeToken}}})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Transition Co")
	ctx := a.system(tn)
	_, err := a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr(official), WABAID: valuePtr("102290129340398"),
		DisplayPhoneNumber: valuePtr("+1 555 078 3881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	res := a.do(http.MethodPost, "/v1/channels", tn.APIKey, map[string]any{"phone_number_id": legacy,
		"waba_id": "102290129340398", "display_phone_number": "15550001111", "mode": "redirect",
		"access_token": fakeToken, "redirect_text": "Nos mudamos al {official_number}: {link}", "redirect_every_hours": 24})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var legacyCh struct {
		ID string `json:"id"`
	}
	res.decode(t, &legacyCh)
	a.startJobs()

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(legacy, "wamid.l1", "51987654321")).Status)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(legacy, "wamid.l2", "51987654321")).Status)
	require.Eventually(t, func() bool { return len(fake.SentMessages()) >= 1 }, 10*time.Second, 20*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	sent := fake.SentMessages()
	require.Len(t, sent, 1, "one auto-reply per contact per period")
	require.Equal(t, legacy, sent[0].PhoneNumberID, "answered from the number they wrote to")
	require.Contains(t, string(sent[0].Body), "Nos mudamos al +1 555 078 3881: https://wa.me/15550783881")

	page, err := a.Service.Conversations(ctx, domain.ConversationFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	conv := page.Items[0]
	require.Equal(t, domain.StatusNew, conv.Status, "the bot's answer leaves it for the team")
	require.Nil(t, conv.FirstHumanResponseAt, "a bot is not a first human response")
	tags, err := a.Service.TagsByIDs(ctx, conv.TagIDs)
	require.NoError(t, err)
	require.Len(t, tags, 1)
	require.Equal(t, domain.LegacyTagName, tags[0].Name)

	moved := func() string {
		return string(a.do(http.MethodGet, "/v1/contacts?moved_from_channel_id="+legacyCh.ID, tn.OwnerToken, nil).Body)
	}
	require.NotContains(t, moved(), "51987654321")
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(official, "wamid.o1", "51987654321")).Status)
	require.Contains(t, moved(), "51987654321", "wrote to the official number: moved")

	// After the sunset the old number stays captured but stops answering.
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	require.Equal(t, http.StatusOK, a.do(http.MethodPatch, "/v1/channels/"+legacyCh.ID, tn.APIKey,
		map[string]any{"redirect_until": past}).Status)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(legacy, "wamid.l3", "5491123456789")).Status)
	time.Sleep(300 * time.Millisecond)
	require.Len(t, fake.SentMessages(), 1)
	require.True(t, strings.Contains(moved(), "51987654321"))
}

// A message Meta redelivers days late to a legacy number is stored (and
// tagged) but gets no automatic answer, whose window would be closed anyway.
func TestLegacyNumberStoresStaleMessagesWithoutAnswering(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Stale Co")
	ctx := a.system(tn)
	_, err := a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr("106540352242922"),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881")})
	require.NoError(t, err)
	_, err = a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr("109999999999999"),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550001111"), Mode: valuePtr(domain.ChannelModeRedirect)})
	require.NoError(t, err)
	body := textDeliveryAt("109999999999999", "wamid.stale", "51987654321", time.Now().Add(-48*time.Hour))
	require.Equal(t, http.StatusOK, a.deliver(body).Status)
	var inbound, bot int
	require.NoError(t, a.sql().QueryRow("SELECT count(*) FROM messages WHERE direction = 'inbound'").Scan(&inbound))
	require.NoError(t, a.sql().QueryRow("SELECT count(*) FROM messages WHERE author_kind = 'bot'").Scan(&bot))
	require.Equal(t, 1, inbound, "the customer's message is kept")
	require.Equal(t, 0, bot, "no automatic answer to a stale message")
}

// Only the legacy number's own notice counts towards "once per period":
// another automation's message in the conversation (a welcome menu, say)
// does not stop the customer from learning the official number.
func TestOtherBotMessagesDoNotSuppressTheRedirect(t *testing.T) {
	const official, legacy = "106540352242922", "109999999999999"
	a := newTestApp(t)
	tn := a.bootstrap("Bots Co")
	ctx := a.system(tn)
	_, err := a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr(official),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("+1 555 078 3881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	_, err = a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr(legacy),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550001111"), AccessToken: valuePtr(fakeToken),
		Mode: valuePtr(domain.ChannelModeRedirect)})
	require.NoError(t, err)
	// A stale redelivery opens the conversation without an answer.
	stale := textDeliveryAt(legacy, "wamid.old", "51987654321", time.Now().Add(-3*time.Hour))
	require.Equal(t, http.StatusOK, a.deliver(stale).Status)
	old, err := a.DB.Store().FindMessageByProviderID(ctx, mustChannel(t, a, tn, legacy), "wamid.old")
	require.NoError(t, err)
	welcome := &domain.Message{ID: domain.NewID(domain.PrefixMessage), ConversationID: old.ConversationID,
		ChannelID: old.ChannelID, Direction: domain.DirectionOutbound, AuthorKind: domain.AuthorBot,
		AuthorID: "welcome_menu", Type: domain.MessageText, Text: "1. Ventas 2. Soporte",
		Status: domain.DeliverySent, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	require.NoError(t, a.DB.Store().CreateMessage(ctx, welcome))

	require.Equal(t, http.StatusOK, a.deliver(textDelivery(legacy, "wamid.new", "51987654321")).Status)
	page, err := a.Service.Messages(ctx, old.ConversationID, domain.PageRequest{})
	require.NoError(t, err)
	var notices int
	for _, m := range page.Items {
		if m.AuthorKind == domain.AuthorBot && m.AuthorID == domain.BotLegacyRedirect {
			notices++
		}
	}
	require.Equal(t, 1, notices, "the notice is sent despite the welcome message")
}

func mustChannel(t *testing.T, a *testApp, tn tenant, phoneNumberID string) string {
	t.Helper()
	ch, err := a.DB.Store().FindChannelByPhoneNumberID(a.system(tn), phoneNumberID)
	require.NoError(t, err)
	return ch.ID
}
