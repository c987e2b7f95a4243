package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A plan is created with a split shift and a holiday, read back, changed
// and deleted; a queue follows it, and while it does the plan cannot go.
func TestBusinessHoursOverREST(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Horario")
	tok := w.OwnerToken
	plan := map[string]any{"name": "Lima partido", "timezone": "America/Lima",
		"weekly": []map[string]any{{"day": "mon", "open": "09:00", "close": "13:00"},
			{"day": "mon", "open": "14:00", "close": "18:00"}},
		"holidays": []map[string]any{{"date": "2026-07-28", "name": "Fiestas Patrias"}}}
	created := object(t, c.expect(201, "POST", "/v1/business-hours", tok, plan))
	id := created["id"].(string)
	require.Equal(t, plan["timezone"], created["timezone"])
	require.Len(t, created["weekly"], 2)
	require.Equal(t, "14:00", created["weekly"].([]any)[1].(map[string]any)["open"])
	require.Equal(t, "Fiestas Patrias", created["holidays"].([]any)[0].(map[string]any)["name"])
	require.Equal(t, created, object(t, c.expect(200, "GET", "/v1/business-hours/"+id, w.AgentToken, nil)))
	require.Len(t, listData(t, c.expect(200, "GET", "/v1/business-hours", tok, nil)), 2) // with populate's

	changed := object(t, c.expect(200, "PATCH", "/v1/business-hours/"+id, tok, map[string]any{
		"timezone": "America/Bogota", "holidays": []map[string]any{}}))
	require.Equal(t, "America/Bogota", changed["timezone"])
	require.Empty(t, changed["holidays"])
	require.Len(t, changed["weekly"], 2, "weekly left out is kept")

	queue := object(t, c.expect(201, "POST", "/v1/queues", tok, map[string]any{"name": "Mesa", "business_hours_id": id}))
	require.Equal(t, id, queue["business_hours_id"])
	require.Nil(t, queue["sla_policy_id"])
	res := c.expect(409, "DELETE", "/v1/business-hours/"+id, tok, nil)
	require.Contains(t, problemOf(t, res).Detail, "queues")
	require.Nil(t, object(t, c.expect(200, "PATCH", "/v1/queues/"+queue["id"].(string), tok,
		map[string]any{"business_hours_id": nil}))["business_hours_id"])
	c.expect(204, "DELETE", "/v1/business-hours/"+id, tok, nil)
	c.expect(404, "GET", "/v1/business-hours/"+id, tok, nil)
	c.expect(403, "POST", "/v1/business-hours", w.AgentToken, plan)
}

// A bad plan is a 400 naming the field and writes nothing, on create and
// on update.
func TestBusinessHoursRefusalsWriteNothing(t *testing.T) {
	_, c := newRESTApp(t)
	w := c.populate("Horario Malo")
	tok := w.OwnerToken
	shifts := func(s ...map[string]any) []map[string]any { return s }
	before := string(c.expect(200, "GET", "/v1/business-hours", tok, nil).Body)
	for _, tc := range []struct {
		field string
		body  map[string]any
	}{
		{"name", map[string]any{"timezone": "America/Lima"}}, // only creating needs every field
		{"timezone", map[string]any{"name": "x"}},
		{"timezone", map[string]any{"name": "x", "timezone": "America/Atlantis"}},
		{"weekly[1].open", map[string]any{"name": "x", "timezone": "America/Lima", "weekly": shifts(
			map[string]any{"day": "mon", "open": "09:00", "close": "13:00"},
			map[string]any{"day": "mon", "open": "2pm", "close": "18:00"})}},
		{"weekly", map[string]any{"name": "x", "timezone": "America/Lima", "weekly": shifts(
			map[string]any{"day": "tue", "open": "09:00", "close": "13:00"},
			map[string]any{"day": "tue", "open": "12:00", "close": "18:00"})}},
		{"weekly[0].day", map[string]any{"name": "x", "timezone": "America/Lima", "weekly": shifts(
			map[string]any{"day": "lunes", "open": "09:00", "close": "13:00"})}},
		{"holidays[0].date", map[string]any{"name": "x", "timezone": "America/Lima",
			"holidays": []map[string]any{{"date": "2026-02-30"}}}},
		{"colour", map[string]any{"name": "x", "timezone": "America/Lima", "colour": "red"}},
		{"name", map[string]any{"name": "OFICINA", "timezone": "America/Lima"}}, // populate's, in other case
	} {
		res := c.call("POST", "/v1/business-hours", tok, tc.body)
		require.Contains(t, []int{400, 409}, res.Status, "%v: %s", tc.body, res.Body)
		if res.Status == 400 {
			p := problemOf(t, res)
			require.NotEmpty(t, p.Errors, "%s", res.Body)
			require.Equal(t, tc.field, p.Errors[0].Field, "%v", tc.body)
		}
		if tc.body["name"] == nil || tc.body["timezone"] == nil || tc.body["name"] == "OFICINA" {
			continue // valid changes of an existing plan
		}
		res = c.call("PATCH", "/v1/business-hours/"+w.BusinessHoursID, tok, tc.body)
		require.Contains(t, []int{400, 409}, res.Status, "PATCH %v: %s", tc.body, res.Body)
	}
	require.Equal(t, before, string(c.expect(200, "GET", "/v1/business-hours", tok, nil).Body))
}

// A queue names only plans and policies of its own workspace: another
// workspace's id (or one that never existed) is a 400 naming the field,
// and the queue is neither created nor changed.
func TestQueueRulesRefuseForeignIDs(t *testing.T) {
	_, c := newRESTApp(t)
	a := c.populate("Cola A")
	b := c.populate("Cola B")
	before := string(c.expect(200, "GET", "/v1/queues", b.OwnerToken, nil).Body)
	for field, id := range map[string]string{"business_hours_id": a.BusinessHoursID, "sla_policy_id": a.SLAPolicyID} {
		for _, bad := range []string{id, "bhr_nope"} {
			res := c.expect(400, "POST", "/v1/queues", b.OwnerToken, map[string]any{"name": "Nueva " + field, field: bad})
			require.Equal(t, field, problemOf(t, res).Errors[0].Field)
			res = c.expect(400, "PATCH", "/v1/queues/"+b.QueueID, b.OwnerToken, map[string]any{"name": "Renombrada", field: bad})
			require.Equal(t, field, problemOf(t, res).Errors[0].Field)
		}
	}
	require.Equal(t, before, string(c.expect(200, "GET", "/v1/queues", b.OwnerToken, nil).Body))
	q := object(t, c.expect(200, "PATCH", "/v1/queues/"+b.QueueID, b.OwnerToken,
		map[string]any{"business_hours_id": b.BusinessHoursID, "sla_policy_id": b.SLAPolicyID}))
	require.Equal(t, b.BusinessHoursID, q["business_hours_id"])
	require.Equal(t, b.SLAPolicyID, q["sla_policy_id"])
}
