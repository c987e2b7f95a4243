package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// A colleague's conversation is read-only to an agent of the same queue:
// they cannot transfer it away, reprioritise it, close it or answer it.
// Their own and unassigned ones they can work.
func TestRESTAgentCannotTakeOverAColleaguesConversation(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Colleagues Co")
	ctx := a.system(tn)
	q1, err := a.Service.CreateQueue(ctx, domain.QueueInput{Name: valuePtr("Q1")})
	require.NoError(t, err)
	q2, err := a.Service.CreateQueue(ctx, domain.QueueInput{Name: valuePtr("Q2")})
	require.NoError(t, err)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{Name: valuePtr("Carla"), WaID: valuePtr("51987654321")})
	require.NoError(t, err)
	ag1, tok1 := a.member(tn, "ag1@colleagues.test", domain.RoleAgent, q1.ID)
	ag2, tok2 := a.member(tn, "ag2@colleagues.test", domain.RoleAgent, q1.ID)
	_ = ag1
	a.channel(tn, fakeNumberID)
	conv, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, QueueID: q1.ID})
	require.NoError(t, err)
	_, err = a.Service.Assign(ctx, conv.ID, ag2)
	require.NoError(t, err)

	path := "/v1/conversations/" + conv.ID
	for _, attempt := range []struct {
		path string
		body any
	}{
		{path + "/transfer", map[string]any{"queue_id": q2.ID}},
		{path + "/status", map[string]any{"status": "closed", "close_reason": "resolved"}},
		{path + "/messages", map[string]any{"text": "hola"}},
	} {
		res := a.do(http.MethodPost, attempt.path, tok1, attempt.body)
		require.Equal(t, http.StatusForbidden, res.Status, "%s: %s", attempt.path, res.Body)
	}
	res := a.do(http.MethodPatch, path, tok1, map[string]any{"priority": "urgent"})
	require.Equal(t, http.StatusForbidden, res.Status, string(res.Body))

	after, err := a.Service.Conversation(ctx, conv.ID)
	require.NoError(t, err)
	require.Equal(t, ag2, after.AssigneeID)
	require.Equal(t, q1.ID, after.QueueID)
	require.Equal(t, domain.PriorityNormal, after.Priority)
	require.Equal(t, conv.Version+1, after.Version, "only the assignment changed it")

	// The assignee can hand it to another queue.
	res = a.do(http.MethodPost, path+"/transfer", tok2, map[string]any{"queue_id": q2.ID})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
}
