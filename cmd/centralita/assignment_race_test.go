package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
)

// Eight agents claiming one conversation at the same instant through the
// API: exactly one wins, the others get 409, and one assignment is
// recorded.
func TestParallelClaimsHaveOneWinner(t *testing.T) {
	a := newTestApp(t)
	tm := newTeam(t, a, "manual")
	conv := tm.open(tm.QueueID)["id"].(string)
	tokens := make([]string, 8)
	for i := range tokens {
		_, tokens[i] = tm.agent(fmt.Sprintf("claimer%d", i), domain.AvailabilityOnline)
	}

	statuses := make([]int, len(tokens))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = a.do(http.MethodPost, "/v1/conversations/"+conv+"/claim", tok, nil).Status
		}()
	}
	close(start)
	wg.Wait()

	won := 0
	for _, st := range statuses {
		require.Contains(t, []int{http.StatusOK, http.StatusConflict}, st)
		if st == http.StatusOK {
			won++
		}
	}
	require.Equal(t, 1, won, "statuses %v", statuses)
	require.Len(t, tm.assignedEvents(conv), 1)
	require.NotEmpty(t, tm.assigneeOf(conv))
}

// Two application instances on one Postgres database, each with its own
// connections, handing out many conversations at once: every conversation
// gets one owner, nobody exceeds their capacity, and the load is what the
// capacities allow.
func TestTwoInstancesAssignWithinCapacity(t *testing.T) {
	if persistencetest.Dialect() != persistence.DialectPostgres {
		t.Skip("needs Postgres: SQLite runs one writer at a time in one process")
	}
	url := persistencetest.NewURL(t)
	open := func() *persistence.DB {
		db, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: url, MaxOpenConns: 6})
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	first := newTestAppOn(t, open())
	second := newTestAppOn(t, open())
	tm := newTeam(t, first, "least_busy")
	capacities := []int{3, 4, 5}
	agents := map[string]int{}
	for i, c := range capacities {
		id, _ := tm.agent(fmt.Sprintf("racer%d", i), domain.AvailabilityOnline)
		tm.setCapacity(id, c)
		agents[id] = c
	}

	const conversations = 20 // more than the 12 places
	var wg sync.WaitGroup
	errs := make(chan error, conversations)
	for i := range conversations {
		app := first
		if i%2 == 1 {
			app = second
		}
		contact, err := app.Service.CreateContact(app.system(tm.tenant), domain.ContactInput{WaID: valuePtr(fmt.Sprintf("5197%07d", i))})
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := app.Service.CreateConversation(app.system(tm.tenant), domain.NewConversation{
				ContactID: contact.ID, QueueID: tm.QueueID})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	held := map[string]int{}
	rows, err := first.sql().Query(`SELECT id, assignee_id FROM conversations WHERE workspace_id = $1`, tm.WorkspaceID)
	require.NoError(t, err)
	defer rows.Close()
	waiting := 0
	for rows.Next() {
		var id string
		var assignee *string
		require.NoError(t, rows.Scan(&id, &assignee))
		if assignee == nil {
			waiting++
			continue
		}
		held[*assignee]++
		require.Len(t, tm.assignedEvents(id), 1, "one owner, assigned once: %s", id)
	}
	require.NoError(t, rows.Err())
	for id, c := range agents {
		require.Equal(t, c, held[id], "%s holds its capacity, never more", id)
	}
	require.Equal(t, conversations-12, waiting)
}
