package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// fixturesDir holds Meta's real payloads, beside the repository.
const fixturesDir = "../../../shared/fixtures/whatsapp"

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if os.IsNotExist(err) {
		t.Skipf("fixtures not found at %s (shared/ must sit beside the repository)", fixturesDir)
	}
	require.NoError(t, err)
	return b
}

// deliver posts a body to the webhook, signed like Meta unless signature is
// given explicitly.
func (a *testApp) deliver(body []byte, signature ...string) response {
	a.t.Helper()
	sig := whatsapp.Sign(body, testAppSecret)
	if len(signature) > 0 {
		sig = signature[0]
	}
	return a.do(http.MethodPost, "/webhooks/whatsapp", "", body, "X-Hub-Signature-256", sig)
}

func (a *testApp) count(table string) int {
	a.t.Helper()
	var n int
	require.NoError(a.t, a.sql().QueryRow("SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// testWABAID is the WhatsApp Business Account of Meta's sample number
// 106540352242922 in most fixtures, and of the numbers tests register.
const testWABAID = "102290129340398"

func (a *testApp) channel(tn tenant, phoneNumberID string) *domain.Channel {
	a.t.Helper()
	return a.channelOf(tn, phoneNumberID, testWABAID)
}

// channelOf registers a number of a given WABA.
func (a *testApp) channelOf(tn tenant, phoneNumberID, wabaID string) *domain.Channel {
	a.t.Helper()
	ch, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: &phoneNumberID,
		WABAID: &wabaID, DisplayPhoneNumber: valuePtr("15550783881")})
	require.NoError(a.t, err)
	return ch
}

func TestWebhookVerificationHandshake(t *testing.T) {
	a := newTestApp(t)
	get := func(mode, token, challenge string) response {
		q := url.Values{"hub.mode": {mode}, "hub.verify_token": {token}, "hub.challenge": {challenge}}
		return a.do(http.MethodGet, "/webhooks/whatsapp?"+q.Encode(), "", nil)
	}
	res := get("subscribe", testVerifyToken, "1158201444")
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, "1158201444", string(res.Body))
	require.Contains(t, res.Header.Get("Content-Type"), "text/plain")
	require.Equal(t, http.StatusForbidden, get("subscribe", "wrong", "1158201444").Status)
	require.Equal(t, http.StatusForbidden, get("unsubscribe", testVerifyToken, "1158201444").Status)
	require.Equal(t, http.StatusForbidden, get("subscribe", testVerifyToken, "<script>alert(1)</script>").Status, "never reflect markup")
	require.Equal(t, http.StatusForbidden, get("subscribe", testVerifyToken, strings.Repeat("9", 5000)).Status)
}

func TestWebhookRejectsBadSignaturesAndWritesNothing(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Sig Co")
	a.channel(tn, "106540352242922")
	body := fixture(t, "inbound_text.json")
	good := whatsapp.Sign(body, testAppSecret)
	flipped := append([]byte{}, body...)
	flipped[len(flipped)/2] ^= 1
	for name, res := range map[string]response{
		"missing":      a.do(http.MethodPost, "/webhooks/whatsapp", "", body),
		"other secret": a.deliver(body, whatsapp.Sign(body, "another-app-secret")),
		"sha1":         a.deliver(body, "sha1="+strings.TrimPrefix(good, "sha256=")[:40]),
		"uppercase":    a.deliver(body, "sha256="+strings.ToUpper(strings.TrimPrefix(good, "sha256="))),
		"truncated":    a.deliver(body, good[:len(good)-2]),
		"flipped byte": a.deliver(flipped, good),
	} {
		require.Equal(t, http.StatusUnauthorized, res.Status, name)
		require.Contains(t, res.Header.Get("Content-Type"), "application/problem+json", name)
	}
	require.Equal(t, 0, a.count("messages"))
	require.Equal(t, 0, a.count("contacts"))
	require.Equal(t, 0, a.count("webhook_dead_letters"))

	huge := []byte(`{"object":"whatsapp_business_account","pad":"` + strings.Repeat("x", 5<<20) + `"}`)
	require.Equal(t, http.StatusRequestEntityTooLarge, a.deliver(huge).Status)
}

// A customer's text reads as they wrote it, from a new contact, in a new
// inbox item; and a customer reply reopens a conversation waiting on them.
func TestWebhookTextOpensAConversation(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Text Co")
	ch := a.channel(tn, "106540352242922")
	ctx := a.system(tn)
	body := fixture(t, "inbound_text.json")
	require.Equal(t, http.StatusOK, a.deliver(body).Status)
	d, err := whatsapp.ParseWebhook(body)
	require.NoError(t, err)
	first := d.Changes[0].Messages[0]
	m, err := a.DB.Store().FindMessageByProviderID(ctx, ch.ID, first.ProviderMessageID)
	require.NoError(t, err)
	require.Equal(t, first.Text, m.Text)
	require.Equal(t, domain.MessageText, m.Type)
	conv, err := a.Service.Conversation(ctx, m.ConversationID)
	require.NoError(t, err)
	require.Equal(t, domain.StatusNew, conv.Status)
	require.NotNil(t, conv.LastCustomerMessageAt)
	contact, err := a.Service.Contact(ctx, conv.ContactID)
	require.NoError(t, err)
	require.Equal(t, first.From, contact.WaID)
	require.Equal(t, d.Changes[0].Contacts[0].Name, contact.Name, "named from the WhatsApp profile")

	_, err = a.Service.ChangeStatus(ctx, conv.ID, domain.StatusChange{Status: domain.StatusPendingCustomer})
	require.NoError(t, err)
	again := strings.ReplaceAll(string(body), first.ProviderMessageID, "wamid.second")
	require.Equal(t, http.StatusOK, a.deliver([]byte(again)).Status)
	conv, err = a.Service.Conversation(ctx, conv.ID)
	require.NoError(t, err)
	require.Equal(t, domain.StatusOpen, conv.Status, "the customer answered")
	require.Equal(t, 2, a.count("messages"))
}

func TestWebhookUnknownNumbersAndDeadLetters(t *testing.T) {
	a := newTestApp(t)
	a.bootstrap("Quiet Co")
	// Meta's dashboard "Test" button posts for a number nobody registered.
	require.Equal(t, http.StatusOK, a.deliver(fixture(t, "edge_dashboard_test_webhook.json")).Status)
	require.Equal(t, 0, a.count("messages"))
	require.Equal(t, 0, a.count("contacts"))

	// Signed but not understandable: kept, and acknowledged so Meta stops.
	require.Equal(t, http.StatusOK, a.deliver([]byte(`this is not json`)).Status)
	require.Equal(t, 1, a.count("webhook_dead_letters"))
	// A partly bad delivery is kept once, however often it comes back; its
	// good items are stored once too.
	partly := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"messages":[{"from":"16505551234","id":"wamid.good","timestamp":"1750000000","type":"text","text":{"body":"hola"}},{"from":"16505551234","id":"wamid.bad","timestamp":"1750000000","type":"text","text":"not an object"}]}}]}]}`)
	tn := a.bootstrap("Partly Co")
	a.channel(tn, "106540352242922")
	for range 3 {
		require.Equal(t, http.StatusOK, a.deliver(partly).Status)
	}
	require.Equal(t, 2, a.count("webhook_dead_letters"))
	_, err := a.DB.Store().FindMessageByProviderID(a.system(tn), a.channelID(tn), "wamid.good")
	require.NoError(t, err, "the good item of the batch is kept")
	require.Equal(t, http.StatusOK, a.deliver([]byte(`this is not json`)).Status)
	require.Equal(t, 2, a.count("webhook_dead_letters"))
}

// One delivery can carry several numbers; each item lands only in the
// workspace that owns its number (T10).
func TestWebhookRoutesEachNumberToItsWorkspace(t *testing.T) {
	a := newTestApp(t)
	alpha, beta := a.bootstrap("Alpha"), a.bootstrap("Beta")
	chA := a.channel(alpha, "106540352242922")
	chB := a.channelOf(beta, "114896151713920", "122951744235903")
	require.Equal(t, http.StatusOK, a.deliver(fixture(t, "batch_composed_two_wabas_two_numbers.json")).Status)
	for _, tc := range []struct {
		tn tenant
		ch *domain.Channel
	}{{alpha, chA}, {beta, chB}} {
		page, err := a.Service.Conversations(a.system(tc.tn), domain.ConversationFilter{})
		require.NoError(t, err)
		require.NotEmpty(t, page.Items)
		for _, c := range page.Items {
			require.Equal(t, tc.ch.ID, c.ChannelID)
		}
	}
}

// Receipts only move a message forward, whatever order and however often
// they come, and a receipt that beats the send's response is not lost.
func TestWebhookStatusesFollowTheLattice(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Status Co")
	ch := a.channel(tn, "106540352242922")
	ctx := a.system(tn)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505551234"), Name: valuePtr("Ana")})
	require.NoError(t, err)
	conv, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ch.ID})
	require.NoError(t, err)
	_, err = a.Service.RecordInboundText(ctx, conv.ID, "hola", time.Now())
	require.NoError(t, err)
	send := func(text string) *domain.Message {
		m, err := a.Service.SendText(ctx, conv.ID, text)
		require.NoError(t, err)
		return m
	}
	receipt := func(wamid string, statuses ...string) []byte {
		var items []string
		for _, s := range statuses {
			items = append(items, fmt.Sprintf(`{"id":%q,"status":%q,"timestamp":"1795600000","recipient_id":"16505551234"}`, wamid, s))
		}
		return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[` + strings.Join(items, ",") + `]}}]}]}`)
	}
	status := func(id string) domain.DeliveryStatus {
		m, err := a.Service.Message(ctx, id)
		require.NoError(t, err)
		return m.Status
	}

	m := send("hola")
	_, err = a.Service.RecordSent(ctx, m.ID, "wamid.first")
	require.NoError(t, err)
	require.Equal(t, domain.DeliverySent, status(m.ID))
	require.Equal(t, http.StatusOK, a.deliver(receipt("wamid.first", "read", "delivered", "sent")).Status)
	require.Equal(t, domain.DeliveryRead, status(m.ID), "never downgraded")
	require.Equal(t, http.StatusOK, a.deliver(receipt("wamid.first", "delivered", "deleted")).Status)
	require.Equal(t, domain.DeliveryRead, status(m.ID), "duplicates and unknown values change nothing")

	early := send("¿sigues ahí?")
	require.Equal(t, http.StatusOK, a.deliver(receipt("wamid.early", "delivered")).Status)
	require.Equal(t, domain.DeliveryQueued, status(early.ID))
	_, err = a.Service.RecordSent(ctx, early.ID, "wamid.early")
	require.NoError(t, err)
	require.Equal(t, domain.DeliveryDelivered, status(early.ID), "the parked receipt applies once the wamid is known")
	require.Equal(t, 0, a.count("parked_statuses"))

	failed := send("último aviso")
	_, err = a.Service.RecordSent(ctx, failed.ID, "wamid.failed")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, a.deliver(fixtureWithWamid(t, "status_failed_131047_reengagement.json", "wamid.failed")).Status)
	got, err := a.Service.Message(ctx, failed.ID)
	require.NoError(t, err)
	require.Equal(t, domain.DeliveryFailed, got.Status)
	require.Equal(t, "131047", got.ErrorCode)
	require.Equal(t, http.StatusOK, a.deliver(receipt("wamid.failed", "sent")).Status)
	require.Equal(t, domain.DeliveryFailed, status(failed.ID), "a late sent does not undo a failure")
	require.Equal(t, http.StatusOK, a.deliver(receipt("wamid.failed", "delivered")).Status)
	got, err = a.Service.Message(ctx, failed.ID)
	require.NoError(t, err)
	require.Equal(t, domain.DeliveryDelivered, got.Status, "proof of delivery outranks the failure")
	require.Empty(t, got.ErrorCode, "and the error no longer describes the message")

	readFirst := send("¿lo viste?")
	_, err = a.Service.RecordSent(ctx, readFirst.ID, "wamid.read.first")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, a.deliver(receipt("wamid.read.first", "read")).Status)
	require.Equal(t, http.StatusOK, a.deliver(fixtureWithWamid(t, "status_failed_131047_reengagement.json", "wamid.read.first")).Status)
	require.Equal(t, domain.DeliveryRead, status(readFirst.ID), "a message the customer read did not fail")
}

// fixtureWithWamid rewrites a status fixture so it targets our message on
// Meta's sample number.
func fixtureWithWamid(t *testing.T, name, wamid string) []byte {
	t.Helper()
	body := fixture(t, name)
	d, err := whatsapp.ParseWebhook(body)
	require.NoError(t, err)
	c := d.Changes[0]
	out := strings.ReplaceAll(string(body), c.Statuses[0].ProviderMessageID, wamid)
	out = strings.ReplaceAll(out, `"`+c.WABAID+`"`, `"`+testWABAID+`"`)
	return []byte(strings.ReplaceAll(out, `"`+c.PhoneNumberID+`"`, `"106540352242922"`))
}

// One person is one contact: a Mexican customer on file as +52… (created by
// a CRM, no wa_id yet) who writes from WhatsApp's 521… form, and then from
// the other form, stays one contact, with Meta's wa_id kept as identity.
func TestWebhookMatchesContactsAcrossNumberForms(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Mexico Co")
	a.channel(tn, "106540352242922")
	ctx := a.system(tn)
	crm, err := a.Service.CreateContact(ctx, domain.ContactInput{Name: valuePtr("Jorge"), PhoneE164: valuePtr("+525512345678")})
	require.NoError(t, err)
	text := func(wamid, from string) []byte {
		return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Jorge M"},"wa_id":"` + from + `"}],"messages":[{"from":"` + from + `","id":"` + wamid + `","timestamp":"1795600000","type":"text","text":{"body":"hola"}}]}}]}]}`)
	}
	require.Equal(t, http.StatusOK, a.deliver(text("wamid.mx1", "5215512345678")).Status)
	require.Equal(t, http.StatusOK, a.deliver(text("wamid.mx2", "525512345678")).Status)
	require.Equal(t, 1, a.count("contacts"))
	got, err := a.Service.Contact(ctx, crm.ID)
	require.NoError(t, err)
	require.Equal(t, "5215512345678", got.WaID, "the first wa_id Meta sent becomes the identity")
	require.Equal(t, "Jorge", got.Name, "a name on file is not overwritten by the profile")
	page, err := a.Service.Conversations(ctx, domain.ConversationFilter{ContactID: crm.ID})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "one conversation for the person on this number")

	// A new Brazilian customer with a pre-ninth-digit account gets today's number.
	require.Equal(t, http.StatusOK, a.deliver(text("wamid.br1", "551187654321")).Status)
	br, err := a.DB.Store().FindContactByWaID(ctx, "551187654321")
	require.NoError(t, err)
	require.Equal(t, "+5511987654321", br.PhoneE164)
}

// A number's credentials are write-only and encrypted at rest, and a number
// with its own app secret accepts only deliveries signed with it.
func TestChannelCredentialsAreSealedAndEnforced(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Creds Co")
	const token, secret = "EAAG-canary-access-token-123", "per-number-app-secret-canary"
	res := a.do(http.MethodPost, "/v1/channels", tn.APIKey, map[string]any{"phone_number_id": "106540352242922",
		"waba_id": "102290129340398", "display_phone_number": "15550783881", "access_token": token, "app_secret": secret})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	require.NotContains(t, string(res.Body), token)
	require.NotContains(t, string(res.Body), secret)
	require.Contains(t, string(res.Body), `"has_access_token":true`)
	list := a.do(http.MethodGet, "/v1/channels", tn.APIKey, nil)
	require.NotContains(t, string(list.Body), token)
	var stored string
	require.NoError(t, a.sql().QueryRow("SELECT access_token_sealed FROM channels").Scan(&stored))
	require.NotContains(t, stored, token, "encrypted at rest")

	body := fixture(t, "inbound_text.json")
	require.Equal(t, http.StatusUnauthorized, a.deliver(body).Status, "the global secret does not speak for this number")
	require.Equal(t, 0, a.count("messages"))
	require.Equal(t, http.StatusOK, a.deliver(body, whatsapp.Sign(body, secret)).Status)
	require.Equal(t, 1, a.count("messages"))

	var ch struct {
		ID string `json:"id"`
	}
	res.decode(t, &ch)
	channel, err := a.Service.Channel(a.system(tn), ch.ID)
	require.NoError(t, err)
	gotToken, gotSecret, err := a.Service.ChannelCredentials(a.system(tn), channel)
	require.NoError(t, err)
	require.Equal(t, token, gotToken)
	require.Equal(t, secret, gotSecret)
	_, _, err = a.Service.ChannelCredentials(domain.WithPrincipal(context.Background(),
		domain.Principal{WorkspaceID: tn.WorkspaceID, UserID: tn.OwnerID, Role: domain.RoleOwner}), channel)
	require.Equal(t, domain.CodeForbidden, domain.ErrorCode(err), "not even owners read credentials back")
}

// A Click-to-WhatsApp ad referral is kept on the message and becomes the
// lead source of the conversation and of the contact (REST and GraphQL).
func TestWebhookKeepsAdReferralAsLeadSource(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Ads Co")
	body := fixture(t, "inbound_text_ctwa_referral.json")
	d, err := whatsapp.ParseWebhook(body)
	require.NoError(t, err)
	change := d.Changes[0]
	ref := change.Messages[0].Referral
	require.NotNil(t, ref)
	ch := a.channel(tn, change.PhoneNumberID)
	require.Equal(t, http.StatusOK, a.deliver(body).Status)

	m, err := a.DB.Store().FindMessageByProviderID(a.system(tn), ch.ID, change.Messages[0].ProviderMessageID)
	require.NoError(t, err)
	require.NotNil(t, m.Referral)
	require.Equal(t, ref.CtwaClid, m.Referral.CtwaClid)
	conv := a.do(http.MethodGet, "/v1/conversations/"+m.ConversationID, tn.OwnerToken, nil)
	require.Contains(t, string(conv.Body), `"source_id":"`+ref.SourceID+`"`)
	require.Contains(t, string(conv.Body), `"ctwa_clid":"`+ref.CtwaClid+`"`)
	g := a.gqlOK(tn.OwnerToken, `query($id: ID!) { conversation(id: $id) { leadSource { headline ctwaClid }
		contact { leadSource { sourceId } } lastMessage { referral { sourceId } } } }`, map[string]any{"id": m.ConversationID})
	require.Equal(t, ref.Headline, g.str(t, "conversation.leadSource.headline"))
	require.Equal(t, ref.SourceID, g.str(t, "conversation.contact.leadSource.sourceId"))
	require.Equal(t, ref.SourceID, g.str(t, "conversation.lastMessage.referral.sourceId"))
}

// A receipt carrying our message id (biz_opaque_callback_data) that beats
// the sender's bookkeeping records the wamid itself: nothing is parked, the
// status applies at once, and the sender's late RecordSent changes nothing.
func TestWebhookReceiptWithCallbackDataReconcilesTheSend(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Callback Co")
	ch := a.channel(tn, "106540352242922")
	ctx := a.system(tn)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("16505551234")})
	require.NoError(t, err)
	conv, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ch.ID})
	require.NoError(t, err)
	_, err = a.Service.RecordInboundText(ctx, conv.ID, "hola", time.Now())
	require.NoError(t, err)
	m, err := a.Service.SendText(ctx, conv.ID, "respuesta")
	require.NoError(t, err)

	receipt := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.cb1","status":"delivered","timestamp":"1795600000","recipient_id":"16505551234","biz_opaque_callback_data":"` + m.ID + `"}]}}]}]}`)
	require.Equal(t, http.StatusOK, a.deliver(receipt).Status)
	got, err := a.Service.Message(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.DeliveryDelivered, got.Status)
	require.Equal(t, "wamid.cb1", got.ProviderMessageID)
	require.Equal(t, 0, a.count("parked_statuses"))

	prep, err := a.Service.PrepareSend(ctx, m.ID)
	require.NoError(t, err)
	require.Nil(t, prep, "a message Meta already accepted is not sent again")
	_, err = a.Service.RecordSent(ctx, m.ID, "wamid.cb1")
	require.NoError(t, err)
	got, err = a.Service.Message(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.DeliveryDelivered, got.Status, "never downgraded to sent")

	// Another channel's receipt cannot claim our message through its id.
	other := a.channel(tn, "106540352242999")
	_ = other
	forged := strings.ReplaceAll(strings.ReplaceAll(string(receipt), "106540352242922", "106540352242999"), "wamid.cb1", "wamid.forged")
	require.Equal(t, http.StatusOK, a.deliver([]byte(forged)).Status)
	got, err = a.Service.Message(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, "wamid.cb1", got.ProviderMessageID)
}
