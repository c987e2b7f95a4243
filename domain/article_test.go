package domain

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWithArticleFollowsTheSound(t *testing.T) {
	for word, want := range map[string]string{
		"open": "an open", "new": "a new", "pending_customer": "a pending_customer", "closed": "a closed",
		"image": "an image", "audio": "an audio", "video": "a video", "document": "a document", "sticker": "a sticker",
		"Order": "an Order", "user": "a user", "unicorn": "a unicorn", "one-time": "a one-time", "European": "a European",
		"hour": "an hour", "honest": "an honest", "hotel": "a hotel", "umbrella": "an umbrella", "": "a ",
	} {
		require.Equal(t, want, withArticle(word), word)
	}
}
