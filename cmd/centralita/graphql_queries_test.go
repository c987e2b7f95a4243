package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

const conversationFields = `id status priority closeReason version createdAt updatedAt lastActivityAt
	firstHumanResponseAt lastCustomerMessageAt closedAt
	contact { id name waId } channel { id name mode } queue { id name } assignee { id }
	tags { id name color }
	lastMessage { id text direction authorKind type status author { id } }
	messages(first: 10) { nodes { id text } pageInfo { hasNextPage endCursor } }
	notes(first: 5) { nodes { id body author { id } } }
	tasks(first: 5) { nodes { id title done conversation { id } contact { id } } }`

func TestGraphQLQueries(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Acme")
	tok := w.OwnerToken

	d := a.gqlOK(tok, `{ me { id email role availability capacity active queues { id } } workspace { id name timezone locale } }`, nil)
	require.Equal(t, w.OwnerID, d.str(t, "me.id"))
	require.Equal(t, "OWNER", d.str(t, "me.role"))
	require.Equal(t, w.WorkspaceID, d.str(t, "workspace.id"))

	d = a.gqlOK(tok, `{ conversations(first: 10) { edges { cursor node { `+conversationFields+` } } nodes { id } pageInfo { hasNextPage endCursor } } }`, nil)
	node := "conversations.edges.0.node."
	require.Equal(t, w.ConversationID, d.str(t, node+"id"))
	require.Equal(t, "NEW", d.str(t, node+"status"))
	require.Equal(t, "NORMAL", d.str(t, node+"priority"))
	require.Nil(t, d.get(t, node+"closeReason"))
	require.Equal(t, w.ContactID, d.str(t, node+"contact.id"))
	require.Equal(t, "Acme Ana", d.str(t, node+"contact.name"))
	require.Equal(t, w.ChannelID, d.str(t, node+"channel.id"))
	require.Equal(t, "OFFICIAL", d.str(t, node+"channel.mode"))
	require.Equal(t, w.QueueID, d.str(t, node+"queue.id"))
	require.Nil(t, d.get(t, node+"assignee"))
	require.Equal(t, []string{w.TagID}, d.ids(t, node+"tags"))
	require.Equal(t, w.MessageID, d.str(t, node+"lastMessage.id"))
	require.Equal(t, "INBOUND", d.str(t, node+"lastMessage.direction"))
	require.Equal(t, "CONTACT", d.str(t, node+"lastMessage.authorKind"))
	require.Equal(t, "RECEIVED", d.str(t, node+"lastMessage.status"))
	require.Equal(t, []string{w.MessageID}, d.ids(t, node+"messages.nodes"))
	require.Equal(t, []string{w.NoteID}, d.ids(t, node+"notes.nodes"))
	require.Equal(t, []string{w.TaskID}, d.ids(t, node+"tasks.nodes"))
	require.NotEmpty(t, d.str(t, node+"lastCustomerMessageAt"))
	_, err := time.Parse(time.RFC3339, d.str(t, node+"createdAt"))
	require.NoError(t, err)
	require.NotEmpty(t, d.str(t, "conversations.edges.0.cursor"))
	require.Equal(t, []string{w.ConversationID}, d.ids(t, "conversations.nodes"))
	require.Equal(t, false, d.get(t, "conversations.pageInfo.hasNextPage"))

	for name, filter := range map[string]map[string]any{
		"status":     {"status": []string{"NEW", "OPEN"}},
		"queue":      {"queueId": w.QueueID},
		"tag":        {"tagId": w.TagID},
		"channel":    {"channelId": w.ChannelID},
		"contact":    {"contactId": w.ContactID},
		"text":       {"text": "Acme Ana"},
		"unassigned": {"unassigned": true},
	} {
		d = a.gqlOK(tok, `query($f: ConversationFilter) { conversations(filter: $f) { nodes { id } } }`, map[string]any{"f": filter})
		require.Equal(t, []string{w.ConversationID}, d.ids(t, "conversations.nodes"), name)
	}
	for name, filter := range map[string]map[string]any{
		"status":   {"status": []string{"CLOSED"}},
		"queue":    {"queueId": w.OtherQueueID},
		"assignee": {"assigneeId": w.AgentID},
	} {
		d = a.gqlOK(tok, `query($f: ConversationFilter) { conversations(filter: $f) { nodes { id } } }`, map[string]any{"f": filter})
		require.Empty(t, d.list(t, "conversations.nodes"), name)
	}

	d = a.gqlOK(tok, `query($id: ID!) { conversation(id: $id) { id contact { id } } }`, map[string]any{"id": w.ConversationID})
	require.Equal(t, w.ConversationID, d.str(t, "conversation.id"))

	d = a.gqlOK(tok, `{ contacts(filter: {text: "Acme"}) { nodes { id waId phoneE164 name email customAttributes tags { id } } pageInfo { hasNextPage } } }`, nil)
	require.Equal(t, []string{w.ContactID}, d.ids(t, "contacts.nodes"))
	require.Nil(t, d.get(t, "contacts.nodes.0.email"))
	d = a.gqlOK(tok, `query($id: ID!) { contact(id: $id) { id conversations { nodes { id } } } }`, map[string]any{"id": w.ContactID})
	require.Equal(t, []string{w.ConversationID}, d.ids(t, "contact.conversations.nodes"))

	d = a.gqlOK(tok, `{ queues { id name description members { id } } tags { id name color } channels { id phoneNumberId wabaId displayPhoneNumber } apiKeys { id name role prefix createdBy { id } revokedAt } }`, nil)
	require.ElementsMatch(t, []string{w.QueueID, w.OtherQueueID, a.defaultQueueOf(w.tenant)}, d.ids(t, "queues"))
	require.Equal(t, []string{w.TagID}, d.ids(t, "tags"))
	require.Equal(t, "#112233", d.str(t, "tags.0.color"))
	require.Equal(t, []string{w.ChannelID}, d.ids(t, "channels"))
	require.Equal(t, []string{w.APIKeyID}, d.ids(t, "apiKeys"))
	require.NotContains(t, string(d), "SecretHash")
	require.NotContains(t, string(d), "secretHash")

	d = a.gqlOK(tok, `{ users(first: 10) { nodes { id role queues { id } } } agents: users(filter: {role: AGENT}) { nodes { id } } }`, nil)
	require.ElementsMatch(t, []string{w.OwnerID, w.AgentID}, d.ids(t, "users.nodes"))
	require.Equal(t, []string{w.AgentID}, d.ids(t, "agents.nodes"))
	d = a.gqlOK(tok, `query($id: ID!) { user(id: $id) { id queues { id } } }`, map[string]any{"id": w.AgentID})
	require.Equal(t, []string{w.QueueID}, d.ids(t, "user.queues"))

	d = a.gqlOK(tok, `query($c: ID) { tasks(filter: {conversationId: $c}) { nodes { id title } } all: tasks { nodes { id } } }`,
		map[string]any{"c": w.ConversationID})
	require.Equal(t, []string{w.TaskID}, d.ids(t, "tasks.nodes"))
	require.Equal(t, []string{w.TaskID}, d.ids(t, "all.nodes"))
}

func TestGraphQLNodeLookup(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Nodes")
	typed := map[string]string{w.ConversationID: "Conversation", w.ContactID: "Contact", w.OwnerID: "User",
		w.QueueID: "Queue", w.TagID: "Tag", w.ChannelID: "Channel", w.TaskID: "Task", w.WorkspaceID: "Workspace",
		w.APIKeyID: "ApiKey", w.MessageID: "Message", w.NoteID: "Note"}
	var ids []string
	for id, typ := range typed {
		d := a.gqlOK(w.OwnerToken, `query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": id})
		require.Equal(t, typ, d.str(t, "node.__typename"))
		require.Equal(t, id, d.str(t, "node.id"))
		ids = append(ids, id)
	}
	d := a.gqlOK(w.OwnerToken, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids})
	require.Equal(t, ids, d.ids(t, "nodes"))

	missing := domain.NewID(domain.PrefixConversation)
	res := a.graphql(w.OwnerToken, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{w.ContactID, missing}})
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes())
	require.Equal(t, []any{"nodes", float64(1)}, res.Errors[0].Path)
	require.JSONEq(t, `{"nodes":[{"id":"`+w.ContactID+`"},null]}`, string(res.Data))
}

func TestGraphQLPagination(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Pages")
	want := []string{w.ConversationID}
	for range 6 {
		want = append(want, seedConversation(t, a, w, w.ContactID, w.QueueID))
	}
	for i := range 5 {
		_, err := a.Service.RecordInboundText(a.system(w.tenant), w.ConversationID, "m", time.Now().UTC().Add(time.Duration(i)*time.Millisecond))
		require.NoError(t, err)
	}

	walk := func(query, path string, first int) []string {
		var got []string
		var after any
		for page := 0; page < 20; page++ {
			d := a.gqlOK(w.OwnerToken, query, map[string]any{"first": first, "after": after})
			edges := d.list(t, path+".edges")
			for i := range edges {
				got = append(got, d.str(t, path+".edges."+strconv.Itoa(i)+".node.id"))
			}
			if d.get(t, path+".pageInfo.hasNextPage") != true {
				return got
			}
			after = d.str(t, path+".pageInfo.endCursor")
		}
		t.Fatal("pagination does not end")
		return nil
	}
	convs := walk(`query($first: Int, $after: String) { conversations(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, "conversations", 3)
	require.ElementsMatch(t, want, convs, "every conversation exactly once")
	require.Len(t, convs, len(want))
	all := a.gqlOK(w.OwnerToken, `{ conversations { nodes { id } } }`, nil).ids(t, "conversations.nodes")
	require.Equal(t, all, convs, "pages follow the single-page order")

	// Resuming from any edge's cursor continues right after that edge.
	d := a.gqlOK(w.OwnerToken, `{ conversations(first: 4) { edges { cursor } } }`, nil)
	mid := d.str(t, "conversations.edges.1.cursor")
	d = a.gqlOK(w.OwnerToken, `query($a: String) { conversations(first: 2, after: $a) { nodes { id } } }`, map[string]any{"a": mid})
	require.Equal(t, all[2:4], d.ids(t, "conversations.nodes"))

	msgs := walk(`query($first: Int, $after: String) { conversation(id: "`+w.ConversationID+`") { messages(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`, "conversation.messages", 2)
	require.Len(t, msgs, 6)
	require.Equal(t, w.MessageID, msgs[len(msgs)-1], "messages are newest first")

	res := a.graphql(w.OwnerToken, `{ conversations(first: 101) { nodes { id } } }`, nil)
	require.Equal(t, []string{"BAD_USER_INPUT"}, res.errorCodes())
	require.Equal(t, "first", res.Errors[0].Extensions["field"])
	res = a.graphql(w.OwnerToken, `{ conversations(after: "not-a-cursor") { nodes { id } } }`, nil)
	require.Equal(t, []string{"BAD_USER_INPUT"}, res.errorCodes())
}
