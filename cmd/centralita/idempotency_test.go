package main

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// A send retried with the same Idempotency-Key, even concurrently, stores
// one message and answers with it every time; the key cannot be reused for
// another message.
func TestSendIdempotencyKey(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	path := "/v1/conversations/" + conv.ID + "/messages"
	before := a.count("messages")
	send := func(text, key string) response {
		return a.do(http.MethodPost, path, tn.OwnerToken, map[string]any{"text": text}, "Idempotency-Key", key)
	}
	ids := make([]string, 6)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := send("¿Te llamo mañana?", "retry-42")
			if res.Status == http.StatusCreated {
				var m struct {
					ID string `json:"id"`
				}
				res.decode(t, &m)
				ids[i] = m.ID
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		require.Equal(t, ids[0], id, "every retry answers with the first message")
	}
	require.NotEmpty(t, ids[0])
	require.Equal(t, before+1, a.count("messages"))
	res := send("¿Te llamo mañana?", "retry-42")
	require.Equal(t, "true", res.Header.Get("Idempotent-Replayed"))

	res = send("otro texto", "retry-42")
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	require.Equal(t, before+1, a.count("messages"))

	// GraphQL honours the same keys.
	g := a.graphql(tn.OwnerToken, `mutation($in: SendTextMessageInput!) { sendTextMessage(input: $in) { message { id } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"conversationId": conv.ID, "text": "¿Te llamo mañana?", "idempotencyKey": "retry-42"}})
	require.Contains(t, string(g.Data), ids[0])
	require.Equal(t, before+1, a.count("messages"))
}
