package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// testCustomer is the wa_id rewritten fixtures are sent from.
const testCustomer = "16505551234"

// onTestNumber rewrites a whole Meta fixture for the test number: every
// change is addressed to fakeNumberID (and its WABA), every message comes from
// testCustomer, and every wamid is prefixed with tag so fixtures that share
// Meta's sample ids stay distinct (a wamid repeated inside the fixture stays
// repeated). It returns the body and the rewritten wamids of its messages.
func onTestNumber(t *testing.T, name, tag string) ([]byte, []string) {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, name), &d))
	var wamids []string
	for _, e := range d["entry"].([]any) {
		e.(map[string]any)["id"] = testWABAID
		for _, c := range e.(map[string]any)["changes"].([]any) {
			value := c.(map[string]any)["value"].(map[string]any)
			value["metadata"].(map[string]any)["phone_number_id"] = fakeNumberID
			contacts, _ := value["contacts"].([]any)
			for _, ct := range contacts {
				ct.(map[string]any)["wa_id"] = testCustomer
			}
			messages, _ := value["messages"].([]any)
			for _, m := range messages {
				msg := m.(map[string]any)
				msg["id"], msg["from"] = fmt.Sprintf("%s/%v", tag, msg["id"]), testCustomer
				wamids = append(wamids, msg["id"].(string))
			}
		}
	}
	out, err := json.Marshal(d)
	require.NoError(t, err)
	return out, wamids
}

// fixturesWithMessages lists the fixtures (inbound_*, batch_*, edge_*) that
// carry at least one customer message.
func fixturesWithMessages(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, pattern := range []string{"inbound_*.json", "batch_*.json", "edge_*.json"} {
		paths, err := filepath.Glob(filepath.Join(fixturesDir, pattern))
		require.NoError(t, err)
		for _, p := range paths {
			d, err := whatsapp.ParseWebhook(fixture(t, filepath.Base(p)))
			require.NoError(t, err, p)
			for _, c := range d.Changes {
				if len(c.Messages) > 0 {
					names = append(names, filepath.Base(p))
					break
				}
			}
		}
	}
	if len(names) == 0 {
		t.Skip("fixtures not found")
	}
	return names
}

// messageFields is what the GraphQL check reads of every message: its type
// and every content field, so none may fail to render.
const messageFields = `id type text providerMessageId status direction authorKind replyToProviderId forwarded
	replyTo { id }
	media { state mimeType caption filename voice sha256 error } mediaUrl
	location { latitude longitude name address url }
	contacts { name company phones { phone waId type } }
	interactive { kind replyId replyTitle replyDescription responseJson }
	reaction { emoji targetProviderId target { id } }
	order { catalogId text items { productRetailerId quantity itemPrice currency } }
	system { kind body newWaId }
	referral { sourceId sourceType sourceUrl headline body ctwaClid }`

// Every fixture that carries messages goes through the webhook twice, on
// the test number: each message is stored exactly once, with a type both
// APIs can render, and REST (checked against openapi.yaml) and GraphQL
// list it without errors and agree on its type and text.
func TestWebhookRecordsEveryInboundTypeOnce(t *testing.T) {
	// These name the customer only by BSUID, or not at all: rewriting their
	// sender would hide what they test, so bsuid_test.go sends them as
	// they are.
	bsuidOnly := map[string]bool{
		"edge_bsuid_in_wa_id_and_from.json":           true,
		"edge_message_without_from.json":              true,
		"inbound_text_bsuid_empty_wa_id_dec2025.json": true,
	}
	a := newTestApp(t)
	tn := a.bootstrap("Inbound Co")
	ch := a.channel(tn, fakeNumberID)
	ctx := a.system(tn)

	parsed := map[string]whatsapp.InboundMessage{} // by rewritten wamid
	source := map[string]string{}                  // wamid -> fixture
	for _, name := range fixturesWithMessages(t) {
		if bsuidOnly[name] {
			continue
		}
		body, wamids := onTestNumber(t, name, strings.TrimSuffix(name, ".json"))
		d, err := whatsapp.ParseWebhook(body)
		require.NoError(t, err, name)
		for _, c := range d.Changes {
			for _, m := range c.Messages {
				if _, seen := parsed[m.ProviderMessageID]; !seen {
					parsed[m.ProviderMessageID], source[m.ProviderMessageID] = m, name
				}
			}
		}
		require.Len(t, parsed, len(source))
		for _, w := range wamids {
			require.Contains(t, parsed, w, name)
		}
		for range 2 { // a redelivery changes nothing
			require.Equal(t, http.StatusOK, a.deliver(body).Status, name)
		}
	}
	require.Greater(t, len(parsed), 40)
	require.Equal(t, len(parsed), a.count("messages"), "each message once")

	conversations := map[string]bool{}
	for wamid := range parsed {
		m, err := a.DB.Store().FindMessageByProviderID(ctx, ch.ID, wamid)
		require.NoError(t, err, source[wamid])
		require.Equal(t, domain.DirectionInbound, m.Direction)
		conversations[m.ConversationID] = true
	}

	rest := a.rest()
	restRows := map[string]map[string]any{}
	gqlRows := map[string]map[string]any{}
	for conv := range conversations {
		res := rest.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+conv+"/messages?limit=100", tn.APIKey, nil)
		var page struct {
			Data    []map[string]any `json:"data"`
			HasMore bool             `json:"has_more"`
		}
		res.decode(t, &page)
		require.False(t, page.HasMore)
		for _, row := range page.Data {
			w := row["provider_message_id"].(string)
			require.NotContains(t, restRows, w, "listed once")
			restRows[w] = row
		}

		// Pages of 30 stay under the complexity limit with every field.
		var after any
		for more := true; more; {
			data := a.gqlOK(tn.OwnerToken, `query($id: ID!, $after: String) { node(id: $id) { ... on Conversation {
				messages(first: 30, after: $after) { pageInfo { hasNextPage endCursor } nodes { `+messageFields+` } } } } }`,
				map[string]any{"id": conv, "after": after})
			for _, n := range data.list(t, "node.messages.nodes") {
				node := n.(map[string]any)
				w := node["providerMessageId"].(string)
				require.NotContains(t, gqlRows, w, "listed once")
				gqlRows[w] = node
			}
			more, after = data.get(t, "node.messages.pageInfo.hasNextPage").(bool), data.get(t, "node.messages.pageInfo.endCursor")
		}
	}
	require.Len(t, restRows, len(parsed))
	require.Len(t, gqlRows, len(parsed))
	for wamid, m := range parsed {
		row, node := restRows[wamid], gqlRows[wamid]
		require.Equal(t, string(m.Type), row["type"], source[wamid])
		require.Equal(t, strings.ToUpper(string(m.Type)), node["type"], source[wamid])
		require.Equal(t, m.Text, row["text"], source[wamid])
		if m.Text == "" {
			require.Nil(t, node["text"], source[wamid]) // GraphQL says "no text" as null
		} else {
			require.Equal(t, m.Text, node["text"], source[wamid])
		}
	}

	// The messages that need a second look.
	rows := func(name string) (rest, gql map[string]any) {
		t.Helper()
		for wamid := range parsed {
			if source[wamid] == name {
				return restRows[wamid], gqlRows[wamid]
			}
		}
		t.Fatalf("no message from %s", name)
		return nil, nil
	}
	for name, want := range map[string]string{
		"inbound_request_welcome.json":                "request_welcome",
		"inbound_unknown_type_131051_legacy.json":     "unsupported",
		"inbound_unsupported_with_type_poll.json":     "unsupported",
		"inbound_edit_coexistence.json":               "unsupported",
		"inbound_interactive_nfm_reply_flow.json":     "interactive",
		"inbound_system_identity_changed.json":        "system",
		"inbound_order.json":                          "order",
		"inbound_text_ads_referral_no_ctwa_clid.json": "text",
	} {
		row, node := rows(name)
		require.Equal(t, want, row["type"], name)
		require.Equal(t, strings.ToUpper(want), node["type"], name)
	}
	for _, name := range []string{"inbound_reaction_removed_empty_emoji.json", "inbound_reaction_removed_no_emoji.json"} {
		row, node := rows(name)
		require.Equal(t, "", row["reaction"].(map[string]any)["emoji"], "%s: a removed reaction has no emoji", name)
		require.Equal(t, "", node["reaction"].(map[string]any)["emoji"], name)
	}
	row, node := rows("inbound_text_ads_referral_no_ctwa_clid.json")
	require.Equal(t, "", row["referral"].(map[string]any)["ctwa_clid"])
	require.Equal(t, "", node["referral"].(map[string]any)["ctwaClid"])
}

// A channel adapter may hand over a type the APIs cannot name (a future
// Meta type): it is stored as unsupported, so both APIs still render it.
func TestUnnamedInboundTypesAreStoredAsUnsupported(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Future Co")
	ch := a.channel(tn, fakeNumberID)
	created, err := a.Service.ReceiveMessage(a.system(tn), ch, domain.InboundMessage{ProviderMessageID: "wamid.poll",
		WaID: testCustomer, Type: "poll"})
	require.NoError(t, err)
	require.True(t, created)
	m, err := a.DB.Store().FindMessageByProviderID(a.system(tn), ch.ID, "wamid.poll")
	require.NoError(t, err)
	require.Equal(t, domain.MessageUnsupported, m.Type)
	res := a.rest().expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+m.ConversationID+"/messages", tn.APIKey, nil)
	require.Equal(t, "unsupported", object(t, res)["data"].([]any)[0].(map[string]any)["type"])
	data := a.gqlOK(tn.OwnerToken, `query($id: ID!) { node(id: $id) { ... on Message { type } } }`, map[string]any{"id": m.ID})
	require.Equal(t, "UNSUPPORTED", data.str(t, "node.type"))
}

// A customer opening a thread from WhatsApp's welcome screen writes
// nothing yet, but the business may answer freely.
func TestRequestWelcomeOpensTheServiceWindow(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Welcome Co")
	ch := a.channel(tn, fakeNumberID)
	require.Equal(t, http.StatusOK, a.deliver(inboundAs(t, "inbound_request_welcome.json", "wamid.welcome", func(m map[string]any) {
		m["timestamp"] = fmt.Sprint(time.Now().Unix())
	})).Status)
	m, err := a.DB.Store().FindMessageByProviderID(a.system(tn), ch.ID, "wamid.welcome")
	require.NoError(t, err)
	require.Equal(t, domain.MessageRequestWelcome, m.Type)
	conv := object(t, a.rest().expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+m.ConversationID, tn.APIKey, nil))
	require.Equal(t, true, conv["service_window_open"])
}
