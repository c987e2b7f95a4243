package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Messages built from a status or type name take the article the name
// needs ("an open conversation", "send it as an image"), in both APIs.
func TestErrorMessagesUseTheRightArticle(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	c := a.rest()
	path := "/v1/conversations/" + conv.ID
	c.expect(http.StatusOK, http.MethodPost, path+"/status", tn.OwnerToken, map[string]any{"status": "open"})

	res := c.call(http.MethodPost, path+"/status", tn.OwnerToken, map[string]any{"status": "new"})
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	require.Equal(t, "an open conversation cannot become new", problemOf(t, res).Detail)
	code, _ := a.mutateErr(tn.OwnerToken, "changeConversationStatus", "ChangeConversationStatusInput",
		map[string]any{"conversationId": conv.ID, "status": "NEW"})
	require.Equal(t, "CONFLICT", code)
	d := a.gqlOK(tn.OwnerToken, `mutation($in: ChangeConversationStatusInput!) { changeConversationStatus(input: $in) { userErrors { message } } }`,
		map[string]any{"in": map[string]any{"conversationId": conv.ID, "status": "NEW"}})
	require.Equal(t, "an open conversation cannot become new", d.str(t, "changeConversationStatus.userErrors.0.message"))

	png := c.uploadOK(tn.OwnerToken, "plano.png", "image/png", pngBytes(t))
	res = c.call(http.MethodPost, path+"/messages", tn.OwnerToken, map[string]any{"media": map[string]any{"upload_id": png, "type": "audio"}})
	require.Equal(t, http.StatusBadRequest, res.Status, string(res.Body))
	require.Contains(t, problemOf(t, res).Detail, "cannot be sent as an audio; send it as an image or a document")
}
