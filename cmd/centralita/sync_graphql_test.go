package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// gqlSync is an integrator's sync loop over a connection selected with
// sort: UPDATED_AT and updatedSince: $since, page after page. Rows come back
// with the REST field names syncedIDs reads.
func (a *testApp) gqlSync(token, query, path string, since time.Time) []map[string]any {
	a.t.Helper()
	var rows []map[string]any
	vars := map[string]any{"first": syncPageSize, "since": since.Format(time.RFC3339Nano)}
	for pages := 0; ; pages++ {
		require.Less(a.t, pages, 100, "the sync of %s never ends", path)
		d := a.gqlOK(token, query, vars)
		for _, n := range d.list(a.t, path+".nodes") {
			node := n.(map[string]any)
			rows = append(rows, map[string]any{"id": node["id"], "updated_at": node["updatedAt"]})
		}
		if d.get(a.t, path+".pageInfo.hasNextPage") != true {
			return rows
		}
		vars["after"] = d.str(a.t, path+".pageInfo.endCursor")
	}
}

// The GraphQL connections sync like the REST lists: through rows sharing
// one updatedAt each is seen once, older rows and other workspaces' are
// not, and a change after the sync is the newest row of the next one.
func TestGraphQLSyncPagesThroughTies(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "GSync")
	other := seedWorld(t, a, "GOther")
	ctx := a.system(w.tenant)
	for i := range 4 {
		ct, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: new(fmt.Sprintf("5198700%04d", i))})
		require.NoError(t, err)
		seedConversation(t, a, w, ct.ID, w.QueueID)
		_, err = a.Service.CreateTask(ctx, domain.NewTask{ConversationID: w.ConversationID, Title: "follow up"})
		require.NoError(t, err)
		_, err = a.Service.RecordInboundText(ctx, w.ConversationID, "más", time.Now())
		require.NoError(t, err)
	}
	const page = `pageInfo { hasNextPage endCursor } nodes { id updatedAt }`
	messages := func(w gqlWorld) string {
		return `conversation(id: "` + w.ConversationID + `") { messages(first: $first, after: $after, updatedSince: $since, sort: UPDATED_AT) { ` + page + ` } }`
	}
	connections := []struct {
		table, path string
		selection   func(gqlWorld) string
		change      func(id string) string
	}{
		{"conversations", "conversations", func(gqlWorld) string {
			return `conversations(first: $first, after: $after, sort: UPDATED_AT, filter: {updatedSince: $since}) { ` + page + ` }`
		}, func(id string) string {
			_, err := a.Service.SetPriority(ctx, id, domain.PriorityUrgent)
			require.NoError(t, err)
			return id
		}},
		{"contacts", "contacts", func(gqlWorld) string {
			return `contacts(first: $first, after: $after, sort: UPDATED_AT, filter: {updatedSince: $since}) { ` + page + ` }`
		}, func(id string) string {
			_, err := a.Service.UpdateContact(ctx, id, domain.ContactInput{Name: new("Renombrada")})
			require.NoError(t, err)
			return id
		}},
		{"tasks", "tasks", func(gqlWorld) string {
			return `tasks(first: $first, after: $after, sort: UPDATED_AT, filter: {updatedSince: $since}) { ` + page + ` }`
		}, func(id string) string {
			_, err := a.Service.CompleteTask(ctx, id, true)
			require.NoError(t, err)
			return id
		}},
		{"messages", "conversation.messages", messages, func(string) string {
			m, err := a.Service.RecordInboundText(ctx, w.ConversationID, "after the sync", time.Now())
			require.NoError(t, err)
			return m.ID
		}},
	}
	for _, cn := range connections {
		t.Run(cn.table, func(t *testing.T) {
			query := func(w gqlWorld) string {
				return `query($first: Int, $after: String, $since: DateTime) { ` + cn.selection(w) + ` }`
			}
			everything := func(w gqlWorld) []string {
				var ids []string
				for _, row := range a.gqlSync(w.OwnerToken, query(w), cn.path, time.Unix(0, 0)) {
					ids = append(ids, row["id"].(string))
				}
				return ids
			}
			all := everything(w)
			require.Greater(t, len(all), 2*syncPageSize, "ties must straddle pages")
			tie := pastInstant(time.Hour)
			a.pinUpdatedAt(cn.table, tie, all...)
			a.pinUpdatedAt(cn.table, tie, everything(other)...)
			stale := all[0]
			a.pinUpdatedAt(cn.table, tie.Add(-time.Second), stale)

			ids, saved := syncedIDs(t, a.gqlSync(w.OwnerToken, query(w), cn.path, tie))
			require.ElementsMatch(t, without(all, stale), ids)
			require.True(t, saved.Equal(tie), "saved %s", saved)

			changed := cn.change(ids[1])
			next, _ := syncedIDs(t, a.gqlSync(w.OwnerToken, query(w), cn.path, saved))
			require.Equal(t, changed, next[len(next)-1])
			require.NotContains(t, next, stale)
		})
	}
}

// Bad sync arguments fail with the GraphQL conventions: an unknown sort is a
// validation error, a malformed instant and a cursor of another order are
// BAD_USER_INPUT.
func TestGraphQLSyncRefusesBadValues(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "GBad")
	seedConversation(t, a, w, w.ContactID, w.OtherQueueID)

	res := a.graphql(w.OwnerToken, `{ conversations(sort: CREATED_AT) { nodes { id } } }`, nil)
	require.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, res.errorCodes())
	res = a.graphql(w.OwnerToken, `{ contacts(filter: {updatedSince: "yesterday"}) { nodes { id } } }`, nil)
	require.Equal(t, []string{"BAD_USER_INPUT"}, res.errorCodes(), "%+v", res.Errors)

	own := a.gqlOK(w.OwnerToken, `{ conversations(first: 1) { pageInfo { endCursor } } }`, nil).str(t, "conversations.pageInfo.endCursor")
	res = a.graphql(w.OwnerToken, `query($a: String) { conversations(first: 1, after: $a, sort: UPDATED_AT) { nodes { id } } }`, map[string]any{"a": own})
	require.Equal(t, []string{"BAD_USER_INPUT"}, res.errorCodes())
	require.Equal(t, "after", res.Errors[0].Extensions["field"])
}
