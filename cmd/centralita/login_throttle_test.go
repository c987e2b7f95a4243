package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Guesses sent in parallel are counted before the password is checked, so
// a burst cannot exceed the per-email budget (10 per window).
func TestLoginThrottleHoldsUnderConcurrentGuesses(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Throttle Co")
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": "wrong-password!"})
			mu.Lock()
			statuses[res.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	require.Equal(t, 10, statuses[http.StatusUnauthorized], "%v", statuses)
	require.Equal(t, 30, statuses[http.StatusTooManyRequests], "%v", statuses)

	// The right password is refused too until the window ends.
	res := a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": testPassword})
	require.Equal(t, http.StatusTooManyRequests, res.Status)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
}

// Behind a trusted load balancer the per-IP budget applies to the client
// named in X-Forwarded-For, not to the balancer.
func TestLoginThrottleUsesForwardedClientBehindTrustedProxy(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.TrustedProxies = []string{"127.0.0.1/32"} })
	login := func(email, ip string) int {
		return a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": email, "password": "wrong-password!"},
			"X-Forwarded-For", ip).Status
	}
	for i := range 100 { // the per-IP budget: ten times the per-email one
		require.Equal(t, http.StatusUnauthorized, login(fmt.Sprintf("nobody%d@example.com", i), "203.0.113.7"))
	}
	require.Equal(t, http.StatusTooManyRequests, login("another@example.com", "203.0.113.7"))
	require.Equal(t, http.StatusUnauthorized, login("another@example.com", "203.0.113.8"), "other clients are unaffected")
}
