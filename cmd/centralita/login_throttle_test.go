package main

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Guesses sent in parallel are counted before the password is checked, so
// a burst from one address gets only the pair's free failures (3).
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
	require.Equal(t, 3, statuses[http.StatusUnauthorized], "%v", statuses)
	require.Equal(t, 37, statuses[http.StatusTooManyRequests], "%v", statuses)

	// From that address the right password is refused too until the wait ends.
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

// Knowing a colleague's email is not enough to lock them out: the attacker's
// wrong passwords from one address slow only that address, with a wait that
// grows each time it is not honoured, and the colleague signs in from
// another address at once.
func TestLoginThrottleSlowsTheAttackerNotTheColleague(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.TrustedProxies = []string{"127.0.0.1/32"} })
	tn := a.bootstrap("Colleague Co")
	login := func(password, ip string) response {
		return a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": password},
			"X-Forwarded-For", ip)
	}
	for range 3 {
		require.Equal(t, http.StatusUnauthorized, login("wrong-password!", "203.0.113.66").Status)
	}
	previous := 0
	for i := range 9 {
		res := login("wrong-password!", "203.0.113.66")
		require.Equal(t, http.StatusTooManyRequests, res.Status, "attempt %d", i+4)
		retryAfter, err := strconv.Atoi(res.Header.Get("Retry-After"))
		require.NoError(t, err)
		require.Greater(t, retryAfter, previous, "attempt %d: the wait grows", i+4)
		previous = retryAfter
	}
	require.Equal(t, http.StatusOK, login(testPassword, "198.51.100.20").Status, "the colleague gets in from their own address")
	require.Equal(t, http.StatusTooManyRequests, login(testPassword, "203.0.113.66").Status,
		"even the right password waits at the attacker's address")
}

// A successful login forgets the address's failures for that email.
func TestLoginThrottleSuccessResetsTheAddress(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Typo Co")
	login := func(password string) int {
		return a.do(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": tn.OwnerEmail, "password": password}).Status
	}
	for range 2 {
		require.Equal(t, http.StatusUnauthorized, login("wrong-password!"))
	}
	require.Equal(t, http.StatusOK, login(testPassword))
	for range 3 {
		require.Equal(t, http.StatusUnauthorized, login("wrong-password!"), "the free failures are back")
	}
	require.Equal(t, http.StatusTooManyRequests, login("wrong-password!"))
}
