package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// Every paginated list takes a page size of 1 to 100: REST's limit (any
// other value, 0 and an empty one included, is a 400 naming limit) and
// GraphQL's first (BAD_USER_INPUT naming first). Leaving it out gives the
// documented default of 50.
func TestEveryListTakesPageSizesFrom1To100(t *testing.T) {
	a := newTestApp(t)
	c := a.rest()
	w := c.populate("Limits")
	conv := "/v1/conversations/" + w.ConversationID
	for _, path := range []string{"/v1/conversations", "/v1/contacts", "/v1/users", "/v1/tasks",
		conv + "/messages", conv + "/notes", conv + "/tasks"} {
		for _, bad := range []string{"0", "-1", "101", "", "abc"} {
			res := c.call(http.MethodGet, path+"?limit="+bad, w.OwnerToken, nil)
			require.Equal(t, http.StatusBadRequest, res.Status, "%s?limit=%s: %s", path, bad, res.Body)
			p := problemOf(t, res)
			require.Len(t, p.Errors, 1, path)
			require.Equal(t, "limit", p.Errors[0].Field, "%s?limit=%s", path, bad)
		}
		for _, good := range []int{1, 100} {
			rows := listData(t, c.expect(http.StatusOK, http.MethodGet, fmt.Sprintf("%s?limit=%d", path, good), w.OwnerToken, nil))
			require.NotEmpty(t, rows, path)
			require.LessOrEqual(t, len(rows), good, path)
		}
		c.expect(http.StatusOK, http.MethodGet, path, w.OwnerToken, nil)
	}

	for _, field := range []string{
		`conversations(first: $first) { nodes { id } }`,
		`contacts(first: $first) { nodes { id } }`,
		`users(first: $first) { nodes { id } }`,
		`tasks(first: $first) { nodes { id } }`,
		`conversation(id: "` + w.ConversationID + `") { messages(first: $first) { nodes { id } } }`,
		`conversation(id: "` + w.ConversationID + `") { notes(first: $first) { nodes { id } } }`,
		`conversation(id: "` + w.ConversationID + `") { tasks(first: $first) { nodes { id } } }`,
		`contact(id: "` + w.ContactID + `") { conversations(first: $first) { nodes { id } } }`,
	} {
		query := `query($first: Int) { ` + field + ` }`
		for _, bad := range []int{0, -1, 101} {
			res := a.graphql(w.OwnerToken, query, map[string]any{"first": bad})
			require.Equal(t, []string{"BAD_USER_INPUT"}, res.errorCodes(), "%s first: %d", field, bad)
			require.Equal(t, "first", res.Errors[0].Extensions["field"], field)
		}
		for _, good := range []any{1, 100, nil} {
			a.gqlOK(w.OwnerToken, query, map[string]any{"first": good})
		}
	}

	// The default page is 50.
	ctx := a.system(w.tenant)
	for i := range domain.DefaultPageSize {
		_, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr(fmt.Sprintf("5255%08d", i))})
		require.NoError(t, err)
	}
	var page struct {
		Data    []map[string]any `json:"data"`
		HasMore bool             `json:"has_more"`
	}
	c.expect(http.StatusOK, http.MethodGet, "/v1/contacts", w.OwnerToken, nil).decode(t, &page)
	require.Len(t, page.Data, domain.DefaultPageSize)
	require.True(t, page.HasMore)
	d := a.gqlOK(w.OwnerToken, `{ contacts { nodes { id } pageInfo { hasNextPage } } }`, nil)
	require.Len(t, d.list(t, "contacts.nodes"), domain.DefaultPageSize)
	require.Equal(t, true, d.get(t, "contacts.pageInfo.hasNextPage"))
}
