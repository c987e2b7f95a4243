package main

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// exportedCount counts a workspace's audit_log.exported events.
func (a *testApp) exportedCount(workspaceID string) int {
	a.t.Helper()
	var n int
	require.NoError(a.t, a.sql().QueryRow("SELECT COUNT(*) FROM events WHERE workspace_id = $1 AND type = $2",
		workspaceID, domain.EventAuditLogExported).Scan(&n))
	return n
}

// The feed shows every conversation's events, so only owners, admins and
// keys of those roles read it; the audit log also lets supervisors read.
// Agents (and agent keys) get 403, bad filters a 400 naming the parameter,
// and neither records an export.
func TestFeedAndAuditLogAccessAndValidation(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Access Co")
	agentKey := object(t, c.expect(201, "POST", "/v1/api-keys", w.OwnerToken,
		map[string]any{"name": "agent key", "role": "agent"}))["secret"].(string)
	for _, tc := range []struct {
		who          string
		token        string
		feed, audits int
	}{
		{"owner", w.OwnerToken, 200, 200},
		{"admin key", w.APIKeySecret, 200, 200},
		{"supervisor", w.SupervisorToken, 403, 200},
		{"agent", w.AgentToken, 403, 403},
		{"agent key", agentKey, 403, 403},
	} {
		c.expect(tc.feed, "GET", "/v1/events", tc.token, nil)
		c.expect(tc.audits, "GET", "/v1/audit-log", tc.token, nil)
		if tc.audits == 403 {
			c.expect(403, "GET", "/v1/audit-log?format=csv", tc.token, nil)
		}
	}
	for _, tc := range []struct{ query, field string }{
		{"/v1/events?types=message.created,message.nope", "types"},
		{"/v1/events?after=not-a-cursor", "after"},
		{"/v1/events?after=" + url.QueryEscape(w.ConversationID), "after"},
		{"/v1/events?limit=0", "limit"},
		{"/v1/events?limit=101", "limit"},
		{"/v1/audit-log?type=message.nope", "type"},
		{"/v1/audit-log?actor_kind=robot", "actor_kind"},
		{"/v1/audit-log?since=yesterday", "since"},
		{"/v1/audit-log?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", "until"},
		{"/v1/audit-log?format=xml", "format"},
		{"/v1/audit-log?format=csv&type=message.nope", "type"},
		{"/v1/audit-log?cursor=nope", "cursor"},
	} {
		p := problemOf(t, c.expect(400, "GET", tc.query, w.OwnerToken, nil))
		require.Len(t, p.Errors, 1, tc.query)
		require.Equal(t, tc.field, p.Errors[0].Field, tc.query)
	}
	require.Zero(t, c.app.exportedCount(w.WorkspaceID), "refused exports record nothing")
}

// The audit log lists newest first, filters by actor, type and time, pages
// without overlap, and exports the same rows as CSV: streamed, a header
// row, formula-looking cells neutralised, every batch included, the export
// itself recorded.
func TestAuditLogFiltersPagesAndExportsCSV(t *testing.T) {
	a, c := newRESTApp(t)
	w := c.populate("Audit Log Co")
	all := listData(t, c.expect(200, "GET", "/v1/audit-log?limit=100", w.OwnerToken, nil))
	require.Greater(t, len(all), 15)
	for i := 1; i < len(all); i++ {
		// As instants: RFC 3339 text drops trailing zeros, so it does not sort.
		newer, err := time.Parse(time.RFC3339Nano, all[i-1]["occurred_at"].(string))
		require.NoError(t, err)
		older, err := time.Parse(time.RFC3339Nano, all[i]["occurred_at"].(string))
		require.NoError(t, err)
		require.False(t, older.After(newer), "newest first")
	}

	mine := listData(t, c.expect(200, "GET", "/v1/audit-log?actor_kind=user&actor_id="+w.OwnerID, w.OwnerToken, nil))
	require.NotEmpty(t, mine)
	for _, e := range mine {
		require.Equal(t, "user", e["actor_kind"])
		require.Equal(t, w.OwnerID, e["actor_id"])
	}
	queues := listData(t, c.expect(200, "GET", "/v1/audit-log?type=queue.created", w.OwnerToken, nil))
	require.Len(t, queues, 3, "General at bootstrap, then Ventas and Soporte")
	require.Equal(t, "system", queues[2]["actor_kind"], "bootstrap created General")
	require.Empty(t, listData(t, c.expect(200, "GET", "/v1/audit-log?actor_id=usr_00000000000000000000000000", w.OwnerToken, nil)))

	middle := all[len(all)/2]["occurred_at"].(string)
	newer := listData(t, c.expect(200, "GET", "/v1/audit-log?limit=100&since="+url.QueryEscape(middle), w.OwnerToken, nil))
	older := listData(t, c.expect(200, "GET", "/v1/audit-log?limit=100&until="+url.QueryEscape(middle), w.OwnerToken, nil))
	require.Equal(t, len(all), len(newer)+len(older), "since is inclusive, until exclusive")

	var paged []any
	cursor := ""
	for {
		res := c.expect(200, "GET", "/v1/audit-log?limit=4&cursor="+url.QueryEscape(cursor), w.OwnerToken, nil)
		var page struct {
			Data       []map[string]any `json:"data"`
			NextCursor *string          `json:"next_cursor"`
			HasMore    bool             `json:"has_more"`
		}
		res.decode(t, &page)
		for _, e := range page.Data {
			paged = append(paged, e["id"])
		}
		if !page.HasMore {
			break
		}
		cursor = *page.NextCursor
	}
	var ids []any
	for _, e := range all {
		ids = append(ids, e["id"])
	}
	require.Equal(t, ids, paged, "pages neither overlap nor skip")

	// A hostile subject, and more rows than one export batch.
	ctx := a.system(w.tenant)
	store := a.DB.Store()
	require.NoError(t, store.InTx(ctx, func(ctx context.Context) error {
		for i := range 1200 {
			subject := "bulk"
			if i == 0 {
				subject = `=HYPERLINK("http://evil.example","x")`
			}
			err := store.AppendEvent(ctx, &domain.Event{ID: domain.NewID(domain.PrefixEvent), Type: domain.EventTagUpdated,
				Actor: domain.Actor{Kind: domain.ActorSystem}, SubjectID: subject, Payload: map[string]any{"n": i},
				CreatedAt: time.Now()})
			if err != nil {
				return err
			}
		}
		return nil
	}))
	total := len(all) + 1200
	for _, how := range []struct{ path, accept string }{
		{"/v1/audit-log?format=csv", ""}, {"/v1/audit-log", "text/csv"},
	} {
		before := a.exportedCount(w.WorkspaceID)
		var headers []string
		if how.accept != "" {
			headers = []string{"Accept", how.accept}
		}
		res := a.do(http.MethodGet, how.path, w.SupervisorToken, nil, headers...)
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
		require.Contains(t, res.Header.Get("Content-Disposition"), "attachment")
		rows, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
		require.NoError(t, err)
		require.Equal(t, []string{"id", "type", "occurred_at", "actor_kind", "actor_id", "subject_id", "data"}, rows[0])
		require.GreaterOrEqual(t, len(rows)-1, total, "every row, across batches")
		hostile := 0
		for _, row := range rows[1:] {
			for _, cell := range row {
				require.False(t, strings.HasPrefix(cell, "="), "formula cell %q", cell)
			}
			if strings.HasPrefix(row[5], `'=HYPERLINK`) {
				hostile++
			}
		}
		require.Equal(t, 1, hostile, "the formula-looking subject is exported as text")
		require.Equal(t, before+1, a.exportedCount(w.WorkspaceID), "the export is itself recorded")
	}
	exported := listData(t, c.expect(200, "GET", "/v1/audit-log?type=audit_log.exported", w.OwnerToken, nil))
	require.Len(t, exported, 2)
	require.Equal(t, "user", exported[0]["actor_kind"])
	require.Equal(t, w.SupervisorID, exported[0]["actor_id"], "a supervisor may export (read-only)")
}

// GraphQL mirrors both: events in commit order with a cursor to resume
// from, and the audit log with its filter; roles and bad input answer as
// REST does.
func TestEventsAndAuditLogOverGraphQL(t *testing.T) {
	a, c := newRESTApp(t)
	w := c.populate("GraphQL Events Co")
	const feed = `query($after: String, $types: [String!]) { events(first: 3, after: $after, types: $types) {
		edges { cursor node { id type occurredAt actorKind actorId subjectId data } }
		pageInfo { hasNextPage endCursor } } }`
	rest, _ := a.drainFeedOf(w.OwnerToken, "")
	var got []string
	var after any
	for {
		d := a.gqlOK(w.APIKeySecret, feed, map[string]any{"after": after})
		for _, e := range d.get(t, "events.edges").([]any) {
			got = append(got, e.(map[string]any)["node"].(map[string]any)["id"].(string))
		}
		after = d.get(t, "events.pageInfo.endCursor")
		require.NotNil(t, after, "endCursor is never null")
		if d.get(t, "events.pageInfo.hasNextPage") == false {
			break
		}
	}
	require.GreaterOrEqual(t, len(got), len(rest))
	require.Equal(t, rest, got[:len(rest)], "the same feed in the same order as REST")
	// A type this workspace never had: the page is surely empty (on
	// Postgres, more of its events may still become visible meanwhile).
	empty := a.gqlOK(w.APIKeySecret, feed, map[string]any{"after": after, "types": []string{"sla.breached"}})
	require.Empty(t, empty.get(t, "events.edges"))
	require.Equal(t, after, empty.get(t, "events.pageInfo.endCursor"), "an empty page hands the cursor back")

	const audit = `query($f: AuditLogFilter) { auditLog(first: 10, filter: $f) { nodes { type actorKind actorId } } }`
	nodes := a.gqlOK(w.SupervisorToken, audit, map[string]any{"f": map[string]any{"type": "queue.created",
		"actorKind": "USER", "actorId": w.OwnerID}}).get(t, "auditLog.nodes").([]any)
	require.Len(t, nodes, 2)
	require.Equal(t, "USER", nodes[0].(map[string]any)["actorKind"])

	require.Equal(t, []string{"FORBIDDEN"}, a.graphql(w.SupervisorToken, feed, nil).errorCodes())
	require.Equal(t, []string{"FORBIDDEN"}, a.graphql(w.AgentToken, audit, nil).errorCodes())
	require.Equal(t, []string{"BAD_USER_INPUT"}, a.graphql(w.OwnerToken, feed,
		map[string]any{"types": []string{"message.nope"}}).errorCodes())
	require.Equal(t, []string{"BAD_USER_INPUT"}, a.graphql(w.OwnerToken, feed, map[string]any{"after": "nope"}).errorCodes())
}
