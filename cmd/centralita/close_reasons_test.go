package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// reasonKeys lists the keys of GET /v1/close-reasons.
func reasonKeys(t *testing.T, c *restClient, token string) []string {
	t.Helper()
	var keys []string
	for _, r := range listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/close-reasons", token, nil)) {
		keys = append(keys, r["key"].(string))
	}
	return keys
}

// eventCount is how many events the conversation has.
func (a *testApp) eventCount(conversationID string) int {
	a.t.Helper()
	var n int
	require.NoError(a.t, a.sql().QueryRow("SELECT count(*) FROM events WHERE subject_id = $1",
		conversationID).Scan(&n))
	return n
}

// A workspace starts with the default close reasons; closing needs one of
// its reasons (REST and GraphQL), and an unknown one is refused naming
// close_reason with nothing written. Admins edit the list; a deleted
// reason stays on the conversations it closed but closes no more.
func TestClosingNeedsAReasonFromTheWorkspaceList(t *testing.T) {
	a, c := newRESTApp(t)
	w := c.populate("Reasons Co")
	tok := w.OwnerToken
	base := "/v1/conversations/" + w.ConversationID
	require.Equal(t, []string{"follow_up", "no_response", "resolved", "spam", "transferred_to_other_channel"},
		reasonKeys(t, c, w.AgentToken), "bootstrap seeds the defaults, and everyone may read them")

	before, version := a.eventCount(w.ConversationID), object(t, c.expect(200, "GET", base, tok, nil))["version"]
	p := problemOf(t, c.expect(http.StatusBadRequest, "POST", base+"/status", tok,
		map[string]any{"status": "closed", "close_reason": "venta cerrada"}))
	require.Equal(t, "invalid", p.Code)
	require.Equal(t, "close_reason", p.Errors[0].Field)
	require.Contains(t, p.Errors[0].Message, "venta cerrada")
	conv := object(t, c.expect(200, "GET", base, tok, nil))
	require.Equal(t, "new", conv["status"])
	require.Equal(t, version, conv["version"], "nothing written")
	require.Equal(t, before, a.eventCount(w.ConversationID), "no event either")

	g := a.gqlOK(tok, `mutation($in: ChangeConversationStatusInput!) { changeConversationStatus(input: $in) {
		conversation { id } userErrors { code field } } }`,
		map[string]any{"in": map[string]any{"conversationId": w.ConversationID, "status": "CLOSED", "closeReason": "nope"}})
	require.Equal(t, []string{"BAD_USER_INPUT"}, g.userErrorCodes(t, "changeConversationStatus"))
	require.Equal(t, []any{"input", "closeReason"}, g.get(t, "changeConversationStatus.userErrors.0.field"))
	require.Equal(t, before, a.eventCount(w.ConversationID))

	// Admins add their own; others may not, and keys are checked.
	c.expect(http.StatusForbidden, "POST", "/v1/close-reasons", w.AgentToken, map[string]any{"key": "venta", "name": "Venta"})
	p = problemOf(t, c.expect(http.StatusBadRequest, "POST", "/v1/close-reasons", tok,
		map[string]any{"key": "Venta Cerrada", "name": "Venta"}))
	require.Equal(t, "key", p.Errors[0].Field)
	c.expect(http.StatusConflict, "POST", "/v1/close-reasons", tok, map[string]any{"key": "spam", "name": "Otra"})
	sale := object(t, c.expect(http.StatusCreated, "POST", "/v1/close-reasons", tok,
		map[string]any{"key": "venta_cerrada", "name": "Venta cerrada"}))
	saleID := sale["id"].(string)
	renamed := object(t, c.expect(200, "PATCH", "/v1/close-reasons/"+saleID, tok, map[string]any{"name": "Vendido"}))
	require.Equal(t, "Vendido", renamed["name"])
	require.Equal(t, "venta_cerrada", renamed["key"])

	closed := object(t, c.expect(200, "POST", base+"/status", tok,
		map[string]any{"status": "closed", "close_reason": "venta_cerrada"}))
	require.Equal(t, "venta_cerrada", closed["close_reason"])

	// Deleting keeps history: the conversation still says why it closed,
	// but the reason closes nothing new.
	c.expect(http.StatusNoContent, "DELETE", "/v1/close-reasons/"+saleID, tok, nil)
	c.expect(http.StatusNotFound, "GET", "/v1/close-reasons/"+saleID, tok, nil)
	require.NotContains(t, reasonKeys(t, c, tok), "venta_cerrada")
	require.Equal(t, "venta_cerrada", object(t, c.expect(200, "GET", base, tok, nil))["close_reason"])
	c.expect(200, "POST", base+"/status", tok, map[string]any{"status": "open"})
	p = problemOf(t, c.expect(http.StatusBadRequest, "POST", base+"/status", tok,
		map[string]any{"status": "closed", "close_reason": "venta_cerrada"}))
	require.Equal(t, "close_reason", p.Errors[0].Field)

	// GraphQL mirrors the list and its edits.
	d := a.gqlOK(tok, `{ closeReasons { id key name } }`, nil)
	require.Len(t, d.list(t, "closeReasons"), 5)
	d = a.gqlOK(tok, `mutation { createCloseReason(input: {key: "garantia", name: "Garantía"}) {
		closeReason { id key name } userErrors { code field } } }`, nil)
	require.Equal(t, "garantia", d.str(t, "createCloseReason.closeReason.key"))
	warranty := d.str(t, "createCloseReason.closeReason.id")
	d = a.gqlOK(tok, `mutation($in: ChangeConversationStatusInput!) { changeConversationStatus(input: $in) {
		conversation { status closeReason } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"conversationId": w.ConversationID, "status": "CLOSED", "closeReason": "garantia"}})
	require.Equal(t, "garantia", d.str(t, "changeConversationStatus.conversation.closeReason"))
	d = a.gqlOK(tok, `mutation($in: DeleteCloseReasonInput!) { deleteCloseReason(input: $in) {
		deletedCloseReasonId userErrors { code } } }`, map[string]any{"in": map[string]any{"closeReasonId": warranty}})
	require.Equal(t, warranty, d.str(t, "deleteCloseReason.deletedCloseReasonId"))
	require.NotContains(t, reasonKeys(t, c, tok), "garantia")
}
