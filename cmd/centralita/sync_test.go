package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// An integrator syncs each listing with sort=updated_at from the last
// updated_at it saved. Rows sharing one updated_at straddle pages and are
// each seen exactly once; rows changed before the saved instant and rows of
// another workspace are not seen; a row changed after the sync is in the
// next one, and filters narrow a sync like they narrow a list.
func TestRESTSyncSeesEachRowOnceAcrossTies(t *testing.T) {
	a, c := newRESTApp(t)
	w := c.populate("Sync Co")
	other := c.populate("Other Sync Co")
	tok := w.OwnerToken
	convPath := "/v1/conversations/" + w.ConversationID
	for i := range 5 {
		contact := idOf(t, c.expect(201, "POST", "/v1/contacts", tok, map[string]any{"wa_id": fmt.Sprintf("5199900%04d", i)}))
		c.expect(201, "POST", "/v1/conversations", tok, map[string]any{"contact_id": contact, "channel_id": w.ChannelID})
		c.expect(201, "POST", convPath+"/tasks", tok, map[string]any{"title": fmt.Sprintf("task %d", i)})
		_, err := a.Service.RecordInboundText(a.system(w.tenant), w.ConversationID, fmt.Sprintf("msg %d", i), time.Now())
		require.NoError(t, err)
	}

	listings := []struct {
		table string
		path  func(world) string
		// change alters (or adds) one row after the first sync and returns
		// its id and a filtered listing that must hold exactly that row.
		change func(ids []string) (string, string)
	}{
		{"conversations", func(world) string { return "/v1/conversations" }, func(ids []string) (string, string) {
			c.expect(200, "POST", "/v1/conversations/"+ids[1]+"/assign", tok, map[string]any{"assignee_id": w.AgentID})
			return ids[1], "/v1/conversations?assignee_id=" + w.AgentID
		}},
		{"contacts", func(world) string { return "/v1/contacts" }, func(ids []string) (string, string) {
			c.expect(200, "PATCH", "/v1/contacts/"+ids[1], tok, map[string]any{"name": "Renombrada"})
			return ids[1], "/v1/contacts?q=Renombrada"
		}},
		{"messages", func(w world) string { return "/v1/conversations/" + w.ConversationID + "/messages" }, func([]string) (string, string) {
			m, err := a.Service.RecordInboundText(a.system(w.tenant), w.ConversationID, "after the sync", time.Now())
			require.NoError(t, err)
			return m.ID, ""
		}},
		{"tasks", func(world) string { return "/v1/tasks" }, func(ids []string) (string, string) {
			c.expect(200, "PATCH", "/v1/tasks/"+ids[1], tok, map[string]any{"done": true})
			return ids[1], "/v1/tasks?done=true"
		}},
	}
	for _, l := range listings {
		t.Run(l.table, func(t *testing.T) {
			all := c.listIDs(tok, l.path(w))
			require.Greater(t, len(all), 2*syncPageSize, "ties must straddle pages")
			tie := pastInstant(time.Hour)
			a.pinUpdatedAt(l.table, tie, all...)
			a.pinUpdatedAt(l.table, tie, c.listIDs(other.OwnerToken, l.path(other))...)
			stale := all[0]
			a.pinUpdatedAt(l.table, tie.Add(-time.Second), stale)

			ids, saved := syncedIDs(t, c.syncREST(tok, l.path(w), tie))
			require.ElementsMatch(t, without(all, stale), ids, "each tied row once, nothing older, nothing of another workspace")
			require.True(t, saved.Equal(tie), "saved %s", saved)

			changed, filtered := l.change(ids)
			next, _ := syncedIDs(t, c.syncREST(tok, l.path(w), saved))
			require.Equal(t, changed, next[len(next)-1], "the change is the newest row of the next sync")
			require.NotContains(t, next, stale)
			if filtered != "" {
				only, _ := syncedIDs(t, c.syncREST(tok, filtered, saved))
				require.Equal(t, []string{changed}, only, "filters combine with updated_since")
			}
		})
	}
}

// Every change an integrator can see in a row moves its updated_at, so a
// sync from before the change picks the row up. Tags live in other tables;
// they count too, and so does deleting a tag that rows carried.
func TestRESTSyncSeesEveryChange(t *testing.T) {
	a, c := newRESTApp(t)
	w := c.populate("Changes Co")
	tok := w.OwnerToken
	conv, contact := "/v1/conversations/"+w.ConversationID, "/v1/contacts/"+w.ContactID
	doomed := func(name string) string {
		return idOf(t, c.expect(201, "POST", "/v1/tags", tok, map[string]any{"name": name}))
	}
	convTag, contactTag := doomed("temporal conv"), doomed("temporal contact")
	c.expect(200, "PUT", conv+"/tags/"+convTag, tok, nil)
	c.expect(200, "PUT", contact+"/tags/"+contactTag, tok, nil)

	cases := []struct {
		name, table, id, listing string
		method, path             string
		body                     any
	}{
		{"conversation assigned", "conversations", w.ConversationID, "/v1/conversations", "POST", conv + "/assign", map[string]any{"assignee_id": w.AgentID}},
		{"conversation status", "conversations", w.ConversationID, "/v1/conversations", "POST", conv + "/status", map[string]any{"status": "pending_customer"}},
		{"conversation priority", "conversations", w.ConversationID, "/v1/conversations", "PATCH", conv, map[string]any{"priority": "high"}},
		{"conversation tagged", "conversations", w.ConversationID, "/v1/conversations", "PUT", conv + "/tags/" + w.TagID, nil},
		{"conversation untagged", "conversations", w.ConversationID, "/v1/conversations", "DELETE", conv + "/tags/" + w.TagID, nil},
		{"conversation's tag deleted", "conversations", w.ConversationID, "/v1/conversations", "DELETE", "/v1/tags/" + convTag, nil},
		{"contact edited", "contacts", w.ContactID, "/v1/contacts", "PATCH", contact, map[string]any{"email": "ana@example.com"}},
		{"contact tagged", "contacts", w.ContactID, "/v1/contacts", "PUT", contact + "/tags/" + w.TagID, nil},
		{"contact untagged", "contacts", w.ContactID, "/v1/contacts", "DELETE", contact + "/tags/" + w.TagID, nil},
		{"contact's tag deleted", "contacts", w.ContactID, "/v1/contacts", "DELETE", "/v1/tags/" + contactTag, nil},
		{"task completed", "tasks", w.TaskID, "/v1/tasks", "PATCH", "/v1/tasks/" + w.TaskID, map[string]any{"done": true}},
		{"task reopened", "tasks", w.TaskID, "/v1/tasks", "PATCH", "/v1/tasks/" + w.TaskID, map[string]any{"done": false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := pastInstant(time.Hour)
			a.pinUpdatedAt(tc.table, before, tc.id)
			res := c.call(tc.method, tc.path, tok, tc.body)
			require.Less(t, res.Status, 300, "%s", res.Body)
			ids, _ := syncedIDs(t, c.syncREST(tok, tc.listing, before.Add(time.Microsecond)))
			require.Contains(t, ids, tc.id, "the change moved updated_at")
		})
	}
}

// Bad sync parameters are refused naming the field, and a cursor resumes
// only the order it was issued for.
func TestRESTSyncRefusesBadValues(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Bad Sync Co")
	for i := range 2 {
		c.expect(201, "POST", "/v1/contacts", w.OwnerToken, map[string]any{"wa_id": fmt.Sprintf("5199800%04d", i)})
	}
	ownCursor := object(t, c.expect(200, "GET", "/v1/contacts?limit=1", w.OwnerToken, nil))["next_cursor"].(string)
	syncCursor := object(t, c.expect(200, "GET", "/v1/contacts?limit=1&sort=updated_at", w.OwnerToken, nil))["next_cursor"].(string)
	for _, path := range []string{"/v1/conversations", "/v1/contacts", "/v1/tasks",
		"/v1/conversations/" + w.ConversationID + "/messages", "/v1/conversations/" + w.ConversationID + "/tasks"} {
		for _, tc := range []struct{ query, field string }{
			{"updated_since=yesterday", "updated_since"},
			{"updated_since=2026-01-31", "updated_since"},
			{"updated_since=2026-01-31T10:00:00+02:00", "updated_since"}, // an unencoded + arrives as a space
			{"sort=foo", "sort"},
			{"sort=created_at", "sort"},
			{"sort=updated_at&cursor=" + ownCursor, "cursor"},
		} {
			res := c.call("GET", path+"?"+tc.query, w.OwnerToken, nil)
			require.Equal(t, http.StatusBadRequest, res.Status, "%s?%s: %s", path, tc.query, res.Body)
			p := problemOf(t, res)
			require.Equal(t, "invalid", p.Code)
			require.Equal(t, tc.field, p.Errors[0].Field, "%s?%s", path, tc.query)
		}
	}
	res := c.call("GET", "/v1/contacts?cursor="+syncCursor, w.OwnerToken, nil)
	require.Equal(t, http.StatusBadRequest, res.Status, "a sync cursor does not resume the newest-first order")
	require.Equal(t, "cursor", problemOf(t, res).Errors[0].Field)
	c.expect(200, "GET", "/v1/contacts?updated_since=2026-01-31T10:00:00%2B02:00&sort=updated_at", w.OwnerToken, nil)
}
