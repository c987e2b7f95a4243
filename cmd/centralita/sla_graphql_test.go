package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const createBusinessHoursMutation = `mutation($in: CreateBusinessHoursInput!) { createBusinessHours(input: $in) {
  businessHours { id name timezone weekly { day open close } holidays { date name } }
  userErrors { field code message } } }`

const createSlaPolicyMutation = `mutation($in: CreateSlaPolicyInput!) { createSlaPolicy(input: $in) {
  slaPolicy { id firstResponseSeconds nextResponseSeconds resolutionSeconds warningRatio
    escalation { action queue { id } tag { id } notifyUsers { id } } }
  userErrors { field code message } } }`

const updateQueueRulesMutation = `mutation($in: UpdateQueueInput!) { updateQueue(input: $in) {
  queue { id businessHours { id name } slaPolicy { id escalation { action } } }
  userErrors { field code } } }`

// GraphQL mirrors REST: plans and policies are created, read through
// queries, queues and node(id), refused with userErrors naming the nested
// field, and kept inside their workspace.
func TestBusinessHoursAndSLAPoliciesOverGraphQL(t *testing.T) {
	a := newTestApp(t)
	w := seedWorld(t, a, "GqlSla")
	other := seedWorld(t, a, "GqlSlaOtro")
	tok := w.OwnerToken

	shifts := []map[string]any{{"day": "mon", "open": "09:00", "close": "13:00"}, {"day": "mon", "open": "14:00", "close": "18:00"}}
	d := a.gqlOK(tok, createBusinessHoursMutation, map[string]any{"in": map[string]any{"name": "Partido",
		"timezone": "America/Lima", "weekly": shifts, "holidays": []map[string]any{{"date": "2026-12-25", "name": "Navidad"}}}})
	require.Empty(t, d.list(t, "createBusinessHours.userErrors"))
	planID := d.str(t, "createBusinessHours.businessHours.id")
	require.Equal(t, "14:00", d.str(t, "createBusinessHours.businessHours.weekly.1.open"))

	bad := []map[string]any{shifts[0], {"day": "mon", "open": "2pm", "close": "18:00"}}
	d = a.gqlOK(tok, createBusinessHoursMutation, map[string]any{"in": map[string]any{"name": "Mal",
		"timezone": "America/Lima", "weekly": bad}})
	require.Nil(t, d.get(t, "createBusinessHours.businessHours"))
	require.Equal(t, []any{"input", "weekly", "1", "open"}, d.get(t, "createBusinessHours.userErrors.0.field"))
	d = a.gqlOK(tok, createBusinessHoursMutation, map[string]any{"in": map[string]any{"name": "Mal", "timezone": "Mars/Base"}})
	require.Equal(t, []any{"input", "timezone"}, d.get(t, "createBusinessHours.userErrors.0.field"))

	d = a.gqlOK(tok, createSlaPolicyMutation, map[string]any{"in": map[string]any{"name": "Oro",
		"firstResponseSeconds": 300, "escalation": map[string]any{"action": "MOVE_QUEUE", "queueId": w.OtherQueueID}}})
	require.Empty(t, d.list(t, "createSlaPolicy.userErrors"))
	policyID := d.str(t, "createSlaPolicy.slaPolicy.id")
	require.EqualValues(t, 300, d.get(t, "createSlaPolicy.slaPolicy.firstResponseSeconds"))
	require.Nil(t, d.get(t, "createSlaPolicy.slaPolicy.resolutionSeconds"))
	require.EqualValues(t, 0.8, d.get(t, "createSlaPolicy.slaPolicy.warningRatio"))
	require.Equal(t, w.OtherQueueID, d.str(t, "createSlaPolicy.slaPolicy.escalation.queue.id"))
	d = a.gqlOK(tok, createSlaPolicyMutation, map[string]any{"in": map[string]any{"name": "Ajena",
		"firstResponseSeconds": 300, "escalation": map[string]any{"action": "MOVE_QUEUE", "queueId": other.QueueID}}})
	require.Equal(t, []any{"input", "escalation", "queueId"}, d.get(t, "createSlaPolicy.userErrors.0.field"))
	d = a.gqlOK(tok, createSlaPolicyMutation, map[string]any{"in": map[string]any{"name": "Sin metas",
		"escalation": map[string]any{"action": "REASSIGN"}}})
	require.Equal(t, []any{"input", "firstResponseSeconds"}, d.get(t, "createSlaPolicy.userErrors.0.field"))

	d = a.gqlOK(tok, updateQueueRulesMutation, map[string]any{"in": map[string]any{"queueId": w.QueueID,
		"businessHoursId": planID, "slaPolicyId": policyID}})
	require.Equal(t, "Partido", d.str(t, "updateQueue.queue.businessHours.name"))
	require.Equal(t, "MOVE_QUEUE", d.str(t, "updateQueue.queue.slaPolicy.escalation.action"))
	d = a.gqlOK(other.OwnerToken, updateQueueRulesMutation, map[string]any{"in": map[string]any{"queueId": other.QueueID,
		"businessHoursId": planID}})
	require.Equal(t, []any{"input", "businessHoursId"}, d.get(t, "updateQueue.userErrors.0.field"))

	d = a.gqlOK(tok, `{ businessHours { id } slaPolicies { id } }`, nil)
	require.Equal(t, []string{planID}, d.ids(t, "businessHours"))
	require.Equal(t, []string{policyID}, d.ids(t, "slaPolicies"))
	d = a.gqlOK(other.OwnerToken, `{ businessHours { id } slaPolicies { id } }`, nil)
	require.Empty(t, d.list(t, "businessHours"))
	require.Empty(t, d.list(t, "slaPolicies"))
	res := a.graphql(other.OwnerToken, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": planID})
	require.Equal(t, []string{"NOT_FOUND"}, res.errorCodes())
	d = a.gqlOK(tok, `query($id: ID!) { node(id: $id) { ... on SlaPolicy { name } } }`, map[string]any{"id": policyID})
	require.Equal(t, "Oro", d.str(t, "node.name"))

	d = a.gqlOK(tok, `mutation($id: ID!) { deleteSlaPolicy(input: {slaPolicyId: $id}) { deletedSlaPolicyId userErrors { code } } }`,
		map[string]any{"id": policyID})
	require.Equal(t, []string{"CONFLICT"}, d.userErrorCodes(t, "deleteSlaPolicy"))
	d = a.gqlOK(tok, `mutation($id: ID!) { deleteBusinessHours(input: {businessHoursId: $id}) { deletedBusinessHoursId userErrors { code } } }`,
		map[string]any{"id": planID})
	require.Equal(t, []string{"CONFLICT"}, d.userErrorCodes(t, "deleteBusinessHours"))
	a.gqlOK(tok, updateQueueRulesMutation, map[string]any{"in": map[string]any{"queueId": w.QueueID,
		"businessHoursId": "", "slaPolicyId": ""}})
	d = a.gqlOK(tok, `mutation($id: ID!) { deleteBusinessHours(input: {businessHoursId: $id}) { deletedBusinessHoursId userErrors { code } } }`,
		map[string]any{"id": planID})
	require.Equal(t, planID, d.str(t, "deleteBusinessHours.deletedBusinessHoursId"))
}
