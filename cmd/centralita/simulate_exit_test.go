package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// simulate fails (a non-zero exit) when any post was not answered 200,
// still printing its report; a run where every post was answered 200
// succeeds.
func TestSimulateFailsUnlessEveryPostIsAnswered200(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Sim Exit Co")
	_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr("100000000000001"),
		WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr("100000000000001")})
	require.NoError(t, err)
	simulateRun(t, a, "--numbers", "100000000000001", "--count", "3", "--rate", "100") // every post 200: no error

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String() + "/webhooks/whatsapp"
	require.NoError(t, ln.Close()) // nothing listens there now

	for _, tc := range []struct {
		name, url, secret string
		want              []string
		check             func(simulateReport)
	}{
		{"wrong app secret", a.URL + "/webhooks/whatsapp", "not-the-app-secret",
			[]string{"3 of 3 posts were not answered 200", "3 answered 401", "WHATSAPP_APP_SECRET"},
			func(r simulateReport) { require.Equal(t, map[string]int{"401": 3}, r.Statuses) }},
		{"unreachable server", closed, testAppSecret,
			[]string{"3 of 3 posts were not answered 200", "3 got no answer"},
			func(r simulateReport) { require.Equal(t, 3, r.Errors) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"simulate", "--url", tc.url, "--app-secret", tc.secret,
				"--numbers", "100000000000001", "--count", "3", "--rate", "100", "--duplicates", "0"}, &out, &errOut)
			require.Error(t, err)
			for _, want := range tc.want {
				require.Contains(t, err.Error(), want)
			}
			var report simulateReport
			require.NoError(t, json.Unmarshal(out.Bytes(), &report), "the report is still printed: %s", out.String())
			require.Equal(t, 3, report.Posts)
			tc.check(report)
		})
	}
}
