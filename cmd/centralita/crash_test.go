package main

import (
	"context"
	"hash/fnv"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
	"github.com/centralita/centralita/whatsapp"
)

// The real binary is killed with SIGKILL at random moments while customers
// write, agents send and Meta posts receipts; then it restarts. Nothing it
// acknowledged is lost: every delivery answered 200 is stored exactly once,
// every send answered 201 reaches Meta and ends sent, and no message
// reaches a customer twice, except in the one window Meta leaves open (it
// accepted the send, the answer was lost, and its receipt never came):
// receipts for a fifth of the messages are withheld to show that window,
// and duplicates are tolerated for those messages only.
func TestKillingTheServerLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly; skipped with -short")
	}
	bin := buildServer(t)
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{AppSecret: testAppSecret, Numbers: map[string]whatsapp.FakeNumber{
		fakeNumberID: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: fakeToken}}})
	fake.SetLatency(20 * time.Millisecond) // some sends die before Meta has them
	meta := &answerLosingGraph{fake: fake, delay: 40 * time.Millisecond, lost: map[string]int{}}
	graph := httptest.NewServer(meta)
	t.Cleanup(graph.Close)

	cfg := testConfig(t)
	cfg.DatabaseURL = persistencetest.NewURL(t)
	apiKey, waIDs, convIDs := seedCrashWorkspace(t, cfg)
	env := []string{"CENTRALITA_ENV=test", "CENTRALITA_ADDR=127.0.0.1:0", "CENTRALITA_DATA_DIR=" + cfg.DataDir,
		"DATABASE_URL=" + cfg.DatabaseURL, "CENTRALITA_DB_MAX_CONNS=10", "CENTRALITA_JWT_SECRET=" + cfg.JWTSecret,
		"CENTRALITA_SECRET_KEY=" + cfg.SecretKey, "WHATSAPP_APP_SECRET=" + testAppSecret,
		"WHATSAPP_GRAPH_URL=" + graph.URL, "CENTRALITA_LOG_LEVEL=info", "CENTRALITA_ARGON2_MEMORY_KIB=64",
		"CENTRALITA_ARGON2_ITERATIONS=1", "WHATSAPP_SEND_RATE=1000",
		// A dead process's jobs are retried after 2 s, and a send whose
		// answer was lost waits 3 s for its receipt before going again.
		"CENTRALITA_JOB_TIMEOUT=1s", "WHATSAPP_SEND_RECEIPT_WAIT=3s",
		// The drill's clients retry as fast as they can on one key; rate
		// limits (rate_limit_test.go) would only slow it down.
		"CENTRALITA_API_RATE_LIMIT=0"}
	withheld := func(messageID string) bool {
		h := fnv.New32a()
		_, _ = h.Write([]byte(messageID))
		return h.Sum32()%5 == 0
	}
	load := newCrashLoad(fakeNumberID, apiKey, waIDs, convIDs, fake, withheld)

	const rounds = 4
	for range rounds {
		child := startChild(t, bin, env)
		ctx, cancel := context.WithCancel(context.Background())
		running := load.run(ctx, child.URL)
		time.Sleep(300*time.Millisecond + rand.N(1200*time.Millisecond))
		child.kill()
		cancel()
		running.Wait()
	}

	// The next process finishes the work: clients and Meta post again
	// what was not acknowledged; jobs of the dead processes are retried.
	final := startChild(t, bin, env)
	load.mu.Lock()
	load.generate = false
	load.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	running := load.run(ctx, final.URL)
	defer func() { cancel(); running.Wait() }()
	require.Eventually(t, load.settled, 30*time.Second, 50*time.Millisecond, "clients never got every answer")
	db, err := persistence.Open(context.Background(), persistence.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	require.NoError(t, err)
	defer db.Close()
	outbound := func() map[string]string {
		return queryPairs(t, db, "SELECT id, status FROM messages WHERE direction = 'outbound'")
	}
	drained := func() bool {
		for id, status := range outbound() {
			// Receipts move a message to delivered; without them it
			// stays at sent, where its own send left it.
			want := domain.DeliveryDelivered
			if withheld(id) {
				want = domain.DeliverySent
			}
			if status != string(want) {
				return false
			}
		}
		return load.settled()
	}
	for deadline := time.Now().Add(60 * time.Second); !drained(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("sends never drained: %v\njobs: %v\n%s", outbound(), queryPairs(t, db,
				"SELECT id || ' ' || state || ' ' || attempt, coalesce(scheduled_at, '') || ' ' || coalesce(attempted_at, '') FROM river_job WHERE state <> 'completed'"),
				final.lastLog())
		}
	}

	// Inbound: every acknowledged wamid stored, once.
	inbound := queryPairs(t, db, "SELECT provider_message_id, id FROM messages WHERE direction = 'inbound' AND provider_message_id LIKE 'wamid.crash.%'")
	require.Len(t, inbound, len(load.deliveryWAMIDs))
	for _, wamid := range load.deliveryWAMIDs {
		require.Contains(t, inbound, wamid)
	}
	var rows int
	require.NoError(t, persistencetest.SQL(t, db).QueryRow("SELECT count(*) FROM messages WHERE direction = 'inbound' AND provider_message_id LIKE 'wamid.crash.%'").Scan(&rows))
	require.Equal(t, len(inbound), rows, "no inbound message stored twice")

	// Outbound: one message per acknowledged key, each accepted by Meta;
	// twice only where Meta's answer was lost and its receipt withheld.
	sent := outbound()
	require.Len(t, sent, len(load.sends), "one message per Idempotency-Key")
	accepted := map[string]int{}
	for _, m := range fake.SentMessages() {
		accepted[m.BizOpaqueCallbackData]++
	}
	twice := 0
	for _, id := range load.sentIDs {
		require.Contains(t, sent, id)
		require.GreaterOrEqual(t, accepted[id], 1, "acknowledged send %s never reached Meta", id)
		if accepted[id] > 1 {
			twice++
			require.True(t, withheld(id), "message %s was sent %d times although Meta's receipt came", id, accepted[id])
		}
	}
	lost, lostWithReceipt := meta.lostAnswers(), 0
	for id := range lost {
		if !withheld(id) {
			lostWithReceipt++
		}
	}
	t.Logf("%d kills; %d inbound deliveries (%d messages) stored once each, after %d posts; %d sends; "+
		"%d accepted by Meta with the answer lost in flight, %d of them recovered from their receipt and not sent again; "+
		"%d messages sent twice, all among those whose receipts Meta withheld",
		rounds, load.acked, len(load.deliveryWAMIDs), load.posted, len(load.sends), len(lost), lostWithReceipt, twice)
}

// seedCrashWorkspace creates, through the domain, a workspace with its
// admin API key, the fake's number and six customers who wrote in.
func seedCrashWorkspace(t *testing.T, cfg Config) (apiKey string, waIDs, convIDs []string) {
	ctx := context.Background()
	db, err := openDB(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(t, err)
	defer db.Close()
	svc, err := newService(cfg, db)
	require.NoError(t, err)
	out, err := svc.Bootstrap(ctx, domain.BootstrapInput{WorkspaceName: "Crash Co", Email: "owner@crash.test", Password: testPassword})
	require.NoError(t, err)
	sys := domain.SystemContext(ctx, out.Workspace.ID)
	ch, err := svc.CreateChannel(sys, domain.ChannelInput{PhoneNumberID: valuePtr(fakeNumberID),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	for _, waID := range []string{"5215512345601", "5215512345602", "5491123456703", "5511987654304", "573001234505", "51987654306"} {
		c, err := svc.CreateContact(sys, domain.ContactInput{WaID: valuePtr(waID)})
		require.NoError(t, err)
		conv, err := svc.CreateConversation(sys, domain.NewConversation{ContactID: c.ID, ChannelID: ch.ID})
		require.NoError(t, err)
		_, err = svc.RecordInboundText(sys, conv.ID, "hola", time.Now())
		require.NoError(t, err)
		waIDs, convIDs = append(waIDs, waID), append(convIDs, conv.ID)
	}
	return out.APIKey.Secret, waIDs, convIDs
}

// queryPairs runs a two-column query into a map.
func queryPairs(t *testing.T, db *persistence.DB, query string) map[string]string {
	rows, err := persistencetest.SQL(t, db).Query(query)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		require.NoError(t, rows.Scan(&k, &v))
		out[k] = v
	}
	require.NoError(t, rows.Err())
	return out
}
