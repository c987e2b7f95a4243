package main

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const testNumber = "106540352242922"

// statementsOf delivers body and returns the statements it cost.
func (a *testApp) statementsOf(body []byte) []string {
	a.t.Helper()
	var mu sync.Mutex
	var seen []string
	stop := a.DB.ObserveStatements(func(sql string) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, sql)
	})
	res := a.deliver(body)
	stop()
	require.Equal(a.t, http.StatusOK, res.Status, "%s", res.Body)
	return seen
}

// One message costs a handful of round trips to the database, whoever
// sends it: the budgets below are ceilings (counting the channel lookup,
// BEGIN and COMMIT), so a change that adds a lookup to the hottest path
// fails here with the statements it ran. Before the ingest work they were
// 37, 20 and 4; a new sender's one lookup among merged contacts (so a
// duplicate someone merged keeps landing on its survivor) made the first
// 30. (A delivery of several items shares one transaction, a
// savepoint per item: see ingest_batch_test.go.)
func TestIngestStatementBudget(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Budget Co")
	a.channel(tn, testNumber)
	require.Equal(t, http.StatusOK, a.deliver(textDelivery(testNumber, "wamid.warm", "5215550000001")).Status)

	for _, tc := range []struct {
		name   string
		body   []byte
		budget int
	}{
		{"new contact", textDelivery(testNumber, "wamid.new", "5215550000002"), 30},
		{"known customer", textDelivery(testNumber, "wamid.known", "5215550000002"), 9},
		{"redelivery", textDelivery(testNumber, "wamid.known", "5215550000002"), 4},
	} {
		seen := a.statementsOf(tc.body)
		t.Logf("%s: %d statements\n  %s", tc.name, len(seen), strings.Join(seen, "\n  "))
		require.LessOrEqual(t, len(seen), tc.budget, "%s:\n  %s", tc.name, strings.Join(seen, "\n  "))
	}
}
