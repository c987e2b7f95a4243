package whatsapp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fixturesDir is the shared fixture folder seen from this package: the repo
// is /work/main and shared/ sits beside it (the same layout in CI).
const fixturesDir = "../../shared/fixtures/whatsapp"

func requireFixturesDir(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(fixturesDir); err != nil {
		tb.Skipf("WhatsApp fixtures not found at %s (expected ../shared beside the repo): %v", fixturesDir, err)
	}
}

func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	requireFixturesDir(tb)
	b, err := os.ReadFile(filepath.Join(fixturesDir, name))
	require.NoError(tb, err)
	return b
}

// isWebhookFixture tells webhook deliveries from send/media/graph bodies.
func isWebhookFixture(name string) bool {
	for _, p := range []string{"inbound_", "status_", "batch_", "edge_", "value_errors_", "real_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return name == "webhook_user_id_update.json"
}

func webhookFixtures(tb testing.TB) []string {
	tb.Helper()
	requireFixturesDir(tb)
	entries, err := os.ReadDir(fixturesDir)
	require.NoError(tb, err)
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && isWebhookFixture(e.Name()) {
			names = append(names, e.Name())
		}
	}
	require.NotEmpty(tb, names)
	return names
}

func parseFixture(t *testing.T, name string) *Delivery {
	t.Helper()
	d, err := ParseWebhook(fixture(t, name))
	require.NoError(t, err, name)
	return d
}

// onlyMessage returns the single inbound message of a one-message fixture.
func onlyMessage(t *testing.T, name string) (Change, InboundMessage) {
	t.Helper()
	d := parseFixture(t, name)
	require.Empty(t, d.Problems, name)
	require.Len(t, d.Changes, 1, name)
	require.Len(t, d.Changes[0].Messages, 1, name)
	return d.Changes[0], d.Changes[0].Messages[0]
}

func onlyStatus(t *testing.T, name string) StatusUpdate {
	t.Helper()
	d := parseFixture(t, name)
	require.Empty(t, d.Problems, name)
	require.Len(t, d.Changes, 1, name)
	require.Len(t, d.Changes[0].Statuses, 1, name)
	return d.Changes[0].Statuses[0]
}
