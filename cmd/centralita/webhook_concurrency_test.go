package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// A new customer's first messages often arrive in parallel deliveries: every
// one acknowledged must be stored (they race to create the contact and the
// conversation), and there is still one contact and one conversation.
func TestWebhookConcurrentFirstMessagesAreAllStored(t *testing.T) {
	const customers, perCustomer = 5, 4
	// Every delivery is let in at once, so they really race (past the
	// in-flight bound they would be refused for Meta to retry instead).
	a := newTestApp(t, func(c *Config) { c.WebhookMaxInFlight = customers * perCustomer })
	tn := a.bootstrap("Burst Co")
	a.channel(tn, "106540352242922")
	var wg sync.WaitGroup
	for c := range customers {
		for m := range perCustomer {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := textDelivery("106540352242922", fmt.Sprintf("wamid.burst.%d.%d", c, m), fmt.Sprintf("5198765432%d", c))
				res := a.deliver(body)
				require.Equal(t, http.StatusOK, res.Status, string(res.Body))
			}()
		}
	}
	wg.Wait()
	require.Equal(t, customers*perCustomer, a.count("messages"), "every acknowledged message is stored")
	require.Equal(t, customers, a.count("contacts"))
	require.Equal(t, customers, a.count("conversations"))
}
