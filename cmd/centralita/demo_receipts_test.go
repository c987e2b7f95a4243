package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// In the demo a reply goes out through the fake Graph API and the fake's
// signed receipts bring it to read, so statuses visibly move.
func TestDemoGraphSendsReceiptsBack(t *testing.T) {
	// The fake needs the app's webhook URL and the app the fake's URL: a
	// relay lets each be created in turn.
	var appURL string
	relay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, appURL+r.URL.Path, r.Body)
		req.Header = r.Header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		w.WriteHeader(res.StatusCode)
		io.Copy(w, res.Body)
	}))
	t.Cleanup(relay.Close)
	graphURL, stop, err := startDemoGraph(relay.URL+"/webhooks/whatsapp", testAppSecret, 0)
	require.NoError(t, err)
	t.Cleanup(stop)
	a := newTestApp(t, func(c *Config) { c.WhatsAppGraphURL = graphURL })
	appURL = a.URL

	tn := a.bootstrap("Demo Receipts")
	ctx := a.system(tn)
	ch, err := a.Service.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr("100000000000001"),
		WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr("5115550100"), AccessToken: valuePtr(demoGraphToken)})
	require.NoError(t, err)
	contact, err := a.Service.CreateContact(ctx, domain.ContactInput{WaID: valuePtr("51987654321")})
	require.NoError(t, err)
	conv, err := a.Service.CreateConversation(ctx, domain.NewConversation{ContactID: contact.ID, ChannelID: ch.ID})
	require.NoError(t, err)
	_, err = a.Service.RecordInboundText(ctx, conv.ID, "hola", time.Now())
	require.NoError(t, err)
	a.startJobs()
	m, err := a.Service.SendText(ctx, conv.ID, "¡Hola! ¿En qué te ayudamos?")
	require.NoError(t, err)
	a.waitForStatus(tn, m.ID, domain.DeliveryRead)

	require.Equal(t, "http://127.0.0.1:8080/webhooks/whatsapp", demoCallbackURL("127.0.0.1:8080"))
	require.Equal(t, "http://127.0.0.1:9000/webhooks/whatsapp", demoCallbackURL("0.0.0.0:9000"))
}
