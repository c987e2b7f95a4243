package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	pnidA  = "106540352242922"
	tokenA = "token-A"
	pnidB  = "114896151713920"
	tokenB = "token-B"
	user   = "16505551234"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fakeEnv struct {
	fake   *FakeGraph
	client *Client
	clock  *testClock
	url    string
}

func newFakeEnv(t *testing.T, mutate ...func(*FakeGraphOptions)) *fakeEnv {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	opts := FakeGraphOptions{
		Numbers: map[string]FakeNumber{
			pnidA: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: tokenA},
			pnidB: {WABAID: "122951744235903", DisplayPhoneNumber: "60100000000", Token: tokenB},
		},
		Templates: []FakeTemplate{{Name: "order_confirmation", Language: "en_US"}},
		AppSecret: testSecret,
		Now:       clock.Now,
	}
	for _, m := range mutate {
		m(&opts)
	}
	fake := NewFakeGraph(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &fakeEnv{fake: fake, client: &Client{BaseURL: srv.URL, Version: "v24.0", HTTP: srv.Client()}, clock: clock, url: srv.URL}
}

func text(body string) OutboundMessage {
	return OutboundMessage{To: "+" + user, Text: &OutboundText{Body: body}}
}

func fixtureMessages() map[string]OutboundMessage {
	return map[string]OutboundMessage{
		"send_text_request.json": {To: "+16505551234", Text: &OutboundText{PreviewURL: true,
			Body: "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/"}},
		"send_image_by_id_request.json": {To: "+16505551234", Image: &OutboundMedia{ID: "1479537139650973", Caption: "The best succulent ever?"}},
		"send_document_by_id_request.json": {To: "+16505551234", Document: &OutboundMedia{ID: "1376223850470843",
			Filename: "order_abc123.pdf", Caption: "Your order confirmation (PDF)"}},
		"send_contextual_reply_request.json": {To: "+16505551234", Text: &OutboundText{Body: "You're welcome, Pablo!"},
			ReplyTo: "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTdCNTg5RjY1MEMyRjlGMjRGNgA="},
		"send_reaction_request.json": {To: "+16505551234", Reaction: &OutboundReaction{
			MessageID: "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZCMTY0MDc2MUYwNzBDNTY5MAA=", Emoji: "😀"}},
		"send_template_named_params_request.json": {To: "+16505551234", Template: &OutboundTemplate{
			Name: "order_confirmation", LanguageCode: "en_US", Components: []TemplateComponent{{Type: "body", Parameters: []TemplateParameter{
				{Type: "text", ParameterName: "first_name", Text: "Jessica"},
				{Type: "text", ParameterName: "order_number", Text: "SKBUP2-4CPIG9"}}}}}},
		"send_template_positional_params_request.json": {To: "+16505551234", Template: &OutboundTemplate{
			Name: "order_confirmation", LanguageCode: "en_US", Components: []TemplateComponent{{Type: "body", Parameters: []TemplateParameter{
				{Type: "text", Text: "Jessica"}, {Type: "text", Text: "SKBUP2-4CPIG9"}}}}}},
		"send_interactive_reply_buttons_request.json": {To: "+16505551234", Interactive: &OutboundInteractive{
			Kind:    InteractiveKindButton,
			Header:  &InteractiveHeader{Type: "image", Image: &OutboundMedia{ID: "2762702990552401"}},
			Body:    "Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule. Thank you!",
			Footer:  "Lucky Shrub: Your gateway to succulents!™",
			Buttons: []ReplyButton{{ID: "change-button", Title: "Change"}, {ID: "cancel-button", Title: "Cancel"}}}},
		"send_interactive_list_request.json": {To: "+16505551234", Interactive: &OutboundInteractive{
			Kind:       InteractiveKindList,
			Header:     &InteractiveHeader{Type: "text", Text: "Choose Shipping Option"},
			Body:       "Which shipping option do you prefer?",
			Footer:     "Lucky Shrub: Your gateway to succulents™",
			ListButton: "Shipping Options",
			Sections: []ListSection{
				{Title: "I want it ASAP!", Rows: []ListRow{
					{ID: "priority_express", Title: "Priority Mail Express", Description: "Next Day to 2 Days"},
					{ID: "priority_mail", Title: "Priority Mail", Description: "1–3 Days"}}},
				{Title: "I can wait a bit", Rows: []ListRow{
					{ID: "usps_ground_advantage", Title: "USPS Ground Advantage", Description: "2–5 Days"},
					{ID: "media_mail", Title: "Media Mail", Description: "2–8 Days"}}}}}},
	}
}

// The client's bodies are Meta's documented request bodies, field for field.
func TestSendBodiesMatchMetaFixtures(t *testing.T) {
	for name, msg := range fixtureMessages() {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, msg.Validate())
			got, err := json.Marshal(msg)
			require.NoError(t, err)
			require.JSONEq(t, string(fixture(t, name)), string(got))
		})
	}
}

func TestSendEveryTypeThroughFake(t *testing.T) {
	env := newFakeEnv(t)
	msgs := fixtureMessages()
	msgs["audio"] = OutboundMessage{To: "+1 (650) 555-1234", Audio: &OutboundMedia{Link: "https://example.com/a.ogg"}}
	msgs["video"] = OutboundMessage{To: "+16505551234", Video: &OutboundMedia{ID: "9", Caption: "v"}}
	msgs["sticker"] = OutboundMessage{To: "+16505551234", Sticker: &OutboundMedia{ID: "8"}}
	msgs["image by link"] = OutboundMessage{To: "+16505551234", Image: &OutboundMedia{Link: "https://example.com/i.jpg?v=2"}}
	msgs["biz opaque"] = OutboundMessage{To: "+16505551234", Text: &OutboundText{Body: "hi"}, BizOpaqueCallbackData: "outbox:42"}
	for name, msg := range msgs {
		t.Run(name, func(t *testing.T) {
			res, err := env.client.SendMessage(context.Background(), pnidA, tokenA, msg)
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(res.MessageID, "wamid."))
			require.Equal(t, user, res.WaID)
			require.Equal(t, msg.To, res.Input)
		})
	}
	sent := env.fake.SentMessages()
	require.Len(t, sent, len(msgs))
	var opaque []string
	for _, s := range sent {
		opaque = append(opaque, s.BizOpaqueCallbackData)
	}
	require.Contains(t, opaque, "outbox:42")
}

func TestMarkReadAndTyping(t *testing.T) {
	env := newFakeEnv(t)
	wamid := "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"
	require.NoError(t, env.client.MarkRead(context.Background(), pnidA, tokenA, wamid))
	require.NoError(t, env.client.SendTypingIndicator(context.Background(), pnidA, tokenA, wamid))
	reqs := env.fake.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, "/v24.0/"+pnidA+"/messages", reqs[0].Path)
	require.Equal(t, "Bearer "+tokenA, reqs[0].Header.Get("Authorization"))
	require.JSONEq(t, string(fixture(t, "send_mark_read_request.json")), string(reqs[0].Body))
	require.JSONEq(t, string(fixture(t, "send_typing_indicator_request.json")), string(reqs[1].Body))
}

func TestValidationFailsBeforeHTTP(t *testing.T) {
	env := newFakeEnv(t)
	buttons := func(titles ...string) OutboundMessage {
		in := &OutboundInteractive{Kind: InteractiveKindButton, Body: "pick"}
		for i, title := range titles {
			in.Buttons = append(in.Buttons, ReplyButton{ID: string(rune('a' + i)), Title: title})
		}
		return OutboundMessage{To: "+1", Interactive: in}
	}
	list := func(rowsPerSection ...int) OutboundMessage {
		in := &OutboundInteractive{Kind: InteractiveKindList, Body: "pick", ListButton: "Options"}
		n := 0
		for i, rows := range rowsPerSection {
			s := ListSection{Title: "S" + string(rune('0'+i))}
			for j := 0; j < rows; j++ {
				n++
				s.Rows = append(s.Rows, ListRow{ID: "r" + strings.Repeat("x", n), Title: "Row"})
			}
			in.Sections = append(in.Sections, s)
		}
		return OutboundMessage{To: "+1", Interactive: in}
	}
	longRow := list(1)
	longRow.Interactive.Sections[0].Rows[0].Title = strings.Repeat("r", MaxListRowTitle+1)

	cases := map[string]OutboundMessage{
		"no recipient":        {Text: &OutboundText{Body: "x"}},
		"no content":          {To: "+1"},
		"two contents":        {To: "+1", Text: &OutboundText{Body: "x"}, Image: &OutboundMedia{ID: "1"}},
		"empty text":          text("  "),
		"text too long":       text(strings.Repeat("é", MaxTextBody+1)),
		"media id and link":   {To: "+1", Image: &OutboundMedia{ID: "1", Link: "https://x"}},
		"media neither":       {To: "+1", Video: &OutboundMedia{}},
		"sticker caption":     {To: "+1", Sticker: &OutboundMedia{ID: "1", Caption: "no"}},
		"image filename":      {To: "+1", Image: &OutboundMedia{ID: "1", Filename: "x.jpg"}},
		"four buttons":        buttons("a", "b", "c", "d"),
		"no buttons":          buttons(),
		"button title 21":     buttons(strings.Repeat("t", MaxReplyButtonTitle+1)),
		"duplicate titles":    buttons("Yes", "Yes"),
		"eleven rows":         list(5, 6),
		"row title too long":  longRow,
		"template no lang":    {To: "+1", Template: &OutboundTemplate{Name: "t"}},
		"template empty text": {To: "+1", Template: &OutboundTemplate{Name: "t", LanguageCode: "en", Components: []TemplateComponent{{Type: "body", Parameters: []TemplateParameter{{Type: "text"}}}}}},
		"template mixed params": {To: "+1", Template: &OutboundTemplate{Name: "t", LanguageCode: "en", Components: []TemplateComponent{{Type: "body",
			Parameters: []TemplateParameter{{Type: "text", Text: "a", ParameterName: "n"}, {Type: "text", Text: "b"}}}}}},
		"reaction no target":  {To: "+1", Reaction: &OutboundReaction{Emoji: "x"}},
		"reaction quoting":    {To: "+1", Reaction: &OutboundReaction{MessageID: "w", Emoji: "x"}, ReplyTo: "w2"},
		"unknown interactive": {To: "+1", Interactive: &OutboundInteractive{Kind: "product", Body: "x"}},
	}
	for name, msg := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := env.client.SendMessage(context.Background(), pnidA, tokenA, msg)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			require.False(t, IsRetryable(err))
		})
	}
	require.Empty(t, env.fake.Requests(), "validation must happen before any HTTP call")

	ok := list(5, 5)
	require.NoError(t, ok.Validate(), "exactly 10 rows is allowed")
	require.NoError(t, buttons("a", "b", "c").Validate())
	removal := OutboundMessage{To: "+1", Reaction: &OutboundReaction{MessageID: "w"}}
	require.NoError(t, removal.Validate(), "empty emoji removes a reaction")
}

func TestGraphErrorFixtures(t *testing.T) {
	cases := []struct {
		file               string
		status             int
		code, subcode      int
		retryable          bool
		details, fbtraceID string
	}{
		{"send_error_100_invalid_parameter.json", 400, 100, 0, false, "Parameter 'text' is mandatory for component parameter type 'text'", "AauRgAP8m_ImekhgAZPeC7d"},
		{"send_error_130429_throughput.json", 400, 130429, 2494055, true, "Cloud API message throughput has been reached.", "Az8or2yhqkZfEZ-_4Qn_Bam"},
		{"send_error_131009_minimal.json", 400, 131009, 0, false, "", ""},
		{"send_error_131053_minimal.json", 400, 131053, 0, false, "", ""},
		{"send_error_131056_pair_rate_limit_minimal.json", 403, 131056, 0, true, "", ""},
		{"send_error_132001_template_missing.json", 404, 132001, 0, false, "template name (cg_quest_text) does not exist in en_US", "A5Ld_C-mecwFT9GzebFGU0m"},
		{"send_error_190_token_expired.json", 401, 190, 463, false, "", "AZ-HzGEkqc5Vf3E0gy-eAcV"},
		{"graph_error_100_subcode_33_unknown_object.json", 400, 100, 33, false, "", "AeadGx6xI8M9EVqcy11ynej"},
		{"graph_error_is_transient_user_msg.json", 400, 136024, 2388091, false, "", "Aayh7_x-pxzNlCVeeb3IxXU"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			body := fixture(t, tc.file)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			c := &Client{BaseURL: srv.URL}
			_, err := c.SendMessage(context.Background(), pnidA, tokenA, text("hi"))
			var ge *GraphError
			require.ErrorAs(t, err, &ge)
			require.Equal(t, tc.status, ge.HTTPStatus)
			require.Equal(t, tc.code, ge.Code)
			require.Equal(t, tc.subcode, ge.Subcode)
			require.Equal(t, tc.details, ge.Details)
			require.Equal(t, tc.fbtraceID, ge.FBTraceID)
			require.NotEmpty(t, ge.Message)
			require.Equal(t, tc.retryable, ge.Retryable())
			require.Equal(t, tc.retryable, IsRetryable(err))
			require.Equal(t, tc.retryable, ge.Permanent() == "")
		})
	}
}

func TestGraphErrorUserMessageAndTransient(t *testing.T) {
	ge := parseGraphError(400, fixture(t, "graph_error_is_transient_user_msg.json"))
	require.Equal(t, "Não foi possível enviar o código", ge.UserTitle)
	require.Equal(t, "Tente novamente depois de um tempo.", ge.UserMessage)
	require.False(t, ge.IsTransient)
	ge.IsTransient = true
	require.True(t, ge.Retryable(), "is_transient makes an unknown code retryable")
}

func TestRetryableClassification(t *testing.T) {
	retry := []int{130429, 131056, 4, 80007, 1, 2, 131000, 131016, 133004, 131057}
	permanent := []int{131047, 131026, 100, 131008, 131009, 132000, 132001, 132005, 132015, 190, 131050, 131049,
		131051, 131053, 131030, 368, 131031, 131042, 133010, 200, 299, 10, 0, 3}
	for _, code := range retry {
		require.True(t, (&GraphError{HTTPStatus: 400, Code: code}).Retryable(), "code %d", code)
	}
	for _, code := range permanent {
		e := &GraphError{HTTPStatus: metaHTTPStatus(code), Code: code}
		require.False(t, e.Retryable(), "code %d", code)
		require.NotEmpty(t, e.Permanent(), "code %d", code)
	}
	require.True(t, (&GraphError{HTTPStatus: 502}).Retryable(), "bare 5xx from a proxy")
	require.True(t, (&GraphError{HTTPStatus: 503, Code: 999999}).Retryable())
	require.False(t, (&GraphError{HTTPStatus: 400, Code: 999999}).Retryable())
	require.True(t, (&GraphError{Code: CodeReEngagement}).NeedsTemplate())
}

func TestNonJSONErrorBodyKeepsStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>Bad Gateway</html>", http.StatusBadGateway)
	}))
	defer srv.Close()
	_, err := (&Client{BaseURL: srv.URL}).SendMessage(context.Background(), pnidA, tokenA, text("x"))
	var ge *GraphError
	require.ErrorAs(t, err, &ge)
	require.Equal(t, 502, ge.HTTPStatus)
	require.True(t, IsRetryable(err))
}

func TestTransportErrorsAreRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	_, err := (&Client{BaseURL: base}).SendMessage(context.Background(), pnidA, tokenA, text("x"))
	var te *TransportError
	require.ErrorAs(t, err, &te)
	require.True(t, IsRetryable(err))

	env := newFakeEnv(t)
	env.fake.SetLatency(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("slow"))
	require.ErrorAs(t, err, &te)
	require.True(t, IsRetryable(err), "timeouts are retryable")

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("cancelled"))
	require.Error(t, err)
	require.False(t, IsRetryable(err), "a deliberate cancel is not retried")
	require.False(t, IsRetryable(errors.New("other")))
}
