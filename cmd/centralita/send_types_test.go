package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// sendCase is one kind of send, made over REST and over GraphQL, and what
// Meta must receive for it.
type sendCase struct {
	name  string
	rest  map[string]any
	gql   string // mutation taking $in; its payload selects message { id }
	input map[string]any
	check func(t *testing.T, body map[string]any, m *domain.Message)
}

// Every kind of send reaches Meta in the shape Meta documents, the same
// from REST and from GraphQL, and ends sent with its wamid.
func TestEverySendTypeReachesMetaInShape(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	c := a.rest()
	a.startJobs()
	quoted := a.customerWrites(tn, conv, "wamid.cliente-1")
	photo := c.uploadOK(tn.OwnerToken, "foto.png", "image/png", pngBytes(t))
	cases := everySend(quoted, photo)

	path := "/v1/conversations/" + conv.ID + "/messages"
	for _, tc := range cases {
		res := c.call(http.MethodPost, path, tn.OwnerToken, tc.rest)
		require.Equal(t, http.StatusCreated, res.Status, "%s: %s", tc.name, res.Body)
		restID := idOf(t, res)
		tc.input["conversationId"] = conv.ID
		d := a.gqlOK(tn.OwnerToken, tc.gql, map[string]any{"in": tc.input})
		op := strings.Fields(strings.SplitN(tc.gql, "{", 2)[1])[0]
		op = op[:strings.Index(op, "(")]
		require.Empty(t, d.list(t, op+".userErrors"), tc.name)
		gqlID := d.str(t, op+".message.id")
		for _, id := range []string{restID, gqlID} {
			m := a.sentOK(tn, id)
			tc.check(t, sentBody(t, fake, id), m)
		}
	}
	// One upload to Meta per message that sends our file, never more.
	require.Len(t, graphRequests(fake, http.MethodPost, "/media"), 4)

	// The outbound template reads back in both APIs.
	page, err := a.Service.Messages(a.system(tn), conv.ID, domain.PageRequest{})
	require.NoError(t, err)
	newest := page.Items[0]
	require.Equal(t, domain.MessageTemplate, newest.Type)
	view := object(t, c.expect(http.StatusOK, http.MethodGet, path+"?limit=1", tn.OwnerToken, nil))
	jsonEq(t, `{"name":"promo_mayo","language":"es_MX","parameters":[{"name":"nombre","value":"Ana"}],
		"header":{"type":"image","name":null,"value":""},"buttons":[{"index":0,"type":"quick_reply","value":"BAJA"},
		{"index":1,"type":"url","value":"pedido/123"}]}`, view["data"].([]any)[0].(map[string]any)["template"])
	d := a.gqlOK(tn.OwnerToken, `query($id: ID!) { node(id: $id) { ... on Message { template { name header { type } buttons { index type value } } media { mimeType } } } }`,
		map[string]any{"id": newest.ID})
	require.Equal(t, "promo_mayo", d.str(t, "node.template.name"))
	require.Equal(t, "image", d.str(t, "node.template.header.type"))
	require.Equal(t, "image/png", d.str(t, "node.media.mimeType"))
}

// everySend is one send of each kind, quoting the customer's message
// quoted (our id of wamid.cliente-1) and sending the uploaded image photo.
func everySend(quoted, photo string) []sendCase {
	byID := func(kind, caption string) func(*testing.T, map[string]any, *domain.Message) {
		return func(t *testing.T, body map[string]any, m *domain.Message) {
			require.NotEmpty(t, m.Media.ProviderID, "the upload's media id is kept on the message")
			want := map[string]any{"id": m.Media.ProviderID}
			if caption != "" {
				want["caption"] = caption
			}
			require.Equal(t, kind, body["type"])
			require.Equal(t, want, body[kind])
		}
	}
	buttons := []map[string]any{{"id": "si", "title": "Sí, el martes"}, {"id": "otro", "title": "Otro día"}}
	rows := []map[string]any{{"id": "miraflores", "title": "Miraflores", "description": "Av. Larco 123"}, {"id": "surco", "title": "Surco"}}
	return []sendCase{{
		name: "text with preview, in context",
		rest: map[string]any{"text": "Sigue tu pedido: https://example.com/p/1", "preview_url": true, "reply_to_message_id": quoted},
		gql:  `mutation($in: SendTextMessageInput!) { sendTextMessage(input: $in) { message { id } userErrors { field message } } }`,
		input: map[string]any{"text": "Sigue tu pedido: https://example.com/p/1", "previewUrl": true,
			"replyToMessageId": quoted},
		check: func(t *testing.T, body map[string]any, m *domain.Message) {
			jsonEq(t, `{"body":"Sigue tu pedido: https://example.com/p/1","preview_url":true}`, body["text"])
			jsonEq(t, `{"message_id":"wamid.cliente-1"}`, body["context"])
			require.Equal(t, quoted, m.ReplyToID)
		},
	}, {
		name:  "image by upload",
		rest:  map[string]any{"media": map[string]any{"upload_id": photo, "caption": "Tu factura"}},
		gql:   `mutation($in: SendMediaMessageInput!) { sendMediaMessage(input: $in) { message { id } userErrors { field message } } }`,
		input: map[string]any{"uploadId": photo, "caption": "Tu factura"},
		check: byID("image", "Tu factura"),
	}, {
		name: "document by link",
		rest: map[string]any{"media": map[string]any{"type": "document", "link": "https://example.com/f-1.pdf", "filename": "factura.pdf"}},
		gql:  `mutation($in: SendMediaMessageInput!) { sendMediaMessage(input: $in) { message { id } userErrors { field message } } }`,
		input: map[string]any{"type": "DOCUMENT", "link": "https://example.com/f-1.pdf", "filename": "factura.pdf",
			"replyToMessageId": quoted},
		check: func(t *testing.T, body map[string]any, m *domain.Message) {
			jsonEq(t, `{"link":"https://example.com/f-1.pdf","filename":"factura.pdf"}`, body["document"])
		},
	}, {
		name: "reply buttons",
		rest: map[string]any{"interactive": map[string]any{"type": "button", "header": "Visita", "body": "¿Confirmamos?",
			"footer": "Centralita", "buttons": buttons}},
		gql: `mutation($in: SendInteractiveMessageInput!) { sendInteractiveMessage(input: $in) { message { id } userErrors { field message } } }`,
		input: map[string]any{"kind": "BUTTON", "header": "Visita", "body": "¿Confirmamos?", "footer": "Centralita",
			"buttons": buttons},
		check: func(t *testing.T, body map[string]any, m *domain.Message) {
			jsonEq(t, `{"type":"button","header":{"type":"text","text":"Visita"},"body":{"text":"¿Confirmamos?"},
				"footer":{"text":"Centralita"},"action":{"buttons":[{"type":"reply","reply":{"id":"si","title":"Sí, el martes"}},
				{"type":"reply","reply":{"id":"otro","title":"Otro día"}}]}}`, body["interactive"])
		},
	}, {
		name: "list",
		rest: map[string]any{"interactive": map[string]any{"type": "list", "body": "Elige una sucursal", "button": "Ver sucursales",
			"sections": []map[string]any{{"title": "Lima", "rows": rows}}}},
		gql: `mutation($in: SendInteractiveMessageInput!) { sendInteractiveMessage(input: $in) { message { id } userErrors { field message } } }`,
		input: map[string]any{"kind": "LIST", "body": "Elige una sucursal", "listButton": "Ver sucursales",
			"sections": []map[string]any{{"title": "Lima", "rows": rows}}},
		check: func(t *testing.T, body map[string]any, m *domain.Message) {
			jsonEq(t, `{"type":"list","body":{"text":"Elige una sucursal"},"action":{"button":"Ver sucursales",
				"sections":[{"title":"Lima","rows":[{"id":"miraflores","title":"Miraflores","description":"Av. Larco 123"},
				{"id":"surco","title":"Surco"}]}]}}`, body["interactive"])
		},
	}, {
		name:  "reaction",
		rest:  map[string]any{"reaction": map[string]any{"message_id": quoted, "emoji": "👍"}},
		gql:   `mutation($in: SendReactionInput!) { sendReaction(input: $in) { message { id } userErrors { field message } } }`,
		input: map[string]any{"messageId": quoted, "emoji": "👍"},
		check: func(t *testing.T, body map[string]any, m *domain.Message) {
			jsonEq(t, `{"message_id":"wamid.cliente-1","emoji":"👍"}`, body["reaction"])
			require.NotContains(t, body, "context", "reactions take no context")
		},
	}, {
		name: "template with header, named body and buttons",
		rest: map[string]any{"template": map[string]any{"name": "promo_mayo", "language": "es_MX",
			"header":     map[string]any{"type": "image", "upload_id": photo},
			"parameters": []map[string]any{{"name": "nombre", "value": "Ana"}},
			"buttons":    []map[string]any{{"index": 0, "type": "quick_reply", "value": "BAJA"}, {"index": 1, "type": "url", "value": "pedido/123"}}}},
		gql: `mutation($in: SendTemplateMessageInput!) { sendTemplateMessage(input: $in) { message { id } userErrors { field message } } }`,
		input: map[string]any{"name": "promo_mayo", "language": "es_MX", "header": map[string]any{"type": "IMAGE", "uploadId": photo},
			"parameters": []map[string]any{{"name": "nombre", "value": "Ana"}},
			"buttons":    []map[string]any{{"index": 0, "type": "QUICK_REPLY", "value": "BAJA"}, {"index": 1, "type": "URL", "value": "pedido/123"}}},
		check: func(t *testing.T, body map[string]any, m *domain.Message) {
			require.NotEmpty(t, m.Media.ProviderID)
			jsonEq(t, `{"name":"promo_mayo","language":{"code":"es_MX"},"components":[
				{"type":"header","parameters":[{"type":"image","image":{"id":"`+m.Media.ProviderID+`"}}]},
				{"type":"body","parameters":[{"type":"text","parameter_name":"nombre","text":"Ana"}]},
				{"type":"button","sub_type":"quick_reply","index":0,"parameters":[{"type":"payload","payload":"BAJA"}]},
				{"type":"button","sub_type":"url","index":1,"parameters":[{"type":"text","text":"pedido/123"}]}]}`, body["template"])
		},
	}}
}
