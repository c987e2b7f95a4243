package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// Requests Meta would refuse are refused at the API with the offending
// field, before anything is stored; another workspace's uploads and
// messages answer exactly like unknown ones.
func TestSendRefusesBadContentAndWritesNothing(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	c := a.rest()
	ctx := a.system(tn)
	quoted := a.customerWrites(tn, conv, "wamid.cliente-1")
	noWAMID, err := a.Service.RecordInboundText(ctx, conv.ID, "sin wamid", time.Now())
	require.NoError(t, err)
	photo := c.uploadOK(tn.OwnerToken, "foto.png", "image/png", pngBytes(t))
	// Another conversation of the workspace (another customer).
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(fakeNumberID, "wamid.otro", "16505550000")).Status)
	elsewhere, err := a.DB.Store().FindMessageByProviderID(ctx, conv.ChannelID, "wamid.otro")
	require.NoError(t, err)
	require.NotEqual(t, conv.ID, elsewhere.ConversationID)
	// Another workspace's upload and message.
	other := a.bootstrap("Other Co")
	foreignUpload := c.uploadOK(other.OwnerToken, "ajena.png", "image/png", pngBytes(t))
	otherContact, err := a.Service.CreateContact(a.system(other), domain.ContactInput{WaID: valuePtr("5215512345678")})
	require.NoError(t, err)
	a.channel(other, "109999999999999")
	otherConv, err := a.Service.CreateConversation(a.system(other), domain.NewConversation{ContactID: otherContact.ID})
	require.NoError(t, err)
	foreignMsg, err := a.Service.RecordInboundText(a.system(other), otherConv.ID, "hola", time.Now())
	require.NoError(t, err)
	unknownUpload, unknownMsg := domain.NewID(domain.PrefixMediaFile), domain.NewID(domain.PrefixMessage)

	btn := func(id, title string) map[string]any { return map[string]any{"id": id, "title": title} }
	row := func(id, title string) map[string]any { return map[string]any{"id": id, "title": title} }
	eleven := []map[string]any{}
	for i := range 11 {
		eleven = append(eleven, row(strings.Repeat("r", i+1), "fila"))
	}
	interactive := func(fields map[string]any) map[string]any {
		in := map[string]any{"type": "button", "body": "¿Confirmamos?", "buttons": []any{btn("si", "Sí")}}
		for k, v := range fields {
			in[k] = v
		}
		return map[string]any{"interactive": in}
	}
	list := func(sections ...map[string]any) map[string]any {
		return map[string]any{"interactive": map[string]any{"type": "list", "body": "Elige", "button": "Ver", "sections": sections}}
	}
	template := func(fields map[string]any) map[string]any {
		in := map[string]any{"name": "promo", "language": "es"}
		for k, v := range fields {
			in[k] = v
		}
		return map[string]any{"template": in}
	}
	media := func(m map[string]any) map[string]any { return map[string]any{"media": m} }
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"four buttons", interactive(map[string]any{"buttons": []any{btn("a", "A"), btn("b", "B"), btn("c", "C"), btn("d", "D")}}), "interactive.buttons"},
		{"button title over 20", interactive(map[string]any{"buttons": []any{btn("a", strings.Repeat("é", 21))}}), "interactive.buttons[0].title"},
		{"duplicate button ids", interactive(map[string]any{"buttons": []any{btn("a", "A"), btn("a", "B")}}), "interactive.buttons[1].id"},
		{"button id over 256", interactive(map[string]any{"buttons": []any{btn(strings.Repeat("x", 257), "A")}}), "interactive.buttons[0].id"},
		{"buttons body over 1024", interactive(map[string]any{"body": strings.Repeat("x", 1025)}), "interactive.body"},
		{"no body", interactive(map[string]any{"body": ""}), "interactive.body"},
		{"header over 60", interactive(map[string]any{"header": strings.Repeat("h", 61)}), "interactive.header"},
		{"footer over 60", interactive(map[string]any{"footer": strings.Repeat("f", 61)}), "interactive.footer"},
		{"unknown kind", interactive(map[string]any{"type": "carousel"}), "interactive.type"},
		{"eleven rows", list(map[string]any{"title": "Lima", "rows": eleven}), "interactive.sections"},
		{"row title over 24", list(map[string]any{"rows": []any{row("a", strings.Repeat("t", 25))}}), "interactive.sections[0].rows[0].title"},
		{"row description over 72", list(map[string]any{"rows": []any{map[string]any{"id": "a", "title": "A", "description": strings.Repeat("d", 73)}}}), "interactive.sections[0].rows[0].description"},
		{"duplicate row ids across sections", list(map[string]any{"title": "Lima", "rows": []any{row("a", "A")}},
			map[string]any{"title": "Cusco", "rows": []any{row("a", "B")}}), "interactive.sections[1].rows[0].id"},
		{"several sections without titles", list(map[string]any{"rows": []any{row("a", "A")}}, map[string]any{"rows": []any{row("b", "B")}}), "interactive.sections[0].title"},
		{"unknown upload", media(map[string]any{"upload_id": unknownUpload}), "media.upload_id"},
		{"another workspace's upload", media(map[string]any{"upload_id": foreignUpload}), "media.upload_id"},
		{"image upload sent as video", media(map[string]any{"upload_id": photo, "type": "video"}), "media.upload_id"},
		{"upload and link", media(map[string]any{"upload_id": photo, "link": "https://example.com/a.png"}), "media"},
		{"link without type", media(map[string]any{"link": "https://example.com/a.png"}), "media.type"},
		{"link not http", media(map[string]any{"type": "image", "link": "ftp://example.com/a.png"}), "media.link"},
		{"caption on a sticker", media(map[string]any{"type": "sticker", "link": "https://example.com/s.webp", "caption": "hola"}), "media.caption"},
		{"filename on an image", media(map[string]any{"upload_id": photo, "filename": "foto.png"}), "media.filename"},
		{"preview on media", map[string]any{"media": map[string]any{"upload_id": photo}, "preview_url": true}, "preview_url"},
		{"two contents", map[string]any{"text": "hola", "media": map[string]any{"upload_id": photo}}, "text"},
		{"unknown field", media(map[string]any{"upload_id": photo, "colour": "red"}), "colour"},
		{"reply to another workspace's message", map[string]any{"text": "hola", "reply_to_message_id": foreignMsg.ID}, "reply_to_message_id"},
		{"reply to another conversation", map[string]any{"text": "hola", "reply_to_message_id": elsewhere.ID}, "reply_to_message_id"},
		{"reply to an unknown message", map[string]any{"text": "hola", "reply_to_message_id": unknownMsg}, "reply_to_message_id"},
		{"reply to a message without wamid", map[string]any{"text": "hola", "reply_to_message_id": noWAMID.ID}, "reply_to_message_id"},
		{"reaction to a message without wamid", map[string]any{"reaction": map[string]any{"message_id": noWAMID.ID, "emoji": "👍"}}, "reaction.message_id"},
		{"reaction with words", map[string]any{"reaction": map[string]any{"message_id": quoted, "emoji": "ok"}}, "reaction.emoji"},
		{"reaction without emoji", map[string]any{"reaction": map[string]any{"message_id": quoted}}, "reaction.emoji"},
		{"reaction in context", map[string]any{"reaction": map[string]any{"message_id": quoted, "emoji": "👍"}, "reply_to_message_id": quoted}, "reply_to_message_id"},
		{"template header over 60", template(map[string]any{"header": map[string]any{"type": "text", "value": strings.Repeat("v", 61)}}), "template.header.value"},
		{"template header file and value", template(map[string]any{"header": map[string]any{"type": "image", "value": "x"}}), "template.header.value"},
		{"template header foreign upload", template(map[string]any{"header": map[string]any{"type": "image", "upload_id": foreignUpload}}), "template.header.upload_id"},
		{"template button type", template(map[string]any{"buttons": []any{map[string]any{"index": 0, "type": "call", "value": "x"}}}), "template.buttons[0].type"},
		{"template button without index", template(map[string]any{"buttons": []any{map[string]any{"type": "url", "value": "x"}}}), "template.buttons[0].index"},
		{"template button twice", template(map[string]any{"buttons": []any{map[string]any{"index": 1, "type": "url", "value": "x"},
			map[string]any{"index": 1, "type": "quick_reply", "value": "y"}}}), "template.buttons[1].index"},
		{"template mixed parameters", template(map[string]any{"parameters": []any{map[string]any{"name": "a", "value": "1"}, map[string]any{"value": "2"}}}), "template.parameters[1].name"},
	}
	messages, jobs := a.count("messages"), a.count("river_job")
	path := "/v1/conversations/" + conv.ID + "/messages"
	details := map[string]string{}
	for _, tc := range cases {
		res := c.call(http.MethodPost, path, tn.OwnerToken, tc.body)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", tc.name, res.Body)
		p := problemOf(t, res)
		require.Equal(t, "invalid", p.Code, tc.name)
		require.Len(t, p.Errors, 1, tc.name)
		require.Equal(t, tc.field, p.Errors[0].Field, "%s: %s", tc.name, p.Detail)
		details[tc.name] = p.Detail
	}
	require.Equal(t, messages, a.count("messages"), "refused sends write nothing")
	require.Equal(t, jobs, a.count("river_job"), "and enqueue nothing")
	// Another workspace's ids are indistinguishable from unknown ones.
	require.Equal(t, strings.ReplaceAll(details["unknown upload"], unknownUpload, "ID"),
		strings.ReplaceAll(details["another workspace's upload"], foreignUpload, "ID"))
	require.Equal(t, strings.ReplaceAll(details["reply to an unknown message"], unknownMsg, "ID"),
		strings.ReplaceAll(details["reply to another workspace's message"], foreignMsg.ID, "ID"))

	// GraphQL refuses the same inputs, pointing into its own input.
	for _, tc := range []struct {
		mutation, op string
		input        map[string]any
		field        []any
	}{
		{`mutation($in: SendInteractiveMessageInput!) { sendInteractiveMessage(input: $in) { message { id } userErrors { code field } } }`,
			"sendInteractiveMessage", map[string]any{"kind": "BUTTON", "body": "x", "buttons": []any{btn("a", "A"), btn("b", strings.Repeat("t", 21))}},
			[]any{"input", "buttons", "1", "title"}},
		{`mutation($in: SendInteractiveMessageInput!) { sendInteractiveMessage(input: $in) { message { id } userErrors { code field } } }`,
			"sendInteractiveMessage", map[string]any{"kind": "LIST", "body": "x", "sections": []any{map[string]any{"rows": []any{row("a", "A")}}}},
			[]any{"input", "listButton"}},
		{`mutation($in: SendMediaMessageInput!) { sendMediaMessage(input: $in) { message { id } userErrors { code field } } }`,
			"sendMediaMessage", map[string]any{"uploadId": foreignUpload}, []any{"input", "uploadId"}},
		{`mutation($in: SendReactionInput!) { sendReaction(input: $in) { message { id } userErrors { code field } } }`,
			"sendReaction", map[string]any{"messageId": noWAMID.ID, "emoji": "👍"}, []any{"input", "messageId"}},
		{`mutation($in: SendTextMessageInput!) { sendTextMessage(input: $in) { message { id } userErrors { code field } } }`,
			"sendTextMessage", map[string]any{"text": "hola", "replyToMessageId": elsewhere.ID}, []any{"input", "replyToMessageId"}},
		{`mutation($in: SendTemplateMessageInput!) { sendTemplateMessage(input: $in) { message { id } userErrors { code field } } }`,
			"sendTemplateMessage", map[string]any{"name": "promo", "language": "es", "buttons": []any{map[string]any{"index": 12, "type": "URL", "value": "x"}}},
			[]any{"input", "buttons", "0", "index"}},
	} {
		tc.input["conversationId"] = conv.ID
		d := a.gqlOK(tn.OwnerToken, tc.mutation, map[string]any{"in": tc.input})
		require.Nil(t, d.get(t, tc.op+".message"), tc.op)
		require.Equal(t, []string{"BAD_USER_INPUT"}, d.userErrorCodes(t, tc.op))
		require.Equal(t, tc.field, d.get(t, tc.op+".userErrors.0.field"), tc.op)
	}
	require.Equal(t, messages, a.count("messages"))
}

// Outside the 24-hour window every free-form type is refused (REST 412,
// GraphQL precondition_failed) and nothing is written; a template goes.
func TestFreeFormSendsNeedTheWindow(t *testing.T) {
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{Numbers: map[string]whatsapp.FakeNumber{
		fakeNumberID: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: fakeToken}}})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Window Co")
	_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr(fakeNumberID),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	// The customer last wrote 25 hours ago.
	body := textDeliveryAt(fakeNumberID, "wamid.viejo", "16505551234", time.Now().Add(-25*time.Hour))
	require.Equal(t, http.StatusOK, a.deliver(body).Status)
	page, err := a.Service.Conversations(a.system(tn), domain.ConversationFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	conv := page.Items[0]
	old, err := a.DB.Store().FindMessageByProviderID(a.system(tn), conv.ChannelID, "wamid.viejo")
	require.NoError(t, err)
	c := a.rest()
	photo := c.uploadOK(tn.OwnerToken, "foto.png", "image/png", pngBytes(t))
	path := "/v1/conversations/" + conv.ID + "/messages"
	before := a.count("messages")
	for name, body := range map[string]map[string]any{
		"text":         {"text": "hola"},
		"media upload": {"media": map[string]any{"upload_id": photo}},
		"media link":   {"media": map[string]any{"type": "image", "link": "https://example.com/a.png"}},
		"buttons":      {"interactive": map[string]any{"type": "button", "body": "¿Sí?", "buttons": []any{map[string]any{"id": "si", "title": "Sí"}}}},
		"list": {"interactive": map[string]any{"type": "list", "body": "Elige", "button": "Ver",
			"sections": []any{map[string]any{"rows": []any{map[string]any{"id": "a", "title": "A"}}}}}},
		"reaction": {"reaction": map[string]any{"message_id": old.ID, "emoji": "👍"}},
		"reply":    {"text": "hola", "reply_to_message_id": old.ID},
	} {
		res := c.call(http.MethodPost, path, tn.OwnerToken, body)
		require.Equal(t, http.StatusPreconditionFailed, res.Status, "%s: %s", name, res.Body)
		require.Equal(t, "precondition_failed", problemOf(t, res).Code, name)
	}
	for op, in := range map[string]string{
		"sendMediaMessage":       `mutation($in: SendMediaMessageInput!) { sendMediaMessage(input: $in) { message { id } userErrors { code } } }`,
		"sendInteractiveMessage": `mutation($in: SendInteractiveMessageInput!) { sendInteractiveMessage(input: $in) { message { id } userErrors { code } } }`,
		"sendReaction":           `mutation($in: SendReactionInput!) { sendReaction(input: $in) { message { id } userErrors { code } } }`,
	} {
		input := map[string]any{"conversationId": conv.ID}
		switch op {
		case "sendMediaMessage":
			input["uploadId"] = photo
		case "sendInteractiveMessage":
			input["kind"], input["body"], input["buttons"] = "BUTTON", "¿Sí?", []any{map[string]any{"id": "si", "title": "Sí"}}
		case "sendReaction":
			input["messageId"], input["emoji"] = old.ID, "👍"
		}
		d := a.gqlOK(tn.OwnerToken, in, map[string]any{"in": input})
		require.Equal(t, []string{"PRECONDITION_FAILED"}, d.userErrorCodes(t, op), op)
	}
	require.Equal(t, before, a.count("messages"), "refused sends write nothing")

	res := c.call(http.MethodPost, path, tn.OwnerToken, map[string]any{"template": map[string]any{"name": "seguimiento",
		"language": "es", "header": map[string]any{"type": "image", "upload_id": photo}}, "reply_to_message_id": old.ID})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	a.startJobs()
	m := a.sentOK(tn, idOf(t, res))
	require.Equal(t, "wamid.viejo", sentBody(t, fake, m.ID)["context"].(map[string]any)["message_id"])
}
