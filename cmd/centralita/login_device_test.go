package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// deviceLogin signs in with a device token (may be empty) and returns the
// status and the device token of the answer.
func deviceLogin(t *testing.T, c *restClient, email, password, device string) (int, string) {
	t.Helper()
	body := map[string]string{"email": email, "password": password}
	if device != "" {
		body["device_token"] = device
	}
	res := c.call(http.MethodPost, "/v1/auth/login", "", body)
	var s struct {
		DeviceToken string `json:"device_token"`
	}
	if res.Status == http.StatusOK {
		res.decode(t, &s)
		require.NotEmpty(t, s.DeviceToken)
	}
	return res.Status, s.DeviceToken
}

// A stranger's wrong passwords throttle the email at their address, which
// here is the owner's too (one office, one NAT): the owner still signs in
// at once from the device they used before, by sending its device token.
func TestLoginFromAKnownDeviceIsCountedApart(t *testing.T) {
	app, c := newRESTApp(t)
	tn := app.bootstrap("Office Co")
	_, device := deviceLogin(t, c, tn.OwnerEmail, testPassword, "")
	app.member(tn, "colleague@example.com", domain.RoleAgent)
	_, colleagueDevice := deviceLogin(t, c, "colleague@example.com", testPassword, "")

	for range 3 {
		status, _ := deviceLogin(t, c, tn.OwnerEmail, "wrong-password!", "")
		require.Equal(t, http.StatusUnauthorized, status)
	}
	status, _ := deviceLogin(t, c, tn.OwnerEmail, "wrong-password!", "")
	require.Equal(t, http.StatusTooManyRequests, status, "the stranger is throttled")
	status, _ = deviceLogin(t, c, tn.OwnerEmail, testPassword, "")
	require.Equal(t, http.StatusTooManyRequests, status, "so is anyone at that address without a proof")

	// Another email's device token, or a forged one, proves nothing.
	for _, proof := range []string{colleagueDevice, "sealed:forged", device + "x"} {
		status, _ = deviceLogin(t, c, tn.OwnerEmail, testPassword, proof)
		require.Equal(t, http.StatusTooManyRequests, status, proof)
	}

	status, next := deviceLogin(t, c, tn.OwnerEmail, testPassword, device)
	require.Equal(t, http.StatusOK, status, "the owner's known device gets in")
	require.NotEqual(t, device, next, "each session hands out a fresh proof")

	// The device's own failures wait like any source's, apart from the
	// stranger's: three free, then a growing wait.
	for range 3 {
		status, _ = deviceLogin(t, c, tn.OwnerEmail, "wrong-password!", next)
		require.Equal(t, http.StatusUnauthorized, status)
	}
	status, _ = deviceLogin(t, c, tn.OwnerEmail, testPassword, next)
	require.Equal(t, http.StatusTooManyRequests, status, "a stolen device token is no faster at guessing")
	// and still the old proof, another device of the owner's, is untouched.
	status, _ = deviceLogin(t, c, tn.OwnerEmail, testPassword, device)
	require.Equal(t, http.StatusOK, status)
}

// Refresh hands out a device token too: a client that kept its session
// going is a known device at its next login.
func TestRefreshHandsOutADeviceToken(t *testing.T) {
	_, c := newRESTApp(t)
	tn := c.app.bootstrap("Refresh Co")
	s := loginSession(t, c, tn.OwnerEmail, testPassword)
	var next struct {
		DeviceToken string `json:"device_token"`
	}
	c.expect(http.StatusOK, http.MethodPost, "/v1/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken}).decode(t, &next)
	require.NotEmpty(t, next.DeviceToken)
	for range 4 {
		deviceLogin(t, c, tn.OwnerEmail, "wrong-password!", "")
	}
	status, _ := deviceLogin(t, c, tn.OwnerEmail, testPassword, next.DeviceToken)
	require.Equal(t, http.StatusOK, status)
}
