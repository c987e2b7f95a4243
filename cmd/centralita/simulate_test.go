package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// simulate posts signed, batched deliveries with duplicates to two numbers;
// the server acknowledges all of them and stores each message once.
func TestSimulateFeedsTheWebhook(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Sim Co")
	for _, n := range []struct {
		pnid string
		mode domain.ChannelMode
	}{{"100000000000001", domain.ChannelModeOfficial}, {"100000000000002", domain.ChannelModeRedirect}} {
		_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr(n.pnid),
			WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr(n.pnid), Mode: valuePtr(n.mode)})
		require.NoError(t, err)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"simulate", "--url", a.URL + "/webhooks/whatsapp", "--app-secret", testAppSecret,
		"--numbers", "100000000000001,100000000000002", "--count", "10", "--batch", "3", "--rate", "200",
		"--duplicates", "0.5"}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	var report simulateReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &report), out.String())
	require.Equal(t, 10+report.Duplicates, report.Deliveries)
	require.Equal(t, map[string]int{"200": report.Deliveries}, report.Statuses)
	require.Equal(t, 30, report.Messages)
	var inbound int
	require.NoError(t, a.DB.SQLDB().QueryRow("SELECT count(*) FROM messages WHERE direction = 'inbound'").Scan(&inbound))
	require.Equal(t, 30, inbound, "duplicates stored once")

	require.Error(t, run(context.Background(), []string{"simulate", "--url", "http://10.0.0.1/webhooks/whatsapp",
		"--app-secret", "x", "--numbers", "1"}, &out, &errOut), "only local targets")
}

// Many deliveries in flight at once, of every type simulate knows, each
// stored once with its type; the report adds up.
func TestSimulateConcurrentlyWithEveryType(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Sim Types Co")
	_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr("100000000000001"),
		WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr("100000000000001")})
	require.NoError(t, err)
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"simulate", "--url", a.URL + "/webhooks/whatsapp", "--app-secret", testAppSecret,
		"--numbers", "100000000000001", "--count", "27", "--batch", "2", "--rate", "1000", "--concurrency", "8",
		"--duplicates", "0.3", "--types", strings.Join(simulatedTypes, ",")}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	var report simulateReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &report), out.String())
	require.Equal(t, 27+report.Duplicates, report.Deliveries)
	require.Zero(t, report.Errors)
	require.Equal(t, map[string]int{"200": report.Deliveries}, report.Statuses)
	require.Positive(t, report.RatePerSecond)
	require.LessOrEqual(t, report.P50Millis, report.P99Millis)

	rows, err := a.DB.SQLDB().Query("SELECT type, count(*) FROM messages WHERE direction = 'inbound' GROUP BY type")
	require.NoError(t, err)
	defer rows.Close()
	byType, total := map[string]int{}, 0
	for rows.Next() {
		var typ string
		var n int
		require.NoError(t, rows.Scan(&typ, &n))
		byType[typ], total = n, total+n
	}
	require.Equal(t, 54, total, "every message once, duplicates and all")
	for _, typ := range simulatedTypes {
		require.Positive(t, byType[typ], "type %s stored as itself", typ)
	}
}
