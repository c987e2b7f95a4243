package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// An agent listing tasks sees those on conversations they may see and those
// on contacts, never tasks on another queue's conversations.
func TestRESTTaskListingFollowsConversationVisibility(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Tasks Co")
	ctx := a.system(tn)
	s := a.Service
	ventas, err := s.CreateQueue(ctx, domain.QueueInput{Name: valuePtr("Ventas")})
	require.NoError(t, err)
	soporte, err := s.CreateQueue(ctx, domain.QueueInput{Name: valuePtr("Soporte")})
	require.NoError(t, err)
	contact, err := s.CreateContact(ctx, domain.ContactInput{Name: valuePtr("Carla"), WaID: valuePtr("51987654321")})
	require.NoError(t, err)
	a.channel(tn, fakeNumberID)
	mine, err := s.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, QueueID: ventas.ID})
	require.NoError(t, err)
	theirs, err := s.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, QueueID: soporte.ID})
	require.NoError(t, err)
	for title, in := range map[string]domain.NewTask{
		"ventas":  {ConversationID: mine.ID},
		"soporte": {ConversationID: theirs.ID},
		"contact": {ContactID: contact.ID},
	} {
		in.Title = title
		_, err := s.CreateTask(ctx, in)
		require.NoError(t, err)
	}
	_, agent := a.member(tn, "agent@tasks.test", domain.RoleAgent, ventas.ID)

	titles := func(token string) []string {
		res := a.do(http.MethodGet, "/v1/tasks", token, nil)
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		var body struct {
			Data []struct {
				Title string `json:"title"`
			} `json:"data"`
		}
		res.decode(t, &body)
		var out []string
		for _, d := range body.Data {
			out = append(out, d.Title)
		}
		return out
	}
	require.ElementsMatch(t, []string{"ventas", "contact"}, titles(agent))
	require.ElementsMatch(t, []string{"ventas", "soporte", "contact"}, titles(tn.OwnerToken))
}
