package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// boardOf reads GET /v1/board as counts and card ids per status.
func boardOf(t *testing.T, c *restClient, token, query string) (map[string]int, map[string][]string, map[string]any) {
	t.Helper()
	var b struct {
		Columns []struct {
			Status        string           `json:"status"`
			Count         int              `json:"count"`
			Conversations []map[string]any `json:"conversations"`
			NextCursor    *string          `json:"next_cursor"`
		} `json:"columns"`
	}
	c.expect(http.StatusOK, http.MethodGet, "/v1/board"+query, token, nil).decode(t, &b)
	counts, cards, cursors := map[string]int{}, map[string][]string{}, map[string]any{}
	var order []string
	for _, col := range b.Columns {
		order = append(order, col.Status)
		counts[col.Status] = col.Count
		cards[col.Status] = []string{}
		for _, conv := range col.Conversations {
			cards[col.Status] = append(cards[col.Status], conv["id"].(string))
		}
		if col.NextCursor != nil {
			cursors[col.Status] = *col.NextCursor
		}
	}
	require.Equal(t, []string{"new", "open", "pending_customer", "closed"}, order)
	return counts, cards, cursors
}

// The board shows each status's count and first cards of what the caller
// may see (an agent only their queues and their own), filtered by queue
// and assignee, the closed column only for the recent period; and it is
// answered in the same few statements however many conversations there are.
func TestBoardCountsAndCardsPerRole(t *testing.T) {
	a, c := newRESTApp(t)
	w := c.populate("Board Co") // its conversation is new in Ventas, tagged nowhere yet
	sys := a.system(w.tenant)
	conv := func(queueID string) string {
		cv, err := a.Service.CreateConversation(sys, domain.NewConversation{ContactID: w.ContactID,
			ChannelID: w.ChannelID, QueueID: queueID})
		require.NoError(t, err)
		return cv.ID
	}
	status := func(id string, st domain.ConversationStatus, reason string) {
		_, err := a.Service.ChangeStatus(sys, id, domain.StatusChange{Status: st, CloseReason: reason})
		require.NoError(t, err)
	}
	assign := func(id, userID string) {
		_, err := a.Service.Assign(sys, id, userID)
		require.NoError(t, err)
	}
	newSales := w.ConversationID
	_, err := a.Service.TagConversation(sys, newSales, w.TagID, true)
	require.NoError(t, err)
	openSales := conv(w.QueueID)
	assign(openSales, w.AgentID)
	pendingSales := conv(w.QueueID)
	assign(pendingSales, w.AgentID)
	status(pendingSales, domain.StatusPendingCustomer, "")
	closedEarlier := conv(w.QueueID)
	status(closedEarlier, domain.StatusClosed, "spam")
	time.Sleep(5 * time.Millisecond)
	between := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	closedLater := conv(w.QueueID)
	status(closedLater, domain.StatusClosed, "resolved")
	newSupport := conv(w.OtherQueueID)
	openSupport := conv(w.OtherQueueID)
	assign(openSupport, w.OwnerID)

	counts, cards, _ := boardOf(t, c, w.AgentToken, "")
	require.Equal(t, map[string]int{"new": 1, "open": 1, "pending_customer": 1, "closed": 2}, counts, "the agent sees Ventas only")
	require.Equal(t, []string{newSales}, cards["new"])
	require.Equal(t, []string{openSales}, cards["open"])
	require.Equal(t, []string{pendingSales}, cards["pending_customer"])
	require.Equal(t, []string{closedLater, closedEarlier}, cards["closed"], "most recent first")

	counts, cards, _ = boardOf(t, c, w.OwnerToken, "")
	require.Equal(t, map[string]int{"new": 2, "open": 2, "pending_customer": 1, "closed": 2}, counts, "the owner sees every queue")
	require.ElementsMatch(t, []string{newSales, newSupport}, cards["new"])

	counts, _, _ = boardOf(t, c, w.OwnerToken, "?queue_id="+w.OtherQueueID)
	require.Equal(t, map[string]int{"new": 1, "open": 1, "pending_customer": 0, "closed": 0}, counts)
	counts, _, _ = boardOf(t, c, w.OwnerToken, "?assignee_id="+w.AgentID)
	require.Equal(t, map[string]int{"new": 0, "open": 1, "pending_customer": 1, "closed": 0}, counts)
	counts, cards, _ = boardOf(t, c, w.OwnerToken, "?closed_since="+url.QueryEscape(between.Format(time.RFC3339Nano)))
	require.Equal(t, 1, counts["closed"], "only what closed since then")
	require.Equal(t, []string{closedLater}, cards["closed"])

	// A column's first page continues in the inbox listing.
	counts, cards, cursors := boardOf(t, c, w.OwnerToken, "?limit=1")
	require.Equal(t, 2, counts["new"])
	require.Len(t, cards["new"], 1)
	rest := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/conversations?status=new&cursor="+
		url.QueryEscape(cursors["new"].(string)), w.OwnerToken, nil))
	require.Len(t, rest, 1)
	require.ElementsMatch(t, []string{newSales, newSupport}, []string{cards["new"][0], rest[0]["id"].(string)})

	// Cards are the usual conversation JSON.
	var b struct {
		Columns []struct {
			Conversations []map[string]any `json:"conversations"`
		} `json:"columns"`
	}
	c.expect(http.StatusOK, http.MethodGet, "/v1/board?queue_id="+w.QueueID, w.OwnerToken, nil).decode(t, &b)
	card := b.Columns[0].Conversations[0]
	require.Equal(t, []any{w.TagID}, card["tags"])
	require.Equal(t, w.ContactID, card["contact_id"])
	require.Equal(t, w.QueueID, card["queue_id"])

	for _, bad := range []string{"?limit=0", "?limit=101", "?closed_since=yesterday", "?queue_id=nope", "?status=new"} {
		c.expect(http.StatusBadRequest, http.MethodGet, "/v1/board"+bad, w.OwnerToken, nil)
	}

	// A handful of statements, however many conversations: one count, one
	// page per column, one for the cards' tags.
	statements := func(ctx context.Context) int64 {
		before := a.DB.QueryCount()
		_, err := a.Service.Board(ctx, domain.BoardFilter{})
		require.NoError(t, err)
		return a.DB.QueryCount() - before
	}
	few := statements(sys)
	require.LessOrEqual(t, few, int64(len(domain.BoardStatuses)+2))
	for range 10 {
		assign(conv(w.QueueID), w.AgentID)
		status(conv(w.OtherQueueID), domain.StatusClosed, "resolved")
	}
	require.Equal(t, few, statements(sys), "the same statements for more conversations")

	// GraphQL mirrors it, cards with their contact, queue, assignee and tags.
	d := a.gqlOK(w.AgentToken, `{ board(first: 2) { columns { status count conversations {
		nodes { id contact { id } queue { id } assignee { id } tags { id } } pageInfo { hasNextPage } } } } }`, nil)
	require.Equal(t, "NEW", d.str(t, "board.columns.0.status"))
	require.Equal(t, 11.0, d.get(t, "board.columns.1.count"), "the agent's open column")
	require.Equal(t, true, d.get(t, "board.columns.1.conversations.pageInfo.hasNextPage"))
	require.Equal(t, w.AgentID, d.str(t, "board.columns.1.conversations.nodes.0.assignee.id"))
	require.Equal(t, w.TagID, d.str(t, "board.columns.0.conversations.nodes.0.tags.0.id"))
	require.Equal(t, w.QueueID, d.str(t, "board.columns.0.conversations.nodes.0.queue.id"))
	d = a.gqlOK(w.OwnerToken, `query($f: BoardFilter) { board(filter: $f) { columns { status count } } }`,
		map[string]any{"f": map[string]any{"queueId": w.OtherQueueID}})
	require.Equal(t, 10.0, d.get(t, "board.columns.3.count"), "Soporte's closed column")
}
