package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
	"github.com/centralita/centralita/persistence/persistencetest"
	"github.com/centralita/centralita/whatsapp"
)

// The worker gives up on a send while a receipt proving it got through is
// being applied: the receipt wins, and the wamid it taught stays, so later
// receipts still find the message. (Postgres: SQLite has one writer, so
// the two cannot interleave.)
func TestGivingUpDoesNotUndoAReceiptCommittingMeanwhile(t *testing.T) {
	if persistencetest.Dialect() != persistence.DialectPostgres {
		t.Skip("needs concurrent writers")
	}
	a := newTestApp(t, withGraph(t, newFakeGraph(whatsapp.FakeGraphOptions{})))
	tn := a.bootstrap("Race Co")
	conv := a.openConversation(tn, "Ana", true)
	m, err := a.Service.SendText(a.system(tn), conv.ID, "hola")
	require.NoError(t, err)

	// Stands for ApplyStatus holding the row: the receipt teaches the wamid
	// and moves the message to delivered, then commits.
	ctx := context.Background()
	tx, err := a.sql().BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "SELECT id FROM messages WHERE id = $1 FOR UPDATE", m.ID)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "UPDATE messages SET status = 'delivered', provider_message_id = 'wamid.late' WHERE id = $1", m.ID)
	require.NoError(t, err)
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- a.Service.FailSend(a.system(tn), m.ID, "", "gave up after 12 attempts") }()
	time.Sleep(300 * time.Millisecond) // FailSend reaches the row and waits for it
	require.NoError(t, tx.Commit())
	require.NoError(t, <-gaveUp)

	got, err := a.Service.Message(a.system(tn), m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.DeliveryDelivered, got.Status, "proof of delivery outranks giving up")
	require.Equal(t, "wamid.late", got.ProviderMessageID)
	require.Empty(t, got.ErrorTitle)
}
