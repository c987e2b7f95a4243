package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// batchDelivery is one POST carrying n messages from n customers, the
// largest Meta sends (every tenth an image); poisoned lists the indexes whose sender is not a
// WhatsApp id, which the domain refuses.
func batchDelivery(prefix string, n int, poisoned ...int) []byte {
	senders := make([]int, n)
	for i := range senders {
		senders[i] = i
	}
	return batchDeliveryFrom(prefix, senders, poisoned...)
}

// batchDeliveryFrom is batchDelivery with message i sent by customer
// senders[i].
func batchDeliveryFrom(prefix string, senders []int, poisoned ...int) []byte {
	bad := map[int]bool{}
	for _, i := range poisoned {
		bad[i] = true
	}
	var contacts, messages []string
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for i, sender := range senders {
		from := fmt.Sprintf("52155510%05d", sender)
		if bad[i] {
			from = "not-a-sender!"
		}
		contacts = append(contacts, `{"profile":{"name":"Cliente"},"wa_id":"`+from+`"}`)
		content := `"type":"text","text":{"body":"hola ` + strconv.Itoa(i) + `"}`
		if i%10 == 9 { // its download is a job inserted in the same transaction
			content = `"type":"image","image":{"id":"media.` + prefix + `.` + strconv.Itoa(i) + `","mime_type":"image/jpeg"}`
		}
		messages = append(messages, `{"from":"`+from+`","id":"wamid.`+prefix+`.`+strconv.Itoa(i)+
			`","timestamp":"`+ts+`",`+content+`}`)
	}
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"` + testWABAID + `","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"` +
		testNumber + `"},"contacts":[` + strings.Join(contacts, ",") + `],"messages":[` + strings.Join(messages, ",") + `]}}]}]}`)
}

func transactionsIn(statements []string) (begins, commits int) {
	for _, s := range statements {
		switch s {
		case "BEGIN":
			begins++
		case "COMMIT or ROLLBACK":
			commits++
		}
	}
	return begins, commits
}

// A delivery of 50 messages is stored in one transaction (one commit, so
// one fsync on SQLite), each message under its own savepoint; redelivering
// it adds nothing.
func TestIngestBatchOfFiftyInOneTransaction(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Batch Co")
	a.channel(tn, testNumber)
	body := batchDelivery("batch", 50)

	seen := a.statementsOf(body)
	begins, commits := transactionsIn(seen)
	t.Logf("a batch of 50: %d statements", len(seen))
	require.Equal(t, 1, begins, "one BEGIN for the whole delivery")
	require.Equal(t, 1, commits, "one COMMIT for the whole delivery")
	require.Equal(t, 50, a.count("messages"))
	require.Equal(t, 50, a.count("contacts"))
	require.Equal(t, 5, a.count("river_job WHERE kind = '"+string(domain.JobMediaDownload)+"'"),
		"the image downloads joined the transaction")

	seen = a.statementsOf(body)
	t.Logf("its redelivery: %d statements", len(seen))
	begins, commits = transactionsIn(seen)
	require.Equal(t, 1, begins)
	require.Equal(t, 1, commits)
	require.Equal(t, 50, a.count("messages"), "a redelivery adds nothing")
	require.Equal(t, 50, a.count("contacts"))
	require.Equal(t, 0, a.count("webhook_dead_letters"))
	require.Equal(t, 5, a.count("river_job WHERE kind = '"+string(domain.JobMediaDownload)+"'"))
}

// One item the domain refuses is dead-lettered and undone alone: the other
// 49 of its delivery are stored, in the same transaction, and a
// redelivery of the whole batch neither doubles them nor the dead letter.
func TestIngestBatchWithAPoisonedItemDeadLettersOnlyIt(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Poison Co")
	a.channel(tn, testNumber)
	before := a.scrape()
	body := batchDelivery("poison", 50, 25)

	seen := a.statementsOf(body)
	begins, commits := transactionsIn(seen)
	require.Equal(t, 1, begins, "the refused item does not fail the batch")
	require.Equal(t, 1, commits)
	require.Equal(t, 49, a.count("messages"))
	require.Equal(t, 49, a.count("contacts"))
	require.Equal(t, 1, a.count("webhook_dead_letters"))
	var reason string
	require.NoError(t, a.sql().QueryRow("SELECT reason FROM webhook_dead_letters").Scan(&reason))
	require.Contains(t, reason, "wamid.poison.25")

	require.Equal(t, http.StatusOK, a.deliver(body).Status, "Meta's redelivery")
	require.Equal(t, 49, a.count("messages"))
	require.Equal(t, 1, a.count("webhook_dead_letters"), "kept once")

	after := a.scrape()
	require.Equal(t, map[string]float64{"kind=message,outcome=applied": 49, "kind=message,outcome=duplicate": 49,
		"kind=message,outcome=dead_lettered": 2}, after.moved(before, "centralita_whatsapp_webhook_items_total"))
	require.Equal(t, map[string]float64{"reason=refused_item": 2},
		after.moved(before, "centralita_whatsapp_dead_letters_total"))
}

// Two deliveries naming the same new customers in opposite orders, at
// once: on Postgres their transactions can deadlock or race on the
// contacts, and the one that loses falls back to one transaction per item.
// Both are acknowledged, every message is stored once and every customer
// once.
func TestIngestConcurrentBatchesOnTheSameCustomers(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Race Co")
	a.channel(tn, testNumber)
	const n = 20
	forward := batchDelivery("forward", n)
	var reversed []int
	for i := range n {
		reversed = append(reversed, n-1-i)
	}
	backward := batchDeliveryFrom("backward", reversed)
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, body := range [][]byte{forward, backward} {
		wg.Go(func() { statuses[i] = a.deliver(body).Status })
	}
	wg.Wait()
	require.Equal(t, []int{http.StatusOK, http.StatusOK}, statuses)
	require.Equal(t, 2*n, a.count("messages"))
	require.Equal(t, n, a.count("contacts"))
	require.Equal(t, 0, a.count("webhook_dead_letters"))
}
