package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mutate runs a mutation that must succeed with no userErrors and returns
// its payload's data.
func (a *testApp) mutate(token, field, inputType string, input map[string]any, selection string) gqlData {
	a.t.Helper()
	q := `mutation($input: ` + inputType + `!) { ` + field + `(input: $input) { ` + selection + ` userErrors { field message code } } }`
	d := a.gqlOK(token, q, map[string]any{"input": input})
	require.Empty(a.t, d.list(a.t, field+".userErrors"), "%s: %s", field, d)
	return d
}

// mutateErr runs a mutation expected to fail with one userError.
func (a *testApp) mutateErr(token, field, inputType string, input map[string]any) (code string, path []any) {
	a.t.Helper()
	q := `mutation($input: ` + inputType + `!) { ` + field + `(input: $input) { userErrors { field message code } } }`
	d := a.gqlOK(token, q, map[string]any{"input": input})
	errs := d.list(a.t, field+".userErrors")
	require.Len(a.t, errs, 1, "%s: %s", field, d)
	e := errs[0].(map[string]any)
	require.NotEmpty(a.t, e["message"])
	p, _ := e["field"].([]any)
	return e["code"].(string), p
}

func TestGraphQLConversationMutations(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Conv")
	tok, conv := w.OwnerToken, w.ConversationID

	d := a.mutate(tok, "createConversation", "CreateConversationInput",
		map[string]any{"contactId": w.ContactID, "queueId": w.OtherQueueID, "priority": "HIGH"}, "conversation { id status priority queue { id } }")
	require.Equal(t, "HIGH", d.str(t, "createConversation.conversation.priority"))
	require.Equal(t, w.OtherQueueID, d.str(t, "createConversation.conversation.queue.id"))

	d = a.mutate(tok, "claimConversation", "ClaimConversationInput", map[string]any{"conversationId": conv},
		"conversation { id status assignee { id } version }")
	require.Equal(t, w.OwnerID, d.str(t, "claimConversation.conversation.assignee.id"))
	require.Equal(t, "OPEN", d.str(t, "claimConversation.conversation.status"))

	d = a.mutate(tok, "assignConversation", "AssignConversationInput", map[string]any{"conversationId": conv, "assigneeId": w.AgentID},
		"conversation { assignee { id } }")
	require.Equal(t, w.AgentID, d.str(t, "assignConversation.conversation.assignee.id"))
	d = a.mutate(tok, "assignConversation", "AssignConversationInput", map[string]any{"conversationId": conv, "assigneeId": nil},
		"conversation { assignee { id } }")
	require.Nil(t, d.get(t, "assignConversation.conversation.assignee"))

	d = a.mutate(tok, "transferConversation", "TransferConversationInput", map[string]any{"conversationId": conv, "queueId": w.OtherQueueID},
		"conversation { queue { id } }")
	require.Equal(t, w.OtherQueueID, d.str(t, "transferConversation.conversation.queue.id"))

	d = a.mutate(tok, "setConversationPriority", "SetConversationPriorityInput", map[string]any{"conversationId": conv, "priority": "URGENT"},
		"conversation { priority }")
	require.Equal(t, "URGENT", d.str(t, "setConversationPriority.conversation.priority"))

	d = a.mutate(tok, "untagConversation", "TagConversationInput", map[string]any{"conversationId": conv, "tagId": w.TagID}, "conversation { tags { id } }")
	require.Empty(t, d.list(t, "untagConversation.conversation.tags"))
	d = a.mutate(tok, "tagConversation", "TagConversationInput", map[string]any{"conversationId": conv, "tagId": w.TagID}, "conversation { tags { id } }")
	require.Equal(t, []string{w.TagID}, d.ids(t, "tagConversation.conversation.tags"))

	d = a.mutate(tok, "sendTextMessage", "SendTextMessageInput", map[string]any{"conversationId": conv, "text": "¿En qué te ayudo?"},
		"message { id text direction authorKind status author { id } }")
	require.Equal(t, "QUEUED", d.str(t, "sendTextMessage.message.status"))
	require.Equal(t, "OUTBOUND", d.str(t, "sendTextMessage.message.direction"))
	require.Equal(t, "AGENT", d.str(t, "sendTextMessage.message.authorKind"))
	require.Equal(t, w.OwnerID, d.str(t, "sendTextMessage.message.author.id"))
	msgID := d.str(t, "sendTextMessage.message.id")
	d = a.gqlOK(tok, `query($id: ID!) { conversation(id: $id) { lastMessage { id } firstHumanResponseAt } }`, map[string]any{"id": conv})
	require.Equal(t, msgID, d.str(t, "conversation.lastMessage.id"))
	require.NotEmpty(t, d.str(t, "conversation.firstHumanResponseAt"))

	d = a.mutate(tok, "changeConversationStatus", "ChangeConversationStatusInput", map[string]any{"conversationId": conv, "status": "PENDING_CUSTOMER"},
		"conversation { status }")
	require.Equal(t, "PENDING_CUSTOMER", d.str(t, "changeConversationStatus.conversation.status"))
	d = a.mutate(tok, "changeConversationStatus", "ChangeConversationStatusInput",
		map[string]any{"conversationId": conv, "status": "CLOSED", "closeReason": "resolved"}, "conversation { status closeReason closedAt version }")
	require.Equal(t, "resolved", d.str(t, "changeConversationStatus.conversation.closeReason"))
	require.NotEmpty(t, d.str(t, "changeConversationStatus.conversation.closedAt"))
	version := d.get(t, "changeConversationStatus.conversation.version")

	// userErrors: bad input and refused transitions write nothing.
	code, path := a.mutateErr(tok, "changeConversationStatus", "ChangeConversationStatusInput",
		map[string]any{"conversationId": conv, "status": "PENDING_CUSTOMER"})
	require.Equal(t, "CONFLICT", code)
	require.Equal(t, []any{"input", "status"}, path)
	code, _ = a.mutateErr(tok, "sendTextMessage", "SendTextMessageInput", map[string]any{"conversationId": conv, "text": "hola"})
	require.Equal(t, "CONFLICT", code)
	d = a.gqlOK(tok, `query($id: ID!) { conversation(id: $id) { version status } }`, map[string]any{"id": conv})
	require.Equal(t, version, d.get(t, "conversation.version"))
	require.Equal(t, "CLOSED", d.str(t, "conversation.status"))

	d = a.mutate(tok, "changeConversationStatus", "ChangeConversationStatusInput", map[string]any{"conversationId": conv, "status": "OPEN"},
		"conversation { status closeReason closedAt }")
	require.Equal(t, "OPEN", d.str(t, "changeConversationStatus.conversation.status"))
	require.Nil(t, d.get(t, "changeConversationStatus.conversation.closedAt"))
}

func TestGraphQLConversationUserErrors(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Errs")
	tok, conv := w.OwnerToken, w.ConversationID
	snapshot := `query($id: ID!) { conversation(id: $id) { version status priority queue { id } assignee { id } tags { id }
		notes { nodes { id } } tasks { nodes { id } } messages { nodes { id } } } }`
	before := a.gqlOK(tok, snapshot, map[string]any{"id": conv})
	for _, c := range []struct {
		field, input string
		in           map[string]any
		code         string
		path         []any
	}{
		{"changeConversationStatus", "ChangeConversationStatusInput", map[string]any{"conversationId": conv, "status": "CLOSED"}, "BAD_USER_INPUT", []any{"input", "closeReason"}},
		{"sendTextMessage", "SendTextMessageInput", map[string]any{"conversationId": conv, "text": "   "}, "BAD_USER_INPUT", []any{"input", "text"}},
		{"assignConversation", "AssignConversationInput", map[string]any{"conversationId": conv, "assigneeId": "usr_00000000000000000000000000"}, "BAD_USER_INPUT", []any{"input", "assigneeId"}},
		{"transferConversation", "TransferConversationInput", map[string]any{"conversationId": conv, "queueId": "que_00000000000000000000000000"}, "BAD_USER_INPUT", []any{"input", "queueId"}},
		{"addNote", "AddNoteInput", map[string]any{"conversationId": conv, "body": ""}, "BAD_USER_INPUT", []any{"input", "body"}},
		{"createTask", "CreateTaskInput", map[string]any{"conversationId": conv, "title": ""}, "BAD_USER_INPUT", []any{"input", "title"}},
		{"createContact", "CreateContactInput", map[string]any{"name": "nobody"}, "BAD_USER_INPUT", []any{"input", "waId"}},
		{"createContact", "CreateContactInput", map[string]any{"waId": "+54 9"}, "BAD_USER_INPUT", []any{"input", "waId"}},
		{"createUser", "CreateUserInput", map[string]any{"email": "not-an-email", "name": "x", "password": "long-enough-pw"}, "BAD_USER_INPUT", []any{"input", "email"}},
		{"createUser", "CreateUserInput", map[string]any{"email": "x@example.com", "name": "x", "password": "short"}, "BAD_USER_INPUT", []any{"input", "password"}},
		{"createTag", "CreateTagInput", map[string]any{"name": "red", "color": "red"}, "BAD_USER_INPUT", []any{"input", "color"}},
		{"createChannel", "CreateChannelInput", map[string]any{"phoneNumberId": "abc", "wabaId": "1", "displayPhoneNumber": "+1"}, "BAD_USER_INPUT", []any{"input", "phoneNumberId"}},
		{"updateWorkspace", "UpdateWorkspaceInput", map[string]any{"timezone": "Mars/Olympus"}, "BAD_USER_INPUT", []any{"input", "timezone"}},
		{"createApiKey", "CreateApiKeyInput", map[string]any{"name": "k", "expiresAt": "2001-01-01T00:00:00Z"}, "BAD_USER_INPUT", []any{"input", "expiresAt"}},
		{"createQueue", "CreateQueueInput", map[string]any{"name": " "}, "BAD_USER_INPUT", []any{"input", "name"}},
	} {
		code, path := a.mutateErr(tok, c.field, c.input, c.in)
		require.Equal(t, c.code, code, c.field)
		require.Equal(t, c.path, path, c.field)
	}
	res := a.graphql(tok, `mutation($c: ID!) { tagConversation(input: {conversationId: $c, tagId: "tag_00000000000000000000000000"}) { userErrors { code } } }`,
		map[string]any{"c": conv})
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes(), "an unknown tag does not exist")
	// Nothing was written.
	require.JSONEq(t, string(before), string(a.gqlOK(tok, snapshot, map[string]any{"id": conv})))
}

func TestGraphQLNotesTasksContacts(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Work")
	tok := w.OwnerToken

	d := a.mutate(tok, "addNote", "AddNoteInput", map[string]any{"conversationId": w.ConversationID, "body": "prometió llamar"},
		"note { id body author { id } createdAt }")
	require.Equal(t, w.OwnerID, d.str(t, "addNote.note.author.id"))

	due := time.Now().UTC().Add(24 * time.Hour).Format(time.RFC3339)
	d = a.mutate(tok, "createTask", "CreateTaskInput", map[string]any{"conversationId": w.ConversationID, "title": "Enviar cotización",
		"dueAt": due, "assigneeId": w.AgentID}, "task { id title done dueAt assignee { id } conversation { id } contact { id } }")
	taskID := d.str(t, "createTask.task.id")
	require.Equal(t, w.AgentID, d.str(t, "createTask.task.assignee.id"))
	require.Equal(t, w.ContactID, d.str(t, "createTask.task.contact.id"))
	d = a.mutate(tok, "createTask", "CreateTaskInput", map[string]any{"contactId": w.ContactID, "title": "Saludar"}, "task { id conversation { id } contact { id } }")
	require.Nil(t, d.get(t, "createTask.task.conversation"))

	d = a.mutate(tok, "completeTask", "CompleteTaskInput", map[string]any{"taskId": taskID}, "task { done doneAt }")
	require.Equal(t, true, d.get(t, "completeTask.task.done"))
	d = a.mutate(tok, "completeTask", "CompleteTaskInput", map[string]any{"taskId": taskID, "done": false}, "task { done doneAt }")
	require.Equal(t, false, d.get(t, "completeTask.task.done"))
	require.Nil(t, d.get(t, "completeTask.task.doneAt"))

	d = a.mutate(tok, "createContact", "CreateContactInput", map[string]any{"waId": "5215512345678", "name": "Beto",
		"email": "Beto@Example.com", "customAttributes": map[string]any{"plan": "gold", "seats": 3}},
		"contact { id waId name email customAttributes }")
	contactID := d.str(t, "createContact.contact.id")
	require.Equal(t, "beto@example.com", d.str(t, "createContact.contact.email"))
	require.Equal(t, "gold", d.str(t, "createContact.contact.customAttributes.plan"))
	code, _ := a.mutateErr(tok, "createContact", "CreateContactInput", map[string]any{"waId": "5215512345678"})
	require.Equal(t, "CONFLICT", code)

	d = a.mutate(tok, "updateContact", "UpdateContactInput", map[string]any{"contactId": contactID, "name": "Beto Pérez"},
		"contact { name waId customAttributes }")
	require.Equal(t, "Beto Pérez", d.str(t, "updateContact.contact.name"))
	require.Equal(t, "5215512345678", d.str(t, "updateContact.contact.waId"), "omitted fields are kept")
	require.Equal(t, "gold", d.str(t, "updateContact.contact.customAttributes.plan"))
}

func TestGraphQLAdminMutations(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "Admin")
	tok := w.OwnerToken

	d := a.mutate(tok, "createQueue", "CreateQueueInput", map[string]any{"name": "Cobranzas", "description": "pagos"}, "queue { id name description members { id } }")
	queueID := d.str(t, "createQueue.queue.id")
	d = a.mutate(tok, "updateQueue", "UpdateQueueInput", map[string]any{"queueId": queueID, "name": "Cobranza"}, "queue { name description }")
	require.Equal(t, "Cobranza", d.str(t, "updateQueue.queue.name"))
	require.Equal(t, "pagos", d.str(t, "updateQueue.queue.description"))

	d = a.mutate(tok, "createUser", "CreateUserInput", map[string]any{"email": "sup@example.com", "name": "Sup", "password": testPassword,
		"role": "SUPERVISOR", "capacity": 5, "queueIds": []string{queueID}}, "user { id email role capacity active queues { id } }")
	userID := d.str(t, "createUser.user.id")
	require.Equal(t, "SUPERVISOR", d.str(t, "createUser.user.role"))
	require.Equal(t, []string{queueID}, d.ids(t, "createUser.user.queues"))
	code, _ := a.mutateErr(tok, "createUser", "CreateUserInput", map[string]any{"email": "sup@example.com", "name": "Dup", "password": testPassword})
	require.Equal(t, "CONFLICT", code)

	d = a.mutate(tok, "addQueueMember", "QueueMemberInput", map[string]any{"queueId": w.OtherQueueID, "userId": userID}, "queue { members { id } }")
	require.Contains(t, d.ids(t, "addQueueMember.queue.members"), userID)
	d = a.mutate(tok, "removeQueueMember", "QueueMemberInput", map[string]any{"queueId": w.OtherQueueID, "userId": userID}, "queue { members { id } }")
	require.NotContains(t, d.ids(t, "removeQueueMember.queue.members"), userID)

	d = a.mutate(tok, "updateUser", "UpdateUserInput", map[string]any{"userId": userID, "name": "Supervisora", "availability": "ONLINE",
		"capacity": 8, "role": "AGENT"}, "user { name availability capacity role }")
	require.Equal(t, "Supervisora", d.str(t, "updateUser.user.name"))
	require.Equal(t, "ONLINE", d.str(t, "updateUser.user.availability"))
	require.Equal(t, "AGENT", d.str(t, "updateUser.user.role"))
	d = a.mutate(tok, "deactivateUser", "DeactivateUserInput", map[string]any{"userId": userID}, "user { active }")
	require.Equal(t, false, d.get(t, "deactivateUser.user.active"))

	d = a.mutate(tok, "deleteQueue", "DeleteQueueInput", map[string]any{"queueId": queueID}, "deletedQueueId")
	require.Equal(t, queueID, d.str(t, "deleteQueue.deletedQueueId"))
	code, _ = a.mutateErr(tok, "deleteQueue", "DeleteQueueInput", map[string]any{"queueId": w.QueueID})
	require.Equal(t, "CONFLICT", code, "a queue with conversations cannot be deleted")

	d = a.mutate(tok, "createTag", "CreateTagInput", map[string]any{"name": "moroso", "color": "#AABBCC"}, "tag { id name color }")
	tagID := d.str(t, "createTag.tag.id")
	require.Equal(t, "#aabbcc", d.str(t, "createTag.tag.color"))
	d = a.mutate(tok, "updateTag", "UpdateTagInput", map[string]any{"tagId": tagID, "name": "deudor"}, "tag { name }")
	require.Equal(t, "deudor", d.str(t, "updateTag.tag.name"))
	d = a.mutate(tok, "deleteTag", "DeleteTagInput", map[string]any{"tagId": tagID}, "deletedTagId")
	require.Equal(t, tagID, d.str(t, "deleteTag.deletedTagId"))

	d = a.mutate(tok, "createChannel", "CreateChannelInput", map[string]any{"phoneNumberId": "99887766", "wabaId": "5544",
		"displayPhoneNumber": "+51 999 888 777", "mode": "REDIRECT"}, "channel { id name mode phoneNumberId }")
	channelID := d.str(t, "createChannel.channel.id")
	require.Equal(t, "REDIRECT", d.str(t, "createChannel.channel.mode"))
	require.Equal(t, "+51 999 888 777", d.str(t, "createChannel.channel.name"))
	d = a.mutate(tok, "updateChannel", "UpdateChannelInput", map[string]any{"channelId": channelID, "name": "Legacy", "mode": "OFFICIAL"}, "channel { name mode }")
	require.Equal(t, "Legacy", d.str(t, "updateChannel.channel.name"))
	d = a.mutate(tok, "deleteChannel", "DeleteChannelInput", map[string]any{"channelId": channelID}, "deletedChannelId")
	require.Equal(t, channelID, d.str(t, "deleteChannel.deletedChannelId"))

	d = a.mutate(tok, "updateWorkspace", "UpdateWorkspaceInput", map[string]any{"name": "Admin SA", "timezone": "America/Mexico_City", "locale": "es-MX"},
		"workspace { name timezone locale }")
	require.Equal(t, "America/Mexico_City", d.str(t, "updateWorkspace.workspace.timezone"))

	d = a.mutate(tok, "createApiKey", "CreateApiKeyInput", map[string]any{"name": "crm", "role": "AGENT"}, "apiKey { id name role prefix revokedAt } secret")
	keyID, secret := d.str(t, "createApiKey.apiKey.id"), d.str(t, "createApiKey.secret")
	require.NotEmpty(t, secret)
	require.Contains(t, secret, d.str(t, "createApiKey.apiKey.prefix"))
	require.Equal(t, w.WorkspaceID, a.gqlOK(secret, `{ workspace { id } }`, nil).str(t, "workspace.id"))
	d = a.mutate(tok, "revokeApiKey", "RevokeApiKeyInput", map[string]any{"apiKeyId": keyID}, "apiKey { id revokedAt }")
	require.NotEmpty(t, d.str(t, "revokeApiKey.apiKey.revokedAt"))
	require.Equal(t, http.StatusUnauthorized, a.graphql(secret, `{ workspace { id } }`, nil).HTTPStatus)
	require.NotContains(t, string(a.gqlOK(tok, `{ apiKeys { id name prefix } }`, nil)), secret)
}
