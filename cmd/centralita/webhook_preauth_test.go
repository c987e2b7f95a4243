package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// A delivery is authenticated before it is parsed: a body that is
// unsigned, or signed with a secret that is neither the global one nor
// that of a number it names, is refused with at most a lookup of the
// numbers it names (a few, capped), whatever its size. Before, the whole
// body was parsed and every change's number looked up first: 2,000
// entries cost thousands of queries before the 401.
func TestWebhookAuthenticatesBeforeParsing(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Preauth Co")
	shared := a.channel(tn, "106540352242922") // the global secret's
	_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr("200000000000009"),
		WABAID: valuePtr(testWABAID), DisplayPhoneNumber: valuePtr("15550783881"), AppSecret: valuePtr("own-app-secret")})
	require.NoError(t, err)

	many := func(phoneNumberID string) []byte {
		entries := make([]string, 2000)
		for i := range entries {
			entries[i] = inboundChange(testWABAID, phoneNumberID, fmt.Sprintf("wamid.flood.%d", i))
		}
		return deliveryOf(entries...)
	}
	for _, tc := range []struct {
		name      string
		body      []byte
		signature string
	}{
		{"unsigned", many(shared.PhoneNumberID), ""},
		{"malformed signature", many(shared.PhoneNumberID), "sha256=nothex"},
		{"another secret, shared number", many(shared.PhoneNumberID), whatsapp.Sign(many(shared.PhoneNumberID), "forged")},
		{"another secret, own-secret number", many("200000000000009"), whatsapp.Sign(many("200000000000009"), "forged")},
		{"many numbers named", deliveryOf(func() []string {
			var e []string
			for i := range 500 {
				e = append(e, inboundChange(testWABAID, fmt.Sprintf("3%014d", i), "wamid.x"))
			}
			return e
		}()...), whatsapp.Sign([]byte("x"), "forged")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.DB.QueryCount()
			res := a.do(http.MethodPost, "/webhooks/whatsapp", "", tc.body, "X-Hub-Signature-256", tc.signature)
			require.Equal(t, http.StatusUnauthorized, res.Status, "%s", res.Body)
			require.LessOrEqual(t, a.DB.QueryCount()-before, int64(50), "not one lookup per change")
		})
	}
	require.Equal(t, 0, a.count("messages"))

	// Meta's own deliveries still go through, signed with either secret.
	require.Equal(t, http.StatusOK, a.deliver(deliveryOf(inboundChange(testWABAID, shared.PhoneNumberID, "wamid.ok1"))).Status)
	own := deliveryOf(inboundChange(testWABAID, "200000000000009", "wamid.ok2"))
	require.Equal(t, http.StatusOK, a.deliver(own, whatsapp.Sign(own, "own-app-secret")).Status)
	require.Equal(t, 2, a.count("messages"))
}
