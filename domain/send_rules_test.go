package domain

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReactionEmoji(t *testing.T) {
	for _, ok := range []string{"", "👍", "❤️", "🇵🇪", "👩🏽‍💻", "👨‍👩‍👧‍👦", "#️⃣", "1️⃣"} {
		require.True(t, isEmoji(ok), "%q", ok)
	}
	for _, bad := range []string{"ok", "1", "#", " 👍", "👍 ", "a👍", "¡", "ñ", "👍👍👍👍👍👍👍👍👍"} {
		require.False(t, isEmoji(bad), "%q", bad)
	}
}

// A message read back from the database (empty lists as nil, zero values
// dropped) fingerprints like the request that made it.
func TestSendFingerprintIgnoresEmptyValues(t *testing.T) {
	draft := &Message{Type: MessageInteractive, Text: "¿Sí?", Interactive: &Interactive{Kind: InteractiveButtons,
		Buttons: []ReplyButton{{ID: "si", Title: "Sí"}}, Sections: []ListSection{}}}
	stored := &Message{Type: MessageInteractive, Text: "¿Sí?", Status: DeliverySent, ProviderMessageID: "wamid.x",
		Interactive: &Interactive{Kind: InteractiveButtons, Buttons: []ReplyButton{{ID: "si", Title: "Sí"}}}}
	require.Equal(t, sendFingerprint(draft), sendFingerprint(stored))
	stored.Interactive.Buttons[0].Title = "Si"
	require.NotEqual(t, sendFingerprint(draft), sendFingerprint(stored))

	upload := &Message{Type: MessageImage, Media: &Media{UploadID: "med_1", State: MediaReady}}
	uploaded := &Message{Type: MessageImage, Media: &Media{UploadID: "med_1", ProviderID: "123", State: MediaReady}}
	require.Equal(t, sendFingerprint(upload), sendFingerprint(uploaded), "Meta's media id is delivery, not request")
}
