package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A contact whose wa_id another contact of the workspace already has is
// refused with that contact's id, in REST (problem existing_id) and GraphQL
// (userErrors existingId), on create and on update. wa_ids are unique per
// workspace only: another workspace's contact neither conflicts nor is ever
// named.
func TestDuplicateWaIDNamesTheExistingContact(t *testing.T) {
	a := newTestApp(t)
	c := a.rest()
	ours, theirs := a.bootstrap("Ours Co"), a.bootstrap("Theirs Co")
	const waID = "5491155550000"
	create := func(tn tenant, body map[string]any) response {
		return c.call(http.MethodPost, "/v1/contacts", tn.APIKey, body)
	}

	theirsID := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", theirs.APIKey,
		map[string]any{"wa_id": waID, "name": "Their Ana"}))
	oursID := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", ours.APIKey,
		map[string]any{"wa_id": waID, "name": "Our Ana"}))
	require.NotEqual(t, theirsID, oursID)

	conflictNames := func(res response, want string) {
		t.Helper()
		require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
		p := problemOf(t, res)
		require.Equal(t, "conflict", p.Code)
		require.Equal(t, want, p.ExistingID, "the holder in the caller's workspace")
		require.Len(t, p.Errors, 1)
		require.Equal(t, "wa_id", p.Errors[0].Field)
		require.Contains(t, p.Detail, want)
	}
	conflictNames(create(ours, map[string]any{"wa_id": waID, "name": "Ana again"}), oursID)
	conflictNames(create(theirs, map[string]any{"wa_id": " " + waID + " "}), theirsID)

	otherID := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", ours.APIKey,
		map[string]any{"wa_id": "5491155550001"}))
	conflictNames(c.call(http.MethodPatch, "/v1/contacts/"+otherID, ours.APIKey, map[string]any{"wa_id": waID}), oursID)

	// Other conflicts carry no existing_id.
	res := c.call(http.MethodPost, "/v1/tags", ours.APIKey, map[string]any{"name": "vip"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	res = c.call(http.MethodPost, "/v1/tags", ours.APIKey, map[string]any{"name": "vip"})
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	require.NotContains(t, string(res.Body), "existing_id")

	const selection = `contact { id } userErrors { field code message existingId }`
	userError := func(d gqlData, payload string) map[string]any {
		t.Helper()
		require.Nil(t, d.get(t, payload+".contact"))
		errs := d.list(t, payload+".userErrors")
		require.Len(t, errs, 1)
		return errs[0].(map[string]any)
	}
	d := a.gqlOK(ours.OwnerToken, `mutation($in: CreateContactInput!) { createContact(input: $in) { `+selection+` } }`,
		map[string]any{"in": map[string]any{"waId": waID}})
	ue := userError(d, "createContact")
	require.Equal(t, oursID, ue["existingId"])
	require.Equal(t, "CONFLICT", ue["code"])
	require.Equal(t, []any{"input", "waId"}, ue["field"])
	d = a.gqlOK(ours.OwnerToken, `mutation($in: UpdateContactInput!) { updateContact(input: $in) { `+selection+` } }`,
		map[string]any{"in": map[string]any{"contactId": otherID, "waId": waID}})
	require.Equal(t, oursID, userError(d, "updateContact")["existingId"])
	d = a.gqlOK(ours.OwnerToken, `mutation($in: CreateTagInput!) { createTag(input: $in) { userErrors { existingId } } }`,
		map[string]any{"in": map[string]any{"name": "vip"}})
	require.Nil(t, d.get(t, "createTag.userErrors.0.existingId"), "a tag name conflict names nothing")

	// Nothing was written: each workspace has its one contact with the wa_id.
	for tn, want := range map[tenant]string{ours: oursID, theirs: theirsID} {
		rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?q="+waID, tn.APIKey, nil))
		require.Len(t, rows, 1)
		require.Equal(t, want, rows[0]["id"])
	}
	other := object(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts/"+otherID, ours.APIKey, nil))
	require.Equal(t, "5491155550001", other["wa_id"])
}
