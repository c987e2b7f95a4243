package main

// Helpers for the role matrix: one seeded workspace with a caller of each
// role, and fresh conversations standing in a chosen relation to a caller.

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/domain/access"
)

type matrixCaller struct {
	role  access.Role
	id    string
	token string
}

// matrixWorld: every caller belongs to queue Mine; Other is a queue none of
// them is in, Elsewhere the transfers' destination. Colleague is another
// agent of Mine, Target the user assignments go to.
type matrixWorld struct {
	t                      *testing.T
	a                      *testApp
	ctx                    context.Context
	mine, other, elsewhere string
	tag                    string
	colleague, target      string
	callers                []matrixCaller
	seq                    int
}

func seedMatrixWorld(t *testing.T, a *testApp) *matrixWorld {
	tn := a.bootstrap("Matrix Co")
	w := &matrixWorld{t: t, a: a, ctx: a.system(tn)}
	queue := func(name string) string {
		q, err := a.Service.CreateQueue(w.ctx, domain.QueueInput{Name: valuePtr(name)})
		require.NoError(t, err)
		return q.ID
	}
	w.mine, w.other, w.elsewhere = queue("Mine"), queue("Other"), queue("Elsewhere")
	tag, err := a.Service.CreateTag(w.ctx, domain.TagInput{Name: valuePtr("vip")})
	require.NoError(t, err)
	w.tag = tag.ID
	a.channel(tn, fakeNumberID)
	w.colleague, _ = a.member(tn, "colleague@matrix.test", domain.RoleAgent, w.mine)
	w.target, _ = a.member(tn, "target@matrix.test", domain.RoleAgent, w.mine)
	_, err = a.Service.UpdateUser(w.ctx, tn.OwnerID, domain.UserUpdate{QueueIDs: &[]string{w.mine}})
	require.NoError(t, err)
	w.callers = append(w.callers, matrixCaller{access.Owner, tn.OwnerID, a.login(tn.OwnerEmail, testPassword)})
	for _, role := range []access.Role{access.Admin, access.Supervisor, access.Agent} {
		id, tok := a.member(tn, string(role)+"@matrix.test", domain.Role(role), w.mine)
		w.callers = append(w.callers, matrixCaller{role, id, tok})
	}
	return w
}

// conversation opens a conversation with a new customer who just wrote
// (so replies are inside the 24-hour window), standing in relation rel to
// the caller: theirs, unassigned in Mine, the colleague's in Mine, or
// unassigned in Other.
func (w *matrixWorld) conversation(c matrixCaller, rel access.Relation, tagged bool) *domain.Conversation {
	w.t.Helper()
	svc := w.a.Service
	w.seq++
	contact, err := svc.CreateContact(w.ctx, domain.ContactInput{Name: valuePtr("Cliente"),
		WaID: valuePtr("5491100" + strconv.Itoa(100000+w.seq))})
	require.NoError(w.t, err)
	queue, assignee := w.mine, ""
	switch rel {
	case access.Own:
		assignee = c.id
	case access.Colleague:
		assignee = w.colleague
	case access.OtherQueue:
		queue = w.other
	}
	conv, err := svc.CreateConversation(w.ctx, domain.NewConversation{ContactID: contact.ID, QueueID: queue})
	require.NoError(w.t, err)
	_, err = svc.RecordInboundText(w.ctx, conv.ID, "hola", time.Now().UTC())
	require.NoError(w.t, err)
	if assignee != "" {
		_, err = svc.Assign(w.ctx, conv.ID, assignee)
		require.NoError(w.t, err)
	}
	if tagged {
		_, err = svc.TagConversation(w.ctx, conv.ID, w.tag, true)
		require.NoError(w.t, err)
	}
	conv, err = svc.Conversation(w.ctx, conv.ID)
	require.NoError(w.t, err)
	return conv
}

// task adds an open task on the conversation, assigned to assignee ("" for
// nobody).
func (w *matrixWorld) task(conversationID, assignee string) string {
	w.t.Helper()
	task, err := w.a.Service.CreateTask(w.ctx, domain.NewTask{ConversationID: conversationID, Title: "llamar",
		AssigneeID: assignee})
	require.NoError(w.t, err)
	return task.ID
}

// matrixSnapshot is everything a refused request must leave as it was.
type matrixSnapshot struct {
	Version                           int
	UpdatedAt                         time.Time
	Assignee, Queue, Status, Priority string
	Tags                              []string
	Events, Notes, Messages           int
	Tasks, Done                       int
}

func (w *matrixWorld) snapshot(id string) matrixSnapshot {
	w.t.Helper()
	svc := w.a.Service
	c, err := svc.Conversation(w.ctx, id)
	require.NoError(w.t, err)
	limit := 100
	page := domain.PageRequest{Limit: &limit}
	events, err := svc.ConversationEvents(w.ctx, id, page)
	require.NoError(w.t, err)
	notes, err := svc.Notes(w.ctx, id, page)
	require.NoError(w.t, err)
	messages, err := svc.Messages(w.ctx, id, page)
	require.NoError(w.t, err)
	tasks, err := svc.Tasks(w.ctx, domain.TaskFilter{ConversationID: id}, page)
	require.NoError(w.t, err)
	s := matrixSnapshot{Version: c.Version, UpdatedAt: c.UpdatedAt, Assignee: c.AssigneeID, Queue: c.QueueID,
		Status: string(c.Status), Priority: string(c.Priority), Tags: slices.Clone(c.TagIDs),
		Events: len(events.Items), Notes: len(notes.Items), Messages: len(messages.Items), Tasks: len(tasks.Items)}
	for _, task := range tasks.Items {
		if task.Done {
			s.Done++
		}
	}
	return s
}

// gqlOutcome classifies a GraphQL answer whose root field is aliased r.
func gqlOutcome(t *testing.T, g gqlResponse) string {
	t.Helper()
	if len(g.Errors) > 0 {
		switch g.errorCodes()[0] {
		case "FORBIDDEN":
			return "forbidden"
		case "NOT_FOUND":
			return "hidden"
		}
		return "error " + g.errorCodes()[0]
	}
	var data struct {
		R struct {
			UserErrors []struct{ Code string } `json:"userErrors"`
		} `json:"r"`
	}
	require.NoError(t, json.Unmarshal(g.Data, &data), string(g.Data))
	if len(data.R.UserErrors) > 0 {
		if data.R.UserErrors[0].Code == "CONFLICT" {
			return "conflict"
		}
		return "user error " + data.R.UserErrors[0].Code
	}
	return "allowed"
}

// restOutcome classifies a REST status.
func restOutcome(res response) string {
	switch res.Status {
	case 200, 201:
		return "allowed"
	case 403:
		return "forbidden"
	case 404:
		return "hidden"
	case 409:
		return "conflict"
	}
	return "status " + strconv.Itoa(res.Status)
}
