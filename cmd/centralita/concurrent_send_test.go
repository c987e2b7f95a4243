package main

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Replies sent to one conversation at the same moment all succeed: losing
// the optimistic-version race is retried, not answered with a 409.
func TestConcurrentRepliesAllSucceed(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	before := a.count("messages")
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = a.do(http.MethodPost, "/v1/conversations/"+conv.ID+"/messages", tn.OwnerToken,
				map[string]any{"text": "respuesta"}).Status
		}()
	}
	wg.Wait()
	for _, s := range statuses {
		require.Equal(t, http.StatusCreated, s)
	}
	require.Equal(t, before+len(statuses), a.count("messages"))
}
