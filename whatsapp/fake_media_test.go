package whatsapp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// Media failure rules hit only lookups of their media id, and send rules
// never hit media lookups, so a test can break one without the other.
func TestFakeFailsMediaLookupsByID(t *testing.T) {
	env := newFakeEnv(t)
	ctx := context.Background()
	id := env.fake.AddMedia(pnidA, "image/png", []byte("png"))
	other := env.fake.AddMedia(pnidA, "image/png", []byte("other"))
	env.fake.FailNext(FailRule{MediaID: id, Code: 2, IsTransient: true})
	env.fake.FailNext(FailRule{Code: 131026, Times: -1}) // every send

	_, err := env.client.GetMediaURL(ctx, tokenA, other)
	require.NoError(t, err, "another media id is unaffected, and send rules skip media")
	_, err = env.client.GetMediaURL(ctx, tokenA, id)
	ge := requireGraphError(t, err, 503, 2)
	require.True(t, ge.Retryable())
	info, err := env.client.GetMediaURL(ctx, tokenA, id)
	require.NoError(t, err, "the rule is used up")
	require.EqualValues(t, 3, info.FileSize)

	_, err = env.client.SendMessage(ctx, pnidA, tokenA, text("x"))
	requireGraphError(t, err, 400, 131026)
}

// PutMedia serves a file under an id the caller chose.
func TestFakePutMediaUsesTheGivenID(t *testing.T) {
	env := newFakeEnv(t)
	ctx := context.Background()
	env.fake.PutMedia("900000000000001", pnidA, "application/pdf", []byte("%PDF-1.4"))
	info, err := env.client.GetMediaURL(ctx, tokenA, "900000000000001")
	require.NoError(t, err)
	got, mimeType, err := env.client.DownloadMedia(ctx, tokenA, info.URL, 1<<20)
	require.NoError(t, err)
	require.Equal(t, "%PDF-1.4", string(got))
	require.Equal(t, "application/pdf", mimeType)
}

// OpenMedia streams; a body longer than announced fails while reading
// instead of being cut silently, and exactly maxBytes is fine.
func TestOpenMediaStreamsUnderTheCap(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "video/mp4")
		w.(http.Flusher).Flush() // no Content-Length: the cap is checked while reading
		_, _ = w.Write(data)
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL} // media on the Graph host, as with a fake
	body, mimeType, err := c.OpenMedia(context.Background(), "tok", srv.URL, int64(len(data)))
	require.NoError(t, err)
	got, err := io.ReadAll(body)
	require.NoError(t, err)
	require.NoError(t, body.Close())
	require.Equal(t, data, got)
	require.Equal(t, "video/mp4", mimeType)

	body, _, err = c.OpenMedia(context.Background(), "tok", srv.URL, int64(len(data)-1))
	require.NoError(t, err)
	_, err = io.ReadAll(body)
	require.ErrorIs(t, err, ErrMediaTooLarge)
	require.NoError(t, body.Close())
}
