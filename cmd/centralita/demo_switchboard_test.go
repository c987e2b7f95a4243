package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// The README's switchboard scenario against the demo workspace: "hola"
// gets the menu, "2" lands in Soporte with its tag and priority and goes
// to one of its agents, a second customer goes to the other, each with an
// SLA due time. (The breach itself is covered by the SLA tests, with
// seconds-long targets instead of the demo's minute.)
func TestDemoSwitchboardScenario(t *testing.T) {
	a := newTestApp(t)
	info, err := seedDemo(context.Background(), a.app)
	require.NoError(t, err)
	sys := domain.SystemContext(context.Background(), info.WorkspaceID)
	say := func(from, text string) {
		t.Helper()
		var out, errOut bytes.Buffer
		require.NoError(t, run(context.Background(), []string{"simulate", "--url", a.URL + "/webhooks/whatsapp",
			"--app-secret", testAppSecret, "--numbers", "100000000000001", "--from", from, "--text", text,
			"--count", "1", "--duplicates", "0", "--replies", "0", "--forwards", "0", "--referrals", "0"}, &out, &errOut),
			errOut.String())
	}
	conversationOf := func(waID string) *domain.Conversation {
		t.Helper()
		page, err := a.Service.Conversations(sys, domain.ConversationFilter{Text: waID})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		return page.Items[0]
	}
	queues, err := a.Service.Queues(sys)
	require.NoError(t, err)
	byName := map[string]*domain.Queue{}
	for _, q := range queues {
		byName[q.Name] = q
	}
	soporte := byName["Soporte"]

	say("51911122233", "hola")
	first := conversationOf("51911122233")
	msgs, err := a.Service.Messages(sys, first.ID, domain.PageRequest{})
	require.NoError(t, err)
	var menu string
	for _, m := range msgs.Items {
		if m.AuthorKind == domain.AuthorBot {
			menu = m.Text
		}
	}
	require.Contains(t, menu, "2) Soporte técnico", "the bot greets with the numbered menu")

	say("51911122233", "2")
	first = conversationOf("51911122233")
	require.Equal(t, soporte.ID, first.QueueID)
	require.Equal(t, domain.PriorityHigh, first.Priority)
	require.Len(t, first.TagIDs, 1)
	require.NotEmpty(t, first.AssigneeID, "round robin in Soporte")
	require.Contains(t, soporte.MemberIDs, first.AssigneeID)
	require.NotNil(t, first.SLA)
	require.Equal(t, domain.SLAOnTrack, first.SLA.State)

	say("51922233344", "hola")
	say("51922233344", "soporte técnico")
	second := conversationOf("51922233344")
	require.Equal(t, soporte.ID, second.QueueID)
	require.NotEmpty(t, second.AssigneeID)
	require.NotEqual(t, first.AssigneeID, second.AssigneeID, "the second customer goes to the other agent")
	for _, id := range []string{first.AssigneeID, second.AssigneeID} {
		u, err := a.Service.User(sys, id)
		require.NoError(t, err)
		require.Equal(t, domain.RoleAgent, u.Role)
		require.True(t, strings.HasSuffix(u.Email, "@demo.centralita.dev"))
	}
}
