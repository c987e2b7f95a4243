package main

// Helpers for the incremental-sync tests: rows pinned to one updated_at,
// and the loop an integrator runs over a listing.

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// syncPageSize is small so that rows sharing an updated_at straddle pages.
const syncPageSize = 2

// pastInstant is an instant before anything the test writes, at the
// precision the databases keep.
func pastInstant(ago time.Duration) time.Time {
	return time.Now().UTC().Add(-ago).Truncate(time.Microsecond)
}

// pinUpdatedAt sets updated_at of rows of table to at: rows written in the
// same microsecond tie exactly like this, which no clock reliably produces.
func (a *testApp) pinUpdatedAt(table string, at time.Time, ids ...string) {
	a.t.Helper()
	require.NotEmpty(a.t, ids)
	for _, id := range ids {
		res, err := a.sql().Exec("UPDATE "+table+" SET updated_at = $1 WHERE id = $2", at, id)
		require.NoError(a.t, err)
		n, err := res.RowsAffected()
		require.NoError(a.t, err)
		require.Equal(a.t, int64(1), n, "%s %s", table, id)
	}
}

// syncREST is an integrator's sync loop over a listing: sort=updated_at
// from since, page after page until has_more is false. It returns every
// row in the order received.
func (c *restClient) syncREST(token, path string, since time.Time) []map[string]any {
	c.t.Helper()
	var rows []map[string]any
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(c.t, pages, 100, "the sync of %s never ends", path)
		q := url.Values{"sort": {"updated_at"}, "updated_since": {since.Format(time.RFC3339Nano)},
			"limit": {strconv.Itoa(syncPageSize)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		var env struct {
			Data       []map[string]any `json:"data"`
			NextCursor string           `json:"next_cursor"`
			HasMore    bool             `json:"has_more"`
		}
		c.expect(200, "GET", path+sep+q.Encode(), token, nil).decode(c.t, &env)
		rows = append(rows, env.Data...)
		if !env.HasMore {
			return rows
		}
		cursor = env.NextCursor
	}
}

// syncedIDs checks that a sync delivered rows in ascending (updated_at, id)
// order, none twice, and returns their ids and the newest updated_at seen:
// what an integrator saves for the next sync.
func syncedIDs(t *testing.T, rows []map[string]any) ([]string, time.Time) {
	t.Helper()
	var ids []string
	var last time.Time
	lastID := ""
	for _, row := range rows {
		id, _ := row["id"].(string)
		at, err := time.Parse(time.RFC3339Nano, row["updated_at"].(string))
		require.NoError(t, err)
		require.False(t, at.Before(last) || (at.Equal(last) && id <= lastID),
			"rows out of (updated_at, id) order or repeated: %s %s after %s %s", at, id, last, lastID)
		ids, last, lastID = append(ids, id), at, id
	}
	return ids, last
}

// listIDs reads the ids of one page (of up to 100) of a listing.
func (c *restClient) listIDs(token, path string) []string {
	c.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	var ids []string
	for _, row := range listData(c.t, c.expect(200, "GET", path+sep+"limit=100", token, nil)) {
		ids = append(ids, row["id"].(string))
	}
	return ids
}

// without returns ids minus the excluded ones.
func without(ids []string, excluded ...string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(excluded, id) {
			out = append(out, id)
		}
	}
	return out
}
