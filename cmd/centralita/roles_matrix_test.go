package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain/access"
)

// matrixTarget is what one case acts on: a fresh conversation and, for
// task actions, one of its tasks.
type matrixTarget struct {
	conv, task string
}

// matrixAction is one action through both APIs.
type matrixAction struct {
	name   string
	action access.Action
	// task: which task of the conversation the action completes: "none"
	// (not a task action), "unassigned", "caller" or "colleague".
	task   string
	tagged bool // the conversation starts tagged (untag)
	// changes: an allowed call moves the conversation's version.
	changes bool
	rest    func(w *matrixWorld, c matrixCaller, x matrixTarget) (method, path string, body any)
	gql     string
	vars    func(w *matrixWorld, c matrixCaller, x matrixTarget) map[string]any
}

func conv(x matrixTarget) map[string]any { return map[string]any{"id": x.conv} }

var matrixActions = []matrixAction{
	{name: "read", action: access.Read, task: "none",
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodGet, "/v1/conversations/" + x.conv, nil
		},
		gql:  `query($id: ID!) { r: conversation(id: $id) { id } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any { return conv(x) }},
	{name: "reply", action: access.Reply, task: "none",
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPost, "/v1/conversations/" + x.conv + "/messages", map[string]any{"text": "hola"}
		},
		gql:  `mutation($id: ID!) { r: sendTextMessage(input: {conversationId: $id, text: "hola"}) { userErrors { code } } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any { return conv(x) }},
	{name: "note", action: access.Note, task: "none",
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPost, "/v1/conversations/" + x.conv + "/notes", map[string]any{"body": "ojo"}
		},
		gql:  `mutation($id: ID!) { r: addNote(input: {conversationId: $id, body: "ojo"}) { userErrors { code } } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any { return conv(x) }},
	{name: "tag", action: access.Tag, task: "none", changes: true,
		rest: func(w *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPut, "/v1/conversations/" + x.conv + "/tags/" + w.tag, nil
		},
		gql: `mutation($id: ID!, $tag: ID!) { r: tagConversation(input: {conversationId: $id, tagId: $tag}) { userErrors { code } } }`,
		vars: func(w *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any {
			return map[string]any{"id": x.conv, "tag": w.tag}
		}},
	{name: "untag", action: access.Tag, task: "none", tagged: true, changes: true,
		rest: func(w *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodDelete, "/v1/conversations/" + x.conv + "/tags/" + w.tag, nil
		},
		gql: `mutation($id: ID!, $tag: ID!) { r: untagConversation(input: {conversationId: $id, tagId: $tag}) { userErrors { code } } }`,
		vars: func(w *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any {
			return map[string]any{"id": x.conv, "tag": w.tag}
		}},
	{name: "priority", action: access.Priority, task: "none", changes: true,
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPatch, "/v1/conversations/" + x.conv, map[string]any{"priority": "urgent"}
		},
		gql:  `mutation($id: ID!) { r: setConversationPriority(input: {conversationId: $id, priority: URGENT}) { userErrors { code } } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any { return conv(x) }},
	{name: "close", action: access.Status, task: "none", changes: true,
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPost, "/v1/conversations/" + x.conv + "/status",
				map[string]any{"status": "closed", "close_reason": "resolved"}
		},
		gql:  `mutation($id: ID!) { r: changeConversationStatus(input: {conversationId: $id, status: CLOSED, closeReason: "resolved"}) { userErrors { code } } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any { return conv(x) }},
	{name: "claim", action: access.Claim, task: "none",
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPost, "/v1/conversations/" + x.conv + "/claim", nil
		},
		gql:  `mutation($id: ID!) { r: claimConversation(input: {conversationId: $id}) { userErrors { code } } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any { return conv(x) }},
	{name: "assign", action: access.Assign, task: "none", changes: true,
		rest: func(w *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPost, "/v1/conversations/" + x.conv + "/assign", map[string]any{"assignee_id": w.target}
		},
		gql: `mutation($id: ID!, $to: ID!) { r: assignConversation(input: {conversationId: $id, assigneeId: $to}) { userErrors { code } } }`,
		vars: func(w *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any {
			return map[string]any{"id": x.conv, "to": w.target}
		}},
	{name: "transfer", action: access.Transfer, task: "none", changes: true,
		rest: func(w *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPost, "/v1/conversations/" + x.conv + "/transfer",
				map[string]any{"queue_id": w.elsewhere, "note": "a otra cola"}
		},
		gql: `mutation($id: ID!, $q: ID!) { r: transferConversation(input: {conversationId: $id, queueId: $q, note: "a otra cola"}) { userErrors { code } } }`,
		vars: func(w *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any {
			return map[string]any{"id": x.conv, "q": w.elsewhere}
		}},
	{name: "create_task", action: access.CreateTask, task: "none",
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPost, "/v1/conversations/" + x.conv + "/tasks", map[string]any{"title": "volver a llamar"}
		},
		gql:  `mutation($id: ID!) { r: createTask(input: {conversationId: $id, title: "volver a llamar"}) { userErrors { code } } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any { return conv(x) }},
}

// completeTask builds the complete-task action for one kind of task.
func completeTask(kind string) matrixAction {
	return matrixAction{name: "complete_task_" + kind, action: access.CompleteTask, task: kind,
		rest: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) (string, string, any) {
			return http.MethodPatch, "/v1/tasks/" + x.task, map[string]any{"done": true}
		},
		gql: `mutation($task: ID!) { r: completeTask(input: {taskId: $task, done: true}) { userErrors { code } } }`,
		vars: func(_ *matrixWorld, _ matrixCaller, x matrixTarget) map[string]any {
			return map[string]any{"task": x.task}
		}}
}

// expected is what the access table says the answer must be.
func (m matrixAction) expected(w *matrixWorld, c matrixCaller, rel access.Relation) string {
	if !access.Visible(c.role, rel) {
		return "hidden"
	}
	r := rel
	switch m.task {
	case "caller":
		r = access.RelateTask(c.id, c.id, rel)
	case "colleague":
		r = access.RelateTask(c.id, w.colleague, rel)
	case "unassigned":
		r = access.RelateTask(c.id, "", rel)
	}
	if access.Decide(c.role, m.action, r) != access.Allowed {
		return access.Decide(c.role, m.action, r).String()
	}
	if m.action == access.Claim && rel == access.Colleague {
		return "conflict" // allowed to claim, but someone holds it
	}
	return "allowed"
}

// target opens a fresh conversation for one call, with the task asked for.
func (m matrixAction) target(w *matrixWorld, c matrixCaller, rel access.Relation) matrixTarget {
	x := matrixTarget{conv: w.conversation(c, rel, m.tagged).ID}
	switch m.task {
	case "caller":
		x.task = w.task(x.conv, c.id)
	case "colleague":
		x.task = w.task(x.conv, w.colleague)
	case "unassigned":
		x.task = w.task(x.conv, "")
	}
	return x
}

// TestRoleMatrix calls every action as every role on a conversation in
// every relation to the caller (theirs, unassigned in their queue, a
// colleague's in their queue, another queue's), through REST and through
// GraphQL, and checks both answer what domain/access says and that a
// refusal writes nothing.
func TestRoleMatrix(t *testing.T) {
	a := newTestApp(t)
	w := seedMatrixWorld(t, a)
	actions := append(slicesClone(matrixActions), completeTask("unassigned"), completeTask("caller"), completeTask("colleague"))
	for _, c := range w.callers {
		for _, m := range actions {
			for _, rel := range access.Relations {
				want := m.expected(w, c, rel)
				t.Run(fmt.Sprintf("%s/%s/%s", c.role, m.name, rel), func(t *testing.T) {
					w.t = t
					check := func(api, got string, x matrixTarget, before matrixSnapshot) {
						require.Equal(t, want, got, "%s", api)
						after := w.snapshot(x.conv)
						if want != "allowed" {
							require.Equal(t, before, after, "%s: a refused call wrote something", api)
						} else if m.changes {
							require.Greater(t, after.Version, before.Version, "%s: the change moved the version", api)
							require.False(t, after.UpdatedAt.Before(before.UpdatedAt), "%s: updated_at went back", api)
						}
					}
					x := m.target(w, c, rel)
					before := w.snapshot(x.conv)
					method, path, body := m.rest(w, c, x)
					res := a.do(method, path, c.token, body)
					check("REST", restOutcome(res), x, before)

					if want == "allowed" {
						// Refused, the conversation is as it was: reuse it.
						x = m.target(w, c, rel)
						before = w.snapshot(x.conv)
					}
					g := a.graphql(c.token, m.gql, m.vars(w, c, x))
					check("GraphQL", gqlOutcome(t, g), x, before)
				})
			}
		}
	}
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }
