package main

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// mergeDesk is a workspace with a WhatsApp number and a supervisor.
type mergeDesk struct {
	a          *testApp
	c          *restClient
	tn         tenant
	supervisor string // access token
	supID      string
	agent      string
	channelID  string
}

func newMergeDesk(t *testing.T, name string) mergeDesk {
	a := newTestApp(t)
	tn := a.bootstrap(name)
	ch := a.channel(tn, fakeNumberID)
	supID, sup := a.member(tn, "sup-"+tn.OwnerEmail, domain.RoleSupervisor)
	_, agent := a.member(tn, "agent-"+tn.OwnerEmail, domain.RoleAgent)
	return mergeDesk{a: a, c: a.rest(), tn: tn, supervisor: sup, supID: supID, agent: agent, channelID: ch.ID}
}

// writes delivers a signed WhatsApp text from waID and returns the
// contact its conversation is on.
func (d mergeDesk) writes(t *testing.T, wamid, waID string) string {
	t.Helper()
	require.Equal(t, http.StatusOK, d.a.deliver(textDelivery(fakeNumberID, wamid, waID)).Status)
	ctx := d.a.system(d.tn)
	m, err := d.a.DB.Store().FindMessageByProviderID(ctx, d.channelID, wamid)
	require.NoError(t, err)
	conv, err := d.a.Service.Conversation(ctx, m.ConversationID)
	require.NoError(t, err)
	return conv.ContactID
}

func (d mergeDesk) merge(token, survivor, merged string) response {
	return d.c.call(http.MethodPost, "/v1/contacts/"+survivor+"/merge", token, map[string]any{"contact_id": merged})
}

// Merging moves conversations, tasks, tags and external refs to the
// survivor, which takes the ids it lacks; the merged contact answers 404
// pointing at the survivor, and a later WhatsApp message from the merged
// contact's wa_id lands on the survivor, whether or not the survivor has
// a wa_id of its own.
func TestMergeContactsMovesEverythingAndRoutesLaterMessages(t *testing.T) {
	d := newMergeDesk(t, "Merge Co")
	a, c, key := d.a, d.c, d.tn.APIKey
	ctx := a.system(d.tn)
	vip := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/tags", key, map[string]any{"name": "vip"}))
	lead := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/tags", key, map[string]any{"name": "lead"}))

	// The CRM's Ana (no WhatsApp yet) and the Ana who wrote on WhatsApp.
	crm := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts/upsert", key, map[string]any{
		"match": map[string]any{"external_ref": map[string]any{"system": "hubspot", "id": "1"}},
		"name":  "Ana Pérez", "email": "ana@example.com", "custom_attributes": map[string]any{"plan": "gold"}}))
	c.expect(http.StatusOK, http.MethodPut, "/v1/contacts/"+crm+"/tags/"+vip, key, nil)
	wa := d.writes(t, "wamid.m1", "51944000111")
	require.NotEqual(t, crm, wa)
	c.expect(http.StatusOK, http.MethodPut, "/v1/contacts/"+wa+"/tags/"+lead, key, nil)
	c.expect(http.StatusOK, http.MethodPatch, "/v1/contacts/"+wa, key, map[string]any{
		"external_refs": []any{map[string]any{"system": "zoho", "id": "9"}}, "custom_attributes": map[string]any{"plan": "free", "city": "Lima"}})
	task, err := a.Service.CreateTask(ctx, domain.NewTask{ContactID: wa, Title: "llamar"})
	require.NoError(t, err)
	contacts := a.count("contacts")

	// An agent may not merge; a supervisor may.
	res := d.merge(d.agent, crm, wa)
	require.Equal(t, http.StatusForbidden, res.Status, string(res.Body))
	res = d.merge(d.supervisor, crm, wa)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	got := object(t, res)
	require.Equal(t, crm, got["id"])
	require.Equal(t, "Ana Pérez", got["name"], "the survivor's own fields win")
	require.Equal(t, "51944000111", got["wa_id"], "and it takes the ids it lacked")
	require.Equal(t, "+51944000111", got["phone_e164"])
	require.ElementsMatch(t, []any{vip, lead}, got["tags"])
	require.ElementsMatch(t, []any{map[string]any{"system": "hubspot", "id": "1"}, map[string]any{"system": "zoho", "id": "9"}}, got["external_refs"])
	require.Equal(t, map[string]any{"plan": "gold", "city": "Lima"}, got["custom_attributes"])

	res = c.call(http.MethodGet, "/v1/contacts/"+wa, key, nil)
	require.Equal(t, http.StatusNotFound, res.Status)
	p := problemOf(t, res)
	require.Equal(t, crm, p.MergedInto)
	require.Contains(t, p.Detail, crm, "the detail points at the survivor")
	require.Empty(t, listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?tag_id="+lead+"&name=Cliente", key, nil)))
	require.Len(t, listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/conversations?contact_id="+crm, key, nil)), 1)
	tasks := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/tasks?contact_id="+crm, key, nil))
	require.Len(t, tasks, 1)
	require.Equal(t, task.ID, tasks[0]["id"])
	rows := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts?external_ref=zoho:9", key, nil))
	require.Len(t, rows, 1)
	require.Equal(t, crm, rows[0]["id"])
	require.Equal(t, 1, countMergedEvents(t, a, crm, wa))

	// A later message from the merged wa_id lands on the survivor.
	require.Equal(t, crm, d.writes(t, "wamid.m2", "51944000111"))
	require.Equal(t, contacts, a.count("contacts"), "no contact was created")

	// A survivor with its own wa_id: the merged one's messages still find it.
	s2 := d.writes(t, "wamid.s2", "51944000222")
	m2 := d.writes(t, "wamid.n2", "51944000333")
	require.Equal(t, http.StatusOK, d.merge(d.supervisor, s2, m2).Status)
	require.Equal(t, s2, d.writes(t, "wamid.n3", "51944000333"))
	require.Equal(t, contacts+2, a.count("contacts"))
	// Merging the survivor on moves its merged contact's messages along.
	require.Equal(t, http.StatusOK, d.merge(d.tn.OwnerToken, crm, s2).Status)
	require.Equal(t, crm, d.writes(t, "wamid.n4", "51944000333"))
	require.Equal(t, crm, d.writes(t, "wamid.n5", "51944000222"))
	res = c.call(http.MethodGet, "/v1/contacts/"+m2, key, nil)
	require.Equal(t, crm, problemOf(t, res).MergedInto, "one hop to the live survivor")

	// GraphQL: the merged contact is NOT_FOUND with mergedInto.
	g := a.graphql(d.tn.OwnerToken, `query($id: ID!) { contact(id: $id) { id } }`, map[string]any{"id": wa})
	require.Equal(t, []string{"NOT_FOUND"}, g.errorCodes())
	require.Equal(t, crm, g.Errors[0].Extensions["mergedInto"])
}

func countMergedEvents(t *testing.T, a *testApp, survivor, merged string) int {
	t.Helper()
	var n int
	require.NoError(t, a.sql().QueryRowContext(context.Background(),
		`SELECT count(*) FROM events WHERE type = 'contact.merged' AND subject_id = $1 AND CAST(payload AS TEXT) LIKE $2`,
		survivor, "%"+merged+"%").Scan(&n))
	return n
}

// Merging into itself, a deleted or merged contact, or a contact of
// another workspace is refused and changes nothing; the last answers like
// an unknown id.
func TestContactMergeRefusals(t *testing.T) {
	d := newMergeDesk(t, "Refuse Co")
	other := d.a.bootstrap("Other Co")
	c, key := d.c, d.tn.APIKey
	mk := func(email string) string {
		return idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", key, map[string]any{"email": email}))
	}
	ana, bea, gone, merged := mk("ana@example.com"), mk("bea@example.com"), mk("gone@example.com"), mk("merged@example.com")
	c.expect(http.StatusNoContent, http.MethodDelete, "/v1/contacts/"+gone, key, nil)
	c.expect(http.StatusOK, http.MethodPost, "/v1/contacts/"+bea+"/merge", key, map[string]any{"contact_id": merged})
	theirs := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", other.APIKey, map[string]any{"email": "ana@example.com"}))
	unknown := domain.NewID(domain.PrefixContact)

	before := snapshotContacts(t, c, key, ana, bea)
	for name, tc := range map[string]struct {
		survivor, merged string
		status           int
	}{
		"itself":                 {ana, ana, http.StatusBadRequest},
		"missing contact_id":     {ana, "", http.StatusBadRequest},
		"a deleted contact":      {ana, gone, http.StatusBadRequest},
		"a merged contact":       {ana, merged, http.StatusBadRequest},
		"another workspace's":    {ana, theirs, http.StatusBadRequest},
		"an unknown contact":     {ana, unknown, http.StatusBadRequest},
		"into a deleted one":     {gone, ana, http.StatusNotFound},
		"into a merged one":      {merged, ana, http.StatusNotFound},
		"into another's":         {theirs, ana, http.StatusNotFound},
		"into an unknown one":    {unknown, ana, http.StatusNotFound},
		"a malformed contact_id": {ana, "ctc_nope", http.StatusBadRequest},
	} {
		res := d.merge(key, tc.survivor, tc.merged)
		require.Equal(t, tc.status, res.Status, "%s: %s", name, res.Body)
		if tc.status == http.StatusBadRequest {
			require.Equal(t, "contact_id", problemOf(t, res).Errors[0].Field, name)
		}
	}
	require.Equal(t, problemOf(t, d.merge(key, ana, unknown)).Detail, problemOf(t, d.merge(key, ana, theirs)).Detail,
		"another workspace's contact reads as an unknown one")
	require.Equal(t, before, snapshotContacts(t, c, key, ana, bea), "refusals change nothing")
	require.Equal(t, 0, countMergedEvents(t, d.a, ana, bea))

	// GraphQL: the same refusals as userErrors, then the merge.
	const m = `mutation($s: ID!, $c: ID!) { mergeContacts(input: {survivorId: $s, contactId: $c}) {
		contact { id email } mergedContactId userErrors { field code } } }`
	g := d.a.gqlOK(d.supervisor, m, map[string]any{"s": ana, "c": ana})
	require.Equal(t, []any{"input", "contactId"}, g.get(t, "mergeContacts.userErrors.0.field"))
	require.Nil(t, g.get(t, "mergeContacts.contact"))
	require.Equal(t, []string{"FORBIDDEN"}, d.a.graphql(d.agent, m, map[string]any{"s": ana, "c": bea}).errorCodes())
	require.Equal(t, []string{"NOT_FOUND"}, d.a.graphql(d.supervisor, m, map[string]any{"s": theirs, "c": bea}).errorCodes())
	g = d.a.gqlOK(d.supervisor, m, map[string]any{"s": ana, "c": bea})
	require.Equal(t, ana, g.str(t, "mergeContacts.contact.id"))
	require.Equal(t, bea, g.str(t, "mergeContacts.mergedContactId"))
	require.Equal(t, 1, countMergedEvents(t, d.a, ana, bea))

	// The feed shows it once, with the supervisor as actor and both ids.
	isMerge := func(e feedEvent) bool { return e.Type == "contact.merged" && e.Data["merged_id"] == bea }
	events := d.a.feedUntil(d.tn.OwnerToken, func(events []feedEvent) bool { return slices.ContainsFunc(events, isMerge) })
	i := slices.IndexFunc(events, isMerge)
	require.GreaterOrEqual(t, i, 0, "contact.merged in the feed")
	require.Equal(t, "user", events[i].ActorKind)
	require.Equal(t, d.supID, deref(events[i].ActorID))
	require.Equal(t, ana, deref(events[i].SubjectID))
	require.Equal(t, ana, events[i].Data["survivor_id"])
}

func snapshotContacts(t *testing.T, c *restClient, key string, ids ...string) []string {
	t.Helper()
	var out []string
	for _, id := range ids {
		out = append(out, string(c.expect(http.StatusOK, http.MethodGet, "/v1/contacts/"+id, key, nil).Body))
	}
	return out
}

// Deleting is soft: the contact leaves reads, lists and searches, its
// conversations stay, its phone and external refs are free again.
// Supervisors and up may delete; agents may not.
func TestDeleteContactIsSoft(t *testing.T) {
	d := newMergeDesk(t, "Delete Co")
	c, key := d.c, d.tn.APIKey
	id := d.writes(t, "wamid.d1", "51944000999")
	c.expect(http.StatusOK, http.MethodPatch, "/v1/contacts/"+id, key, map[string]any{
		"external_refs": []any{map[string]any{"system": "hubspot", "id": "5"}}})
	conv := listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/conversations?contact_id="+id, key, nil))[0]["id"].(string)

	require.Equal(t, http.StatusForbidden, c.call(http.MethodDelete, "/v1/contacts/"+id, d.agent, nil).Status)
	c.expect(http.StatusNoContent, http.MethodDelete, "/v1/contacts/"+id, d.supervisor, nil)
	require.Equal(t, http.StatusNotFound, c.call(http.MethodGet, "/v1/contacts/"+id, key, nil).Status)
	require.Equal(t, http.StatusNotFound, c.call(http.MethodDelete, "/v1/contacts/"+id, key, nil).Status)
	require.Equal(t, http.StatusNotFound, c.call(http.MethodPatch, "/v1/contacts/"+id, key, map[string]any{"name": "x"}).Status)
	for _, q := range []string{"", "?phone=944000999", "?external_ref=hubspot:5", "?q=51944000999"} {
		require.Empty(t, listData(t, c.expect(http.StatusOK, http.MethodGet, "/v1/contacts"+q, key, nil)), q)
	}
	got := object(t, c.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+conv, key, nil))
	require.Equal(t, id, got["contact_id"], "conversations are kept")

	// The ref and the number are free: the CRM's next upsert is a new contact.
	res := c.call(http.MethodPost, "/v1/contacts/upsert", key, map[string]any{
		"match": map[string]any{"external_ref": map[string]any{"system": "hubspot", "id": "5"}}, "phone": "944 000 999"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	require.NotEqual(t, id, idOf(t, res))

	// GraphQL.
	other := idOf(t, c.expect(http.StatusCreated, http.MethodPost, "/v1/contacts", key, map[string]any{"email": "x@example.com"}))
	const m = `mutation($id: ID!) { deleteContact(input: {contactId: $id}) { deletedContactId userErrors { code } } }`
	g := d.a.graphql(d.agent, m, map[string]any{"id": other})
	require.Equal(t, []string{"FORBIDDEN"}, g.errorCodes())
	dd := d.a.gqlOK(d.supervisor, m, map[string]any{"id": other})
	require.Equal(t, other, dd.str(t, "deleteContact.deletedContactId"))
	require.Equal(t, []string{"NOT_FOUND"}, d.a.graphql(d.supervisor, m, map[string]any{"id": other}).errorCodes())
}
