package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// Transferring to a queue leaves the agent and lets the new queue hand the
// conversation out; the note is kept as an internal note and the event
// says where it went.
func TestTransferToAQueueReassignsThere(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "manual")
	ventas := object(t, tm.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tm.OwnerToken,
		map[string]any{"name": "Ventas", "assignment_mode": "round_robin"}))["id"].(string)
	ana, anaTok := tm.agent("ana", domain.AvailabilityOnline)
	beto, _ := tm.agent("beto", domain.AvailabilityOnline, ventas)
	conv := tm.open(tm.QueueID)["id"].(string)
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+conv+"/claim", anaTok, nil)

	moved := object(t, tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+conv+"/transfer", anaTok,
		map[string]any{"queue_id": ventas, "note": "quiere cotizar 30 licencias"}))
	require.Equal(t, ventas, moved["queue_id"])
	require.Equal(t, beto, moved["assignee_id"], "Ventas hands it to its online member")
	require.NotEqual(t, ana, moved["assignee_id"])

	notes := listData(t, tm.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+conv+"/notes", tm.OwnerToken, nil))
	require.Len(t, notes, 1)
	require.Equal(t, "quiere cotizar 30 licencias", notes[0]["body"])
	require.Equal(t, ana, notes[0]["author_id"])
	var payload string
	require.NoError(t, a.sql().QueryRow(`SELECT payload FROM events WHERE subject_id = $1 AND type = $2`,
		conv, domain.EventConversationTransferred).Scan(&payload))
	require.Contains(t, payload, ventas)
	require.Contains(t, payload, ana)
}

// Transferring to an agent: they must be active and work in the
// conversation's queue or the target one. Bad input names its field and
// writes nothing.
func TestTransferToAnAgentAndBadInput(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "manual")
	ventas := idOf(t, tm.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tm.OwnerToken,
		map[string]any{"name": "Ventas"}))
	ana, anaTok := tm.agent("ana", domain.AvailabilityOnline)
	beto, _ := tm.agent("beto", domain.AvailabilityOnline)
	carla, _ := tm.agent("carla", domain.AvailabilityOnline, ventas)
	gone, _ := tm.agent("gone", domain.AvailabilityOnline)
	tm.expect(http.StatusOK, http.MethodPatch, "/v1/users/"+gone, tm.OwnerToken, map[string]any{"active": false})
	outsider := idOf(t, tm.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tm.OwnerToken,
		map[string]any{"name": "Cobranzas"}))
	dave, _ := tm.agent("dave", domain.AvailabilityOnline, outsider)
	conv := tm.open(tm.QueueID)["id"].(string)
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+conv+"/claim", anaTok, nil)
	path := "/v1/conversations/" + conv + "/transfer"

	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"neither queue nor agent", map[string]any{"note": "hmm"}, "queue_id"},
		{"unknown queue", map[string]any{"queue_id": "que_00000000000000000000000000", "note": "x"}, "queue_id"},
		{"not an id", map[string]any{"queue_id": "ventas"}, "queue_id"},
		{"unknown agent", map[string]any{"assignee_id": "usr_00000000000000000000000000", "note": "x"}, "assignee_id"},
		{"deactivated agent", map[string]any{"assignee_id": gone, "note": "x"}, "assignee_id"},
		{"agent outside both queues", map[string]any{"assignee_id": dave, "note": "x"}, "assignee_id"},
		{"agent of neither the source nor the target", map[string]any{"assignee_id": dave, "queue_id": ventas, "note": "x"}, "assignee_id"},
		{"note too long", map[string]any{"assignee_id": beto, "note": string(make([]byte, 10001))}, "note"},
	} {
		p := problemOf(t, tm.expect(http.StatusBadRequest, http.MethodPost, path, tm.OwnerToken, tc.body))
		require.Equal(t, tc.field, p.Errors[0].Field, tc.name)
	}
	require.Equal(t, ana, tm.assigneeOf(conv), "refused transfers change nothing")
	require.Empty(t, listData(t, tm.expect(http.StatusOK, http.MethodGet, "/v1/conversations/"+conv+"/notes", tm.OwnerToken, nil)))

	got := object(t, tm.expect(http.StatusOK, http.MethodPost, path, anaTok, map[string]any{"assignee_id": beto}))
	require.Equal(t, beto, got["assignee_id"])
	require.Equal(t, tm.QueueID, got["queue_id"])
	// An agent of the target queue may receive it with the queue.
	got = object(t, tm.expect(http.StatusOK, http.MethodPost, path, tm.OwnerToken,
		map[string]any{"assignee_id": carla, "queue_id": ventas}))
	require.Equal(t, carla, got["assignee_id"])
	require.Equal(t, ventas, got["queue_id"])
}

// Agents transfer only what they hold, supervisors within their queues,
// admins anywhere.
func TestWhoMayTransfer(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "manual")
	ventas := idOf(t, tm.expect(http.StatusCreated, http.MethodPost, "/v1/queues", tm.OwnerToken,
		map[string]any{"name": "Ventas"}))
	ana, anaTok := tm.agent("ana", domain.AvailabilityOnline)
	_, betoTok := tm.agent("beto", domain.AvailabilityOnline)
	_, supTok := tm.app.member(tm.tenant, tm.name+"-sup@example.com", domain.RoleSupervisor, tm.QueueID)
	_, otherSupTok := tm.app.member(tm.tenant, tm.name+"-sup2@example.com", domain.RoleSupervisor, ventas)

	unassigned := tm.open(tm.QueueID)["id"].(string)
	tm.expect(http.StatusForbidden, http.MethodPost, "/v1/conversations/"+unassigned+"/transfer", anaTok,
		map[string]any{"queue_id": ventas})
	held := tm.open(tm.QueueID)["id"].(string)
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+held+"/claim", anaTok, nil)
	tm.expect(http.StatusForbidden, http.MethodPost, "/v1/conversations/"+held+"/transfer", betoTok,
		map[string]any{"queue_id": ventas})
	tm.expect(http.StatusNotFound, http.MethodPost, "/v1/conversations/"+held+"/transfer", otherSupTok,
		map[string]any{"queue_id": ventas})
	require.Equal(t, ana, tm.assigneeOf(held))
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+unassigned+"/transfer", supTok,
		map[string]any{"queue_id": ventas})
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+held+"/transfer", anaTok,
		map[string]any{"queue_id": ventas})
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+held+"/transfer", tm.APIKey,
		map[string]any{"queue_id": tm.QueueID})
}

// GraphQL mirrors the transfer: to an agent with a note, and bad input as
// a userError naming the field.
func TestTransferConversationInGraphQL(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "manual")
	_, anaTok := tm.agent("ana", domain.AvailabilityOnline)
	beto, _ := tm.agent("beto", domain.AvailabilityOnline)
	conv := tm.open(tm.QueueID)["id"].(string)
	tm.expect(http.StatusOK, http.MethodPost, "/v1/conversations/"+conv+"/claim", anaTok, nil)

	d := a.mutate(anaTok, "transferConversation", "TransferConversationInput",
		map[string]any{"conversationId": conv, "assigneeId": beto, "note": "sabe de facturación"},
		"conversation { assignee { id } queue { id assignmentMode } }")
	require.Equal(t, beto, d.str(t, "transferConversation.conversation.assignee.id"))
	require.Equal(t, "MANUAL", d.str(t, "transferConversation.conversation.queue.assignmentMode"))
	code, path := a.mutateErr(tm.OwnerToken, "transferConversation", "TransferConversationInput",
		map[string]any{"conversationId": conv, "assigneeId": "usr_00000000000000000000000000"})
	require.Equal(t, "BAD_USER_INPUT", code)
	require.Equal(t, []any{"input", "assigneeId"}, path)

	d = a.mutate(tm.OwnerToken, "updateQueue", "UpdateQueueInput",
		map[string]any{"queueId": tm.QueueID, "assignmentMode": "LEAST_BUSY"}, "queue { assignmentMode }")
	require.Equal(t, "LEAST_BUSY", d.str(t, "updateQueue.queue.assignmentMode"))
	d = a.mutate(tm.OwnerToken, "updateWorkspace", "UpdateWorkspaceInput",
		map[string]any{"offlineGraceMinutes": 30}, "workspace { offlineGraceMinutes }")
	require.EqualValues(t, 30, d.get(t, "updateWorkspace.workspace.offlineGraceMinutes"))
}
