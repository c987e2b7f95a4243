package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/centralita/centralita/api"
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence/persistencetest"
	"github.com/centralita/centralita/whatsapp"
)

// BenchmarkIngest stores one customer text per iteration through the
// domain on a real database (CENTRALITA_TEST_DATABASE_URL for Postgres),
// the webhook's work minus HTTP and parsing: from a known customer, and
// from a new one each time. Figures go to BENCHMARKS.md, never into a test.
//
//	go test -run '^$' -bench Ingest -benchtime 2000x ./cmd/centralita/
func BenchmarkIngest(b *testing.B) {
	for _, known := range []bool{true, false} {
		name := "new_contact"
		if known {
			name = "known_customer"
		}
		b.Run(name, func(b *testing.B) {
			db := persistencetest.New(b)
			svc := domain.NewService(db.Store(), api.Argon2id{MemoryKiB: 64, Iterations: 1, Threads: 1},
				domain.Options{PhoneE164: whatsapp.E164FromWaID, PhoneCountry: whatsapp.CountryFromWaID})
			out, err := svc.Bootstrap(context.Background(), domain.BootstrapInput{WorkspaceName: "Bench Co",
				Email: "bench@example.com", Password: testPassword})
			if err != nil {
				b.Fatal(err)
			}
			ctx := domain.SystemContext(context.Background(), out.Workspace.ID)
			ch, err := svc.CreateChannel(ctx, domain.ChannelInput{PhoneNumberID: valuePtr(testNumber),
				WABAID: valuePtr(testWABAID), DisplayPhoneNumber: valuePtr("15550783881")})
			if err != nil {
				b.Fatal(err)
			}
			sent := time.Now()
			b.ResetTimer()
			for i := range b.N {
				from := "51900000001"
				if !known {
					from = fmt.Sprintf("519%08d", i)
				}
				_, err := svc.ReceiveMessage(ctx, ch, domain.InboundMessage{ProviderMessageID: fmt.Sprintf("wamid.bench.%d", i),
					WaID: from, ProfileName: "Ana", Timestamp: sent, Type: domain.MessageText, Text: "hola"})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
