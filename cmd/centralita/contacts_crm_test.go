package main

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Numbers typed by people are read in the workspace's default_country:
// "987 654 321", "+51 987-654-321" and "51987654321" are one Peruvian
// number, found in any format, and the one a WhatsApp message from
// 51987654321 lands on. An impossible number is a 400 naming the field
// and writes nothing; default_country is validated where it is edited.
func TestContactPhonesAreNormalisedInTheWorkspaceCountry(t *testing.T) {
	a := newTestApp(t)
	c := a.rest()
	tn := a.bootstrap("Lima Co")
	key := tn.APIKey

	ws := object(t, c.expect(http.StatusOK, http.MethodGet, "/v1/workspace", key, nil))
	require.Equal(t, "PE", ws["default_country"], "Peru by default")

	ana := object(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", key,
		map[string]any{"name": "Ana", "phone": "987 654 321"}))
	require.Equal(t, "+51987654321", ana["phone_e164"])

	res := c.call(http.MethodPost, "/v1/contacts", key, map[string]any{"name": "Ana bis", "phone_e164": "+51 987-654-321"})
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	require.Equal(t, ana["id"], problemOf(t, res).ExistingID, "the same number: the existing contact is named")

	for _, typed := range []string{"987 654 321", "+51 987-654-321", "51987654321", "(51) 987654321"} {
		rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?phone="+url.QueryEscape(typed), key, nil))
		require.Len(t, rows, 1, typed)
		require.Equal(t, ana["id"], rows[0]["id"], typed)
	}
	rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?q="+url.QueryEscape("987 654 321"), key, nil))
	require.Len(t, rows, 1, "free text that reads as a number finds it")

	before := a.count("contacts")
	for _, bad := range []map[string]any{{"phone": "12345"}, {"phone": "987 654 32"}, {"phone_e164": "+51 887 654 321"}, {"phone": "call me"}} {
		res := c.call(http.MethodPost, "/v1/contacts", key, bad)
		require.Equal(t, http.StatusBadRequest, res.Status, "%v: %s", bad, res.Body)
		for field := range bad {
			require.Equal(t, field, problemOf(t, res).Errors[0].Field)
		}
	}
	res = c.call(http.MethodPatch, "/v1/contacts/"+ana["id"].(string), key, map[string]any{"phone": "0"})
	require.Equal(t, http.StatusBadRequest, res.Status)
	res = c.call(http.MethodGet, "/v1/contacts?phone=123", key, nil)
	require.Equal(t, http.StatusBadRequest, res.Status)
	require.Equal(t, "phone", problemOf(t, res).Errors[0].Field)
	require.Equal(t, before, a.count("contacts"), "refused input writes nothing")

	// Another country reads national numbers its way; bad codes are refused.
	for _, bad := range []string{"XX", "pe", "PER", ""} {
		res := c.call(http.MethodPatch, "/v1/workspace", key, map[string]any{"default_country": bad})
		require.Equal(t, http.StatusBadRequest, res.Status, bad)
		require.Equal(t, "default_country", problemOf(t, res).Errors[0].Field)
	}
	ws = object(t, c.expect(http.StatusOK, http.MethodPatch, "/v1/workspace", key, map[string]any{"default_country": "MX"}))
	require.Equal(t, "MX", ws["default_country"])
	jorge := object(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", key,
		map[string]any{"name": "Jorge", "phone": "55 1234 5678"}))
	require.Equal(t, "+525512345678", jorge["phone_e164"])
	d := a.gqlOK(tn.OwnerToken, `mutation { updateWorkspace(input: {defaultCountry: "AR"}) { workspace { defaultCountry } userErrors { field } } }`, nil)
	require.Equal(t, "AR", d.str(t, "updateWorkspace.workspace.defaultCountry"))
	d = a.gqlOK(tn.OwnerToken, `mutation { updateWorkspace(input: {defaultCountry: "ZZ"}) { userErrors { field code } } }`, nil)
	require.Equal(t, []any{"input", "defaultCountry"}, d.get(t, "updateWorkspace.userErrors.0.field"))

	// WhatsApp writes from the wa_id of the number typed by a person: the
	// message lands on that contact, none is created.
	a.channel(tn, fakeNumberID)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(fakeNumberID, "wamid.pe1", "51987654321")).Status)
	require.Equal(t, before+1, a.count("contacts"), "only Jorge was added")
	got := object(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts/"+ana["id"].(string), key, nil))
	require.Equal(t, "51987654321", got["wa_id"])
	convs := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/conversations?contact_id="+ana["id"].(string), key, nil))
	require.Len(t, convs, 1)
}

// Eight upserts of one person at once create one contact: one 201, seven
// 200, one id. The keys are unique among live contacts, so racing
// creates conflict and retry as updates; upserts matched by different
// keys of the same person (phone and email) converge too.
func TestConcurrentUpsertsCreateOneContact(t *testing.T) {
	a := newTestApp(t)
	c := a.rest()
	tn := a.bootstrap("Race Co")
	for round, matches := range [][]map[string]any{
		{{"external_ref": map[string]any{"system": "hubspot", "id": "777"}}},
		{{"phone": "987 111 222"}, {"phone": "+51987111222"}},
		{{"phone": "986 000 111"}, {"email": "Lucia@Example.com"}},
	} {
		const n = 8
		statuses := make([]int, n)
		ids := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := map[string]any{"match": matches[i%len(matches)], "name": fmt.Sprintf("Persona %d-%d", round, i)}
				if round == 2 {
					body["phone"], body["email"] = "986 000 111", "lucia@example.com"
				}
				res := a.do(http.MethodPost, "/v1/contacts/upsert", tn.APIKey, body)
				statuses[i] = res.Status
				if res.Status < 300 {
					ids[i] = idOf(t, res)
				}
			}()
		}
		wg.Wait()
		created := 0
		for i, s := range statuses {
			require.Contains(t, []int{http.StatusOK, http.StatusCreated}, s, "round %d upsert %d", round, i)
			if s == http.StatusCreated {
				created++
			}
			require.Equal(t, ids[0], ids[i], "round %d: one contact", round)
		}
		require.Equal(t, 1, created, "round %d: created once", round)
	}
	require.Equal(t, 3, a.count("contacts"))

	// The contact an upsert made is found by its external ref.
	rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?external_ref=hubspot:777", tn.APIKey, nil))
	require.Len(t, rows, 1)
	require.Equal(t, []any{map[string]any{"system": "hubspot", "id": "777"}}, rows[0]["external_refs"])
}

// Upsert answers 201 then 200, keeps external refs unique per workspace
// and system, and refuses a match without exactly one key.
func TestUpsertContactByEachKey(t *testing.T) {
	a := newTestApp(t)
	c := a.rest()
	ours, theirs := a.bootstrap("Ours Co"), a.bootstrap("Theirs Co")
	upsert := func(tn tenant, body map[string]any) response {
		return c.call(http.MethodPost, "/v1/contacts/upsert", tn.APIKey, body)
	}
	hub := map[string]any{"system": "hubspot", "id": "123"}
	res := upsert(ours, map[string]any{"match": map[string]any{"external_ref": hub}, "name": "Ana", "phone": "987 654 321",
		"custom_attributes": map[string]any{"plan": "gold", "seats": 10}})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	anaID := idOf(t, res)
	res = upsert(ours, map[string]any{"match": map[string]any{"phone": "51987654321"}, "email": "ana@example.com",
		"external_refs": []any{map[string]any{"system": "Salesforce", "id": "SF-9"}}})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	got := object(t, res)
	require.Equal(t, anaID, got["id"])
	require.Equal(t, "Ana", got["name"], "absent fields keep their value")
	require.Len(t, got["external_refs"], 2, "refs are added, system names lower-cased")
	require.Equal(t, anaID, idOf(t, c.expect(http.StatusOK, http.MethodPost, "/v1/contacts/upsert", ours.APIKey,
		map[string]any{"match": map[string]any{"email": "ANA@example.com"}})))
	require.Equal(t, anaID, idOf(t, c.expect(http.StatusOK, http.MethodPost, "/v1/contacts/upsert", ours.APIKey,
		map[string]any{"match": map[string]any{"external_ref": map[string]any{"system": "salesforce", "id": "SF-9"}}})))

	// Another workspace has its own hubspot:123.
	res = upsert(theirs, map[string]any{"match": map[string]any{"external_ref": hub}, "name": "Otra Ana"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	require.NotEqual(t, anaID, idOf(t, res))
	require.Empty(t, listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?external_ref=salesforce:SF-9", theirs.APIKey, nil)))

	// One ref, one contact: giving hubspot:123 to someone else is a 409 naming Ana.
	bea := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", ours.APIKey, map[string]any{"name": "Bea", "email": "bea@example.com"}))
	res = c.call(http.MethodPatch, "/v1/contacts/"+bea, ours.APIKey, map[string]any{"external_refs": []any{hub}})
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	require.Equal(t, anaID, problemOf(t, res).ExistingID)
	res = upsert(ours, map[string]any{"match": map[string]any{"email": "bea@example.com"}, "phone": "987654321"})
	require.Equal(t, http.StatusConflict, res.Status, "Ana has the number")
	require.Equal(t, anaID, problemOf(t, res).ExistingID)

	before := a.count("contacts")
	for _, bad := range []map[string]any{
		{"name": "no match"},
		{"match": map[string]any{}},
		{"match": map[string]any{"phone": "987654321", "email": "x@example.com"}},
		{"match": map[string]any{"phone": "123"}},
		{"match": map[string]any{"email": "not-an-email"}},
		{"match": map[string]any{"external_ref": map[string]any{"system": "Hub Spot!", "id": "1"}}},
		{"match": map[string]any{"wa_id": "+51"}},
	} {
		res := upsert(ours, bad)
		require.Equal(t, http.StatusBadRequest, res.Status, "%v: %s", bad, res.Body)
		require.Contains(t, problemOf(t, res).Errors[0].Field, "match", "%v", bad)
	}
	require.Equal(t, before, a.count("contacts"))

	// Search by name, email, tag and attribute.
	for query, want := range map[string]int{
		"name=an": 1, "email=ANA@EXAMPLE.COM": 1, "attr=plan:gold": 1, "attr=seats:10": 1, "attr=plan:silver": 0,
		"attr=plan:gold&attr=seats:11": 0, "external_ref=hubspot:124": 0,
	} {
		rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?"+query, ours.APIKey, nil))
		require.Len(t, rows, want, query)
	}
	for _, bad := range []string{"attr=plan", "external_ref=hubspot", "external_ref=:1"} {
		require.Equal(t, http.StatusBadRequest, c.call(http.MethodGet, "/v1/contacts?"+bad, ours.APIKey, nil).Status, bad)
	}

	// GraphQL: created, then not.
	const m = `mutation($in: UpsertContactInput!) { upsertContact(input: $in) { created contact { id externalRefs { system id } } userErrors { field code } } }`
	in := map[string]any{"match": map[string]any{"externalRef": map[string]any{"system": "pipedrive", "id": "p1"}}, "phone": "+51 912 345 678"}
	d := a.gqlOK(ours.OwnerToken, m, map[string]any{"in": in})
	require.Equal(t, true, d.get(t, "upsertContact.created"))
	id := d.str(t, "upsertContact.contact.id")
	d = a.gqlOK(ours.OwnerToken, m, map[string]any{"in": in})
	require.Equal(t, false, d.get(t, "upsertContact.created"))
	require.Equal(t, id, d.str(t, "upsertContact.contact.id"))
	d = a.gqlOK(ours.OwnerToken, m, map[string]any{"in": map[string]any{"match": map[string]any{"phone": "1"}}})
	require.Equal(t, []any{"input", "match", "phone"}, d.get(t, "upsertContact.userErrors.0.field"))
	d = a.gqlOK(ours.OwnerToken, `query { contacts(filter: {phone: "912345678", attributes: []}) { nodes { id } } }`, nil)
	require.Equal(t, []string{id}, d.ids(t, "contacts.nodes"))
}
