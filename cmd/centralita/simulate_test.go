package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// simulateRun runs `centralita simulate` against the test app and reads
// its report, checking the report's own arithmetic.
func simulateRun(t *testing.T, a *testApp, args ...string) simulateReport {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"simulate", "--url", a.URL + "/webhooks/whatsapp",
		"--app-secret", testAppSecret}, args...), &out, &errOut)
	require.NoError(t, err, errOut.String())
	var report simulateReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &report), out.String())
	byType := 0
	for _, n := range report.Types {
		byType += n
	}
	require.Equal(t, report.Messages, byType, "the types add up to the messages")
	answered := report.Errors
	for _, n := range report.Statuses {
		answered += n
	}
	require.Equal(t, report.Deliveries+report.Duplicates, report.Posts, "every delivery and duplicate is a post")
	require.Equal(t, report.Posts, answered, "every post is answered or an error")
	require.Zero(t, report.Errors)
	require.Equal(t, map[string]int{"200": report.Posts}, report.Statuses)
	return report
}

// simulate posts signed, batched deliveries with duplicates to two numbers;
// --count counts messages, each stored once, in deliveries of --batch.
// One at a time, every reply quotes a message already stored.
func TestSimulateFeedsTheWebhook(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Sim Co")
	for _, n := range []struct {
		pnid string
		mode domain.ChannelMode
	}{{"100000000000001", domain.ChannelModeOfficial}, {"100000000000002", domain.ChannelModeRedirect}} {
		_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr(n.pnid),
			WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr(n.pnid), Mode: valuePtr(n.mode)})
		require.NoError(t, err)
	}
	report := simulateRun(t, a, "--numbers", "100000000000001,100000000000002", "--count", "29", "--batch", "3",
		"--rate", "200", "--concurrency", "1", "--duplicates", "0.5", "--replies", "0.3", "--forwards", "0.2", "--referrals", "0.2")
	require.Equal(t, 29, report.Messages)
	require.Equal(t, map[string]int{"text": 29}, report.Types)
	require.Equal(t, 10, report.Deliveries, "nine of 3 and one of 2")
	require.Positive(t, report.Duplicates)
	require.Positive(t, report.Replies)
	require.Positive(t, report.Forwarded)
	require.Positive(t, report.Referrals)

	inbound := simulatedInbox(t, a, tn)
	require.Len(t, inbound, 29, "duplicates stored once")
	replies, forwarded, referrals := 0, 0, 0
	for _, m := range inbound {
		if m["reply_to_provider_id"] != nil {
			replies++
			require.NotNil(t, m["reply_to_id"], "the quoted message is stored: %v", m)
		}
		if m["forwarded"] == true {
			forwarded++
		}
		if m["referral"] != nil {
			referrals++
			require.Equal(t, simulatedAdText, m["text"])
		}
	}
	require.Equal(t, []int{report.Replies, report.Forwarded, report.Referrals}, []int{replies, forwarded, referrals})

	require.Error(t, run(context.Background(), []string{"simulate", "--url", "http://10.0.0.1/webhooks/whatsapp",
		"--app-secret", "x", "--numbers", "1"}, &bytes.Buffer{}, &bytes.Buffer{}), "only local targets")
	require.Error(t, run(context.Background(), []string{"simulate", "--url", a.URL, "--app-secret", "x", "--numbers", "1",
		"--replies", "0.6", "--referrals", "0.6"}, &bytes.Buffer{}, &bytes.Buffer{}), "a message is one of them at most")
}

// Many deliveries in flight at once, of every type simulate knows: each
// message is stored once as its type, with its content, and reads back
// over REST (validated against openapi.yaml) and GraphQL. A customer who
// changes number stays one contact, however their messages interleave.
func TestSimulateConcurrentlyWithEveryType(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Sim Types Co")
	_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr("100000000000001"),
		WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr("100000000000001")})
	require.NoError(t, err)
	report := simulateRun(t, a, "--numbers", "100000000000001", "--count", "60", "--batch", "2", "--rate", "1000",
		"--concurrency", "8", "--duplicates", "0.3", "--types", "all", "--replies", "0.2", "--forwards", "0.1", "--referrals", "0.1")
	require.Equal(t, 60, report.Messages)
	require.Equal(t, 30, report.Deliveries)
	for _, typ := range simulatedTypes {
		require.Equal(t, 4, report.Types[typ], "60 messages, 15 types in turn: %s", typ)
	}
	require.Positive(t, report.PostsPerSecond)
	require.LessOrEqual(t, report.P50Millis, report.P99Millis)

	var deadLetters int
	require.NoError(t, a.sql().QueryRow("SELECT count(*) FROM webhook_dead_letters").Scan(&deadLetters))
	require.Zero(t, deadLetters, "every payload parses cleanly")

	inbound := simulatedInbox(t, a, tn)
	require.Len(t, inbound, 60, "every message once, duplicates and all")
	byType := map[string]int{}
	byProviderID := map[string]map[string]any{}
	for _, m := range inbound {
		byProviderID[m["provider_message_id"].(string)] = m
	}
	replies, forwarded, referrals := 0, 0, 0
	for _, m := range inbound {
		typ := m["type"].(string)
		byType[typ]++
		simulatedContentIsWhole(t, typ, m)
		if !simulatedTypeIsContent(typ) {
			continue
		}
		if quoted, _ := m["reply_to_provider_id"].(string); quoted != "" {
			replies++
			require.NotNil(t, m["reply_to_id"], "a reply quotes a stored message")
			require.Equal(t, m["author_id"], byProviderID[quoted]["author_id"], "the customer's own")
		}
		if m["forwarded"] == true {
			forwarded++
		}
		if m["referral"] != nil {
			referrals++
		}
	}
	require.Equal(t, report.Types, byType, "each stored as itself")
	require.Equal(t, []int{report.Replies, report.Forwarded, report.Referrals}, []int{replies, forwarded, referrals})

	// Five customers, five contacts: messages after a number change came
	// from the new number and found the moved contact.
	var contacts struct {
		Data []map[string]any `json:"data"`
	}
	a.do(http.MethodGet, "/v1/contacts?limit=100", tn.APIKey, nil).decode(t, &contacts)
	require.Len(t, contacts.Data, 5)
	// The contact has the number of its customer's last move (the n-th
	// message of a run has the wamid wamid.sim.<run>.<n>).
	type move struct {
		n    int
		waID string
	}
	lastMove := map[string]move{}
	for _, m := range inbound {
		if m["type"] != "system" {
			continue
		}
		id, wamid := m["author_id"].(string), m["provider_message_id"].(string)
		n, err := strconv.Atoi(wamid[strings.LastIndex(wamid, ".")+1:])
		require.NoError(t, err)
		if last, seen := lastMove[id]; !seen || n > last.n {
			lastMove[id] = move{n, m["system"].(map[string]any)["new_wa_id"].(string)}
		}
	}
	for id, last := range lastMove {
		c, err := a.Service.Contact(a.system(tn), id)
		require.NoError(t, err)
		require.Equal(t, last.waID, c.WaID, "the contact moved with the customer")
	}
	require.NotEmpty(t, lastMove)

	// GraphQL renders every type. request_welcome has no MessageType value
	// yet, so only its storage is checked above.
	q := `query($id: ID!) { node(id: $id) { ... on Message {
		type text replyToProviderId forwarded referral { sourceId ctwaClid }
		media { mimeType } location { name } contacts { name } interactive { kind replyId }
		reaction { emoji targetProviderId } order { catalogId items { quantity } } system { kind newWaId }
	} } }`
	for _, m := range inbound {
		if m["type"] == "request_welcome" {
			continue
		}
		node := a.gqlOK(tn.OwnerToken, q, map[string]any{"id": m["id"]})
		require.Equal(t, strings.ToUpper(m["type"].(string)), node.get(t, "node.type"))
		if text := node.get(t, "node.text"); text != nil || m["text"] != "" {
			require.Equal(t, m["text"], text, "GraphQL says no text with null")
		}
	}
}

// simulatedContentIsWhole checks that a simulated message of each type
// arrived with its content, as the REST API shows it.
func simulatedContentIsWhole(t *testing.T, typ string, m map[string]any) {
	t.Helper()
	field := func(name string) map[string]any {
		v, ok := m[name].(map[string]any)
		require.True(t, ok, "%s message has %s: %v", typ, name, m)
		return v
	}
	menu := []any{"ventas", "soporte", "cobranzas"}
	switch typ {
	case "text":
		require.NotEmpty(t, m["text"])
	case "image", "video", "audio", "document", "sticker":
		sample, ok := demoSampleFor(typ)
		require.True(t, ok)
		media := field("media")
		require.Equal(t, strings.Split(sample.MimeType, ";")[0], strings.Split(media["mime_type"].(string), ";")[0])
		require.Equal(t, hexSHA256(sample.Data()), media["sha256"], "Meta's sha256 of the sample")
	case "location":
		require.Equal(t, "Plaza Mayor", field("location")["name"])
	case "contacts":
		require.Equal(t, "Rosa Quispe", m["contacts"].([]any)[0].(map[string]any)["name"])
	case "interactive":
		in := field("interactive")
		require.Contains(t, []any{"button_reply", "list_reply"}, in["kind"])
		require.Contains(t, menu, in["reply_id"])
		require.Equal(t, "wamid.sim.menu", m["reply_to_provider_id"], "answers quote the menu")
	case "button":
		in := field("interactive")
		require.Equal(t, "quick_reply", in["kind"])
		require.Contains(t, menu, in["reply_id"])
	case "reaction":
		r := field("reaction")
		require.Equal(t, "👍", r["emoji"])
		require.NotEmpty(t, r["target_provider_id"])
	case "order":
		o := field("order")
		require.Equal(t, "194836987003835", o["catalog_id"])
		require.Len(t, o["items"], 2)
	case "system":
		s := field("system")
		require.Equal(t, "user_changed_number", s["kind"])
		require.Regexp(t, `^\d+$`, s["new_wa_id"])
	case "request_welcome", "unsupported":
		require.Empty(t, m["text"], "no content to show")
	default:
		t.Fatalf("type %q is none simulate sends", typ)
	}
}

func simulatedTypeIsContent(typ string) bool {
	for _, c := range simulatedContentTypes {
		if c == typ {
			return true
		}
	}
	return false
}

// simulatedInbox reads every inbound message of the workspace over REST,
// each answer validated against openapi.yaml.
func simulatedInbox(t *testing.T, a *testApp, tn tenant) []map[string]any {
	t.Helper()
	spec, err := legacy.NewRouter(loadOpenAPI(t))
	require.NoError(t, err)
	rest := &restClient{t: t, app: a, spec: spec}
	var convs struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	rest.expect(http.StatusOK, http.MethodGet, "/v1/conversations?limit=100", tn.APIKey, nil).decode(t, &convs)
	var inbound []map[string]any
	for _, c := range convs.Data {
		var page struct {
			Data       []map[string]any `json:"data"`
			NextCursor *string          `json:"next_cursor"`
		}
		rest.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+c.ID+"/messages?limit=100", tn.APIKey, nil).decode(t, &page)
		require.Nil(t, page.NextCursor, "one page holds a conversation here")
		for _, m := range page.Data {
			if m["direction"] == "inbound" {
				inbound = append(inbound, m)
			}
		}
	}
	return inbound
}

// --from and --text play one customer's words step by step: every message
// comes from that wa_id with that body, into one conversation.
func TestSimulateOneCustomerSayingOneThing(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Script Co")
	a.channelOf(tn, "100000000000001", "200000000000001") // the WABA simulate names
	report := simulateRun(t, a, "--numbers", "100000000000001", "--from", "51911122233", "--text", "hola, ¿me ayudan?",
		"--count", "2", "--duplicates", "0", "--replies", "0", "--forwards", "0", "--referrals", "0")
	require.Equal(t, 2, report.Messages)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "one customer, one conversation")
	contact, err := a.Service.Contact(a.system(tn), page.Items[0].ContactID)
	require.NoError(t, err)
	require.Equal(t, "51911122233", contact.WaID)
	for _, m := range simulatedInbox(t, a, tn) {
		require.Equal(t, "hola, ¿me ayudan?", m["text"])
	}
	for _, bad := range [][]string{{"--from", "+51911122233"}, {"--from", "123"}} {
		err := run(context.Background(), append([]string{"simulate", "--url", a.URL, "--app-secret", "x", "--numbers", "1"}, bad...),
			&bytes.Buffer{}, &bytes.Buffer{})
		require.ErrorContains(t, err, "--from must be a wa_id", bad)
	}
}
