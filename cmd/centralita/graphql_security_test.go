package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

func TestGraphQLErrorCodes(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Codes")

	missing := domain.NewID(domain.PrefixConversation)
	res := a.graphql(w.OwnerToken, `query($id: ID!) { conversation(id: $id) { id } }`, map[string]any{"id": missing})
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes())
	require.NotEmpty(t, res.Errors[0].Extensions["requestId"])
	require.JSONEq(t, `{"conversation":null}`, string(res.Data))

	res = a.graphql(w.OwnerToken, `mutation($id: ID!) { claimConversation(input: {conversationId: $id}) { userErrors { code } } }`, map[string]any{"id": missing})
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes())

	res = a.graphql(w.AgentToken, `mutation { createTag(input: {name: "x"}) { tag { id } userErrors { code } } }`, nil)
	require.Equal(t, []string{"FORBIDDEN"}, res.errorCodes())
	res = a.graphql(w.AgentToken, `{ apiKeys { id } }`, nil)
	require.Equal(t, []string{"FORBIDDEN"}, res.errorCodes())

	res = a.graphql("", `{ me { id } }`, nil)
	require.Equal(t, http.StatusUnauthorized, res.HTTPStatus)
	res = a.graphql("not-a-token", `{ me { id } }`, nil)
	require.Equal(t, http.StatusUnauthorized, res.HTTPStatus)

	res = a.graphql(w.APIKey, `{ me { id } }`, nil)
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes(), "API keys have no user")
	res = a.graphql(w.APIKey, `mutation($id: ID!) { claimConversation(input: {conversationId: $id}) { userErrors { code } } }`,
		map[string]any{"id": w.ConversationID})
	require.Equal(t, []string{"FORBIDDEN"}, res.errorCodes(), "API keys cannot claim")
}

// TestGraphQLCrossTenantSweep points workspace B's credentials at every id
// of workspace A, through every query, mutation and node lookup.
func TestGraphQLCrossTenantSweep(t *testing.T) {
	a := newTestApp(t)
	A := seedWorld(t, a, "Alpha Tenant")
	B := seedWorld(t, a, "Bravo Tenant")
	aIDs := []string{A.WorkspaceID, A.OwnerID, A.AgentID, A.QueueID, A.OtherQueueID, A.TagID, A.ChannelID, A.ContactID,
		A.ConversationID, A.MessageID, A.NoteID, A.TaskID, A.APIKeyID}

	snapshotQuery := `{ workspace { name timezone locale } conversations(first: 10) { nodes { ` + conversationFields + ` } }
		contacts { nodes { id name waId email customAttributes tags { id } } }
		users { nodes { id name role active capacity availability queues { id } } }
		queues { id name description members { id } } tags { id name color } channels { id name mode phoneNumberId }
		apiKeys { id name revokedAt } tasks { nodes { id title done } } }`
	before := a.gqlOK(A.OwnerToken, snapshotQuery, nil)
	aCursor := a.gqlOK(A.OwnerToken, `{ conversations(first: 1) { pageInfo { endCursor } } }`, nil).str(t, "conversations.pageInfo.endCursor")

	noLeak := func(name string, res gqlResponse) {
		t.Helper()
		body := string(res.Data)
		for _, e := range res.Errors {
			body += e.Message
		}
		require.NotContains(t, body, "Alpha", "%s leaked A's data: %s", name, body)
		for _, id := range aIDs {
			require.NotContains(t, body, id, "%s leaked an A id", name)
		}
	}
	for _, tok := range []string{B.OwnerToken, B.APIKey} {
		// Lookups by id: null and NOT_FOUND, exactly like an id that never existed.
		for _, id := range aIDs {
			res := a.graphql(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes(), "node %s", id)
			require.JSONEq(t, `{"node":null}`, string(res.Data))
			noLeak("node", res)
		}
		res := a.graphql(tok, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": aIDs})
		require.Len(t, res.Errors, len(aIDs))
		noLeak("nodes", res)
		for _, q := range []struct{ query, id string }{
			{`query($id: ID!) { conversation(id: $id) { id } }`, A.ConversationID},
			{`query($id: ID!) { contact(id: $id) { id } }`, A.ContactID},
			{`query($id: ID!) { user(id: $id) { id } }`, A.AgentID},
		} {
			res := a.graphql(tok, q.query, map[string]any{"id": q.id})
			require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes(), q.query)
			noLeak(q.query, res)
		}
		// Listings filtered by A's ids or resumed from A's cursor show nothing of A.
		for _, f := range []map[string]any{{"queueId": A.QueueID}, {"tagId": A.TagID}, {"channelId": A.ChannelID},
			{"contactId": A.ContactID}, {"assigneeId": A.AgentID}, {"text": "Alpha"}} {
			res := a.graphql(tok, `query($f: ConversationFilter) { conversations(first: 10, filter: $f) { nodes { `+conversationFields+` } } }`, map[string]any{"f": f})
			require.Empty(t, res.Errors)
			noLeak("conversations filter", res)
		}
		for _, q := range []string{
			`query($a: String) { conversations(after: $a) { nodes { id contact { name } } } }`,
			`query($a: String) { contacts(after: $a) { nodes { id name } } }`,
			`query($a: String) { users(after: $a) { nodes { id name } } }`,
		} {
			noLeak("cursor", a.graphql(tok, q, map[string]any{"a": aCursor}))
		}
		noLeak("tasks", a.graphql(tok, `query($c: ID, $k: ID) { a: tasks(filter: {conversationId: $c}) { nodes { id } } b: tasks(filter: {contactId: $k}) { nodes { id } } }`,
			map[string]any{"c": A.ConversationID, "k": A.ContactID}))
		noLeak("contacts by tag", a.graphql(tok, `query($t: ID) { contacts(filter: {tagId: $t}) { nodes { id } } users(filter: {queueId: $t}) { nodes { id } } }`,
			map[string]any{"t": A.TagID}))
		noLeak("lists", a.graphql(tok, `{ queues { id members { id } } tags { id } channels { id } users { nodes { id } } contacts { nodes { id } } conversations { nodes { id } } }`, nil))

		// Every mutation with A's ids: NOT_FOUND or a userError, never a change.
		for _, m := range []struct {
			field, input string
			in           map[string]any
		}{
			{"claimConversation", "ClaimConversationInput", map[string]any{"conversationId": A.ConversationID}},
			{"assignConversation", "AssignConversationInput", map[string]any{"conversationId": A.ConversationID, "assigneeId": B.AgentID}},
			{"assignConversation", "AssignConversationInput", map[string]any{"conversationId": B.ConversationID, "assigneeId": A.AgentID}},
			{"transferConversation", "TransferConversationInput", map[string]any{"conversationId": A.ConversationID, "queueId": B.QueueID}},
			{"transferConversation", "TransferConversationInput", map[string]any{"conversationId": B.ConversationID, "queueId": A.QueueID}},
			{"changeConversationStatus", "ChangeConversationStatusInput", map[string]any{"conversationId": A.ConversationID, "status": "CLOSED", "closeReason": "resolved"}},
			{"setConversationPriority", "SetConversationPriorityInput", map[string]any{"conversationId": A.ConversationID, "priority": "LOW"}},
			{"tagConversation", "TagConversationInput", map[string]any{"conversationId": A.ConversationID, "tagId": B.TagID}},
			{"tagConversation", "TagConversationInput", map[string]any{"conversationId": B.ConversationID, "tagId": A.TagID}},
			{"untagConversation", "TagConversationInput", map[string]any{"conversationId": A.ConversationID, "tagId": A.TagID}},
			{"createConversation", "CreateConversationInput", map[string]any{"contactId": A.ContactID}},
			{"createConversation", "CreateConversationInput", map[string]any{"contactId": B.ContactID, "queueId": A.QueueID}},
			{"createConversation", "CreateConversationInput", map[string]any{"contactId": B.ContactID, "channelId": A.ChannelID}},
			{"addNote", "AddNoteInput", map[string]any{"conversationId": A.ConversationID, "body": "x"}},
			{"createTask", "CreateTaskInput", map[string]any{"conversationId": A.ConversationID, "title": "x"}},
			{"createTask", "CreateTaskInput", map[string]any{"contactId": A.ContactID, "title": "x"}},
			{"createTask", "CreateTaskInput", map[string]any{"conversationId": B.ConversationID, "title": "x", "assigneeId": A.AgentID}},
			{"completeTask", "CompleteTaskInput", map[string]any{"taskId": A.TaskID}},
			{"sendTextMessage", "SendTextMessageInput", map[string]any{"conversationId": A.ConversationID, "text": "x"}},
			{"updateContact", "UpdateContactInput", map[string]any{"contactId": A.ContactID, "name": "x"}},
			{"createUser", "CreateUserInput", map[string]any{"email": "x@example.com", "name": "x", "password": testPassword, "queueIds": []string{A.QueueID}}},
			{"updateUser", "UpdateUserInput", map[string]any{"userId": A.AgentID, "name": "x"}},
			{"deactivateUser", "DeactivateUserInput", map[string]any{"userId": A.AgentID}},
			{"updateQueue", "UpdateQueueInput", map[string]any{"queueId": A.QueueID, "name": "x"}},
			{"deleteQueue", "DeleteQueueInput", map[string]any{"queueId": A.OtherQueueID}},
			{"addQueueMember", "QueueMemberInput", map[string]any{"queueId": A.QueueID, "userId": B.AgentID}},
			{"addQueueMember", "QueueMemberInput", map[string]any{"queueId": B.QueueID, "userId": A.AgentID}},
			{"removeQueueMember", "QueueMemberInput", map[string]any{"queueId": A.QueueID, "userId": A.AgentID}},
			{"updateTag", "UpdateTagInput", map[string]any{"tagId": A.TagID, "name": "x"}},
			{"deleteTag", "DeleteTagInput", map[string]any{"tagId": A.TagID}},
			{"updateChannel", "UpdateChannelInput", map[string]any{"channelId": A.ChannelID, "name": "x"}},
			{"deleteChannel", "DeleteChannelInput", map[string]any{"channelId": A.ChannelID}},
			{"revokeApiKey", "RevokeApiKeyInput", map[string]any{"apiKeyId": A.APIKeyID}},
		} {
			q := `mutation($input: ` + m.input + `!) { r: ` + m.field + `(input: $input) { userErrors { code message } } }`
			res := a.graphql(tok, q, map[string]any{"input": m.in})
			noLeak(m.field, res)
			if len(res.Errors) > 0 {
				code := res.errorCodes()[0]
				if tok == B.APIKey && code == "FORBIDDEN" {
					continue // API keys cannot claim; still nothing of A is touched
				}
				require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes(), "%s %v", m.field, m.in)
				continue
			}
			var payload struct {
				R struct{ UserErrors []struct{ Code string } }
			}
			require.NoError(t, json.Unmarshal(res.Data, &payload))
			require.NotEmpty(t, payload.R.UserErrors, "%s %v succeeded across tenants", m.field, m.in)
		}
	}
	require.JSONEq(t, string(before), string(a.gqlOK(A.OwnerToken, snapshotQuery, nil)), "A is unchanged")

	// Nested traversal from B's own objects never reaches A.
	noLeak("traversal", a.graphql(B.OwnerToken, `{ conversations { nodes { contact { conversations { nodes { id contact { name } } } } } } }`, nil))
}

func TestGraphQLRoles(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Roles")
	other := seedConversation(t, a, w, w.ContactID, w.OtherQueueID)

	// An agent sees its queue's conversations only.
	d := a.gqlOK(w.AgentToken, `{ conversations { nodes { id } } }`, nil)
	require.Equal(t, []string{w.ConversationID}, d.ids(t, "conversations.nodes"))
	for _, q := range []string{`query($id: ID!) { conversation(id: $id) { id } }`, `query($id: ID!) { node(id: $id) { id } }`} {
		res := a.graphql(w.AgentToken, q, map[string]any{"id": other})
		require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes(), q)
	}
	res := a.graphql(w.AgentToken, `mutation($id: ID!) { addNote(input: {conversationId: $id, body: "x"}) { note { id } } }`, map[string]any{"id": other})
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes())

	// Agents work their conversations but cannot assign or administer.
	d = a.mutate(w.AgentToken, "claimConversation", "ClaimConversationInput", map[string]any{"conversationId": w.ConversationID}, "conversation { assignee { id } }")
	require.Equal(t, w.AgentID, d.str(t, "claimConversation.conversation.assignee.id"))
	a.mutate(w.AgentToken, "sendTextMessage", "SendTextMessageInput", map[string]any{"conversationId": w.ConversationID, "text": "hola"}, "message { id }")
	a.mutate(w.AgentToken, "updateUser", "UpdateUserInput", map[string]any{"userId": w.AgentID, "availability": "AWAY"}, "user { id }")
	for _, m := range []struct {
		query string
		vars  map[string]any
	}{
		{`mutation($c: ID!, $u: ID) { assignConversation(input: {conversationId: $c, assigneeId: $u}) { userErrors { code } } }`, map[string]any{"c": w.ConversationID, "u": w.OwnerID}},
		{`mutation($u: ID!) { updateUser(input: {userId: $u, role: ADMIN}) { userErrors { code } } }`, map[string]any{"u": w.AgentID}},
		{`mutation($u: ID!) { updateUser(input: {userId: $u, name: "x"}) { userErrors { code } } }`, map[string]any{"u": w.OwnerID}},
		{`mutation { createUser(input: {email: "e@example.com", name: "e", password: "long-enough-pw"}) { userErrors { code } } }`, nil},
		{`mutation { createQueue(input: {name: "q"}) { userErrors { code } } }`, nil},
		{`mutation { createChannel(input: {phoneNumberId: "1", wabaId: "1", displayPhoneNumber: "1"}) { userErrors { code } } }`, nil},
		{`mutation { createApiKey(input: {name: "k"}) { secret userErrors { code } } }`, nil},
		{`mutation { updateWorkspace(input: {name: "x"}) { userErrors { code } } }`, nil},
		{`{ apiKeys { id } }`, nil},
	} {
		res := a.graphql(w.AgentToken, m.query, m.vars)
		require.Equal(t, []string{"FORBIDDEN"}, res.errorCodes(), m.query)
	}

	// A supervisor assigns inside its queues only.
	supID, supToken := a.member(w.tenant, "sup@example.com", domain.RoleSupervisor, w.QueueID)
	d = a.mutate(supToken, "assignConversation", "AssignConversationInput", map[string]any{"conversationId": w.ConversationID, "assigneeId": supID}, "conversation { assignee { id } }")
	require.Equal(t, supID, d.str(t, "assignConversation.conversation.assignee.id"))
	res = a.graphql(supToken, `mutation($c: ID!) { assignConversation(input: {conversationId: $c, assigneeId: null}) { userErrors { code } } }`, map[string]any{"c": other})
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes(), "outside its queues the conversation does not exist for it")

	// An admin may not mint a key above its own role.
	_, adminToken := a.member(w.tenant, "admin@example.com", domain.RoleAdmin)
	res = a.graphql(adminToken, `mutation { createApiKey(input: {name: "k", role: OWNER}) { secret userErrors { code } } }`, nil)
	require.Equal(t, []string{"FORBIDDEN"}, res.errorCodes())
}

func TestGraphQLLimits(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Limits")
	// The first request looks the session up; the next few seconds' reuse
	// the cached answer, so every measured request starts alike.
	a.gqlOK(w.OwnerToken, `{ __typename }`, nil)
	baseline := func() int64 {
		before := a.DB.QueryCount()
		a.gqlOK(w.OwnerToken, `{ __typename }`, nil)
		return a.DB.QueryCount() - before
	}()
	rejected := func(query, code string) {
		t.Helper()
		before := a.DB.QueryCount()
		res := a.graphql(w.OwnerToken, query, nil)
		require.Equal(t, []string{code}, res.errorCodes(), query)
		require.Equal(t, baseline, a.DB.QueryCount()-before, "rejected before any resolver ran")
	}
	deep := "{ conversations(first: 1) { nodes { contact { conversations(first: 1) { nodes { contact { conversations(first: 1) { nodes { contact { conversations(first: 1) { nodes { contact { id } } } } } } } } } } } } }"
	rejected(deep, "DEPTH_LIMIT_EXCEEDED")
	rejected(`{ conversations(first: 100) { nodes { messages(first: 100) { nodes { id text } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED")
	rejected(`{ a: conversations(first: 100) { nodes { contact { conversations(first: 100) { nodes { id } } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED")
	rejected(`{ conversation(id: "x") { id } ...on Query { conversation(id: "y") { id } } }`, "GRAPHQL_VALIDATION_FAILED")
	rejected(`query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`, "GRAPHQL_VALIDATION_FAILED")
	rejected(`{ me { id `+strings.Repeat("__typename ", 20000)+`} }`, "TOKEN_LIMIT_EXCEEDED")

	res := a.do(http.MethodPost, "/graphql", w.OwnerToken, `[{"query":"{ me { id } }"},{"query":"{ me { id } }"}]`)
	require.NotEqual(t, http.StatusOK, res.Status, "array batching is not served")
	res = a.do(http.MethodGet, "/graphql?query=mutation%7BcreateTag(input:%7Bname:%22x%22%7D)%7Btag%7Bid%7D%7D%7D", w.OwnerToken, nil)
	require.NotContains(t, string(res.Body), `"createTag"`, "mutations over GET are not served")
}

func TestGraphQLIntrospectionOff(t *testing.T) {
	a := newTestApp(t, func(c *Config) { off := false; c.GraphQLIntrospection = &off })
	w := seedWorld(t, a, "Prod")
	res := a.graphql(w.OwnerToken, `{ __schema { types { name } } }`, nil)
	require.Equal(t, []string{"INTROSPECTION_DISABLED"}, res.errorCodes())
	res = a.graphql(w.OwnerToken, `{ __type(name: "Conversation") { fields { name } } }`, nil)
	require.Equal(t, []string{"INTROSPECTION_DISABLED"}, res.errorCodes())
	res = a.graphql(w.OwnerToken, `{ conversatio { id } me { emial } }`, nil)
	require.NotEmpty(t, res.Errors)
	for _, e := range res.Errors {
		require.NotContains(t, e.Message, "Did you mean")
	}

	on := newTestApp(t)
	v := seedWorld(t, on, "Dev")
	d := on.gqlOK(v.OwnerToken, `{ __type(name: "Conversation") { name } }`, nil)
	require.Equal(t, "Conversation", d.str(t, "__type.name"))
}

// TestGraphQLNoNPlusOne lists 5 and then 50 conversations with their
// contact, assignee, queue, tags and last message: the number of SQL queries
// must not depend on the page size.
func TestGraphQLNoNPlusOne(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Batch")
	ctx := a.system(w.tenant)
	for i := range 49 {
		c, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: new(fmt.Sprintf("54911990%04d", i))})
		require.NoError(t, err)
		conv := seedConversation(t, a, w, c.ID, w.QueueID)
		_, err = a.Service.Assign(ctx, conv, w.AgentID)
		require.NoError(t, err)
		_, err = a.Service.TagConversation(ctx, conv, w.TagID, true)
		require.NoError(t, err)
		_, err = a.Service.RecordInboundText(ctx, conv, "hola", a.Service.Now())
		require.NoError(t, err)
	}
	wide := `query($n: Int) { conversations(first: $n) { nodes { id status contact { id name } assignee { id name queues { id } }
		queue { id name } channel { id } tags { id name } lastMessage { id text author { id } } } } }`
	inbox := `query($n: Int) { conversations(first: $n) { nodes { id status serviceWindow { open expiresAt } contact { id name } assignee { id name }
		tags { id name } lastMessage { id text } } } }`
	count := func(query string, n int) int64 {
		before := a.DB.QueryCount()
		d := a.gqlOK(w.OwnerToken, query, map[string]any{"n": n})
		require.Len(t, d.list(t, "conversations.nodes"), n)
		return a.DB.QueryCount() - before
	}
	a.gqlOK(w.OwnerToken, `{ __typename }`, nil) // caches the session, as in TestGraphQLLimits
	small := count(inbox, 5)
	for range 3 {
		require.Equal(t, small, count(inbox, 50), "query count grows with page size")
	}
	require.LessOrEqual(t, small, int64(10), "T32 budget, authentication included")
	// When one loader serves two depths (users for assignee and for the last
	// message's author, queues for queue and assignee.queues) batches may
	// split with timing, so the wide query is only held to a bound.
	require.LessOrEqual(t, count(wide, 5), int64(20))
	require.LessOrEqual(t, count(wide, 50), int64(20))
}
