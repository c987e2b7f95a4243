package main

import (
	"bytes"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

// The media route answers exactly like reading the message: another
// workspace's credentials and an agent who cannot see the conversation get
// the 404 of an unknown id; without credentials it is 401.
func TestMediaRouteFollowsMessageVisibility(t *testing.T) {
	w := newMediaWorld(t)
	png := samplePNG()
	mediaID := w.fake.AddMedia(fakeNumberID, "image/png", png)
	m := w.receive("wamid.media.private", "image", map[string]any{"id": mediaID, "mime_type": "image/png"})
	w.startJobs()
	w.waitForMedia(m.ID, domain.MediaReady)
	path := "/v1/messages/" + m.ID + "/media"
	unknown := "/v1/messages/" + domain.NewID(domain.PrefixMessage) + "/media"

	other := w.bootstrap("Other Co")
	queue := idOf(t, w.rest.expect(201, "POST", "/v1/queues", w.tn.OwnerToken, map[string]any{"name": "Soporte"}))
	_, outsider := w.member(w.tn, "outsider@example.com", domain.RoleAgent)
	_, insider := w.member(w.tn, "insider@example.com", domain.RoleAgent, queue)
	for name, token := range map[string]string{"other workspace's owner": other.OwnerToken,
		"other workspace's API key": other.APIKey, "agent outside the conversation's queue": outsider,
		"insider before the transfer": insider} {
		res := w.rest.call("GET", path, token, nil)
		require.Equal(t, http.StatusNotFound, res.Status, name)
		ref := w.rest.call("GET", unknown, token, nil)
		got, want := problemOf(t, res), problemOf(t, ref)
		require.Equal(t, want.Code, got.Code, name)
		require.Equal(t, want.Detail, got.Detail, name)
		require.NotContains(t, string(res.Body), mediaID, name)
		require.Empty(t, res.Header.Get("ETag"), name)
	}

	w.rest.expect(200, "POST", "/v1/conversations/"+m.ConversationID+"/transfer", w.tn.OwnerToken,
		map[string]any{"queue_id": queue})
	res := w.rest.expect(200, "GET", path, insider, nil)
	require.Equal(t, png, res.Body, "an agent of the conversation's queue downloads it")
	w.rest.expect(404, "GET", path, outsider, nil)

	res = w.rest.expect(401, "GET", path, "", nil)
	require.NotEmpty(t, res.Header.Get("WWW-Authenticate"))
	w.rest.expect(401, "GET", path, "ck_not_a_real_key", nil)
	w.rest.expect(404, "GET", "/v1/messages/not-an-id/media", w.tn.OwnerToken, nil)
	w.rest.expect(404, "GET", "/v1/messages/"+m.ConversationID+"/media", w.tn.OwnerToken, nil)
}

// A message without a file has no media to download.
func TestTextMessageHasNoMedia(t *testing.T) {
	w := newMediaWorld(t)
	require.Equal(t, http.StatusOK, w.deliver(textDelivery(fakeNumberID, "wamid.text.1", "16505551234")).Status)
	ch, err := w.Service.ChannelForPhoneNumber(w.system(w.tn), fakeNumberID)
	require.NoError(t, err)
	m, err := w.DB.Store().FindMessageByProviderID(w.system(w.tn), ch.ID, "wamid.text.1")
	require.NoError(t, err)
	require.Nil(t, w.restMessage(w.tn.OwnerToken, m)["media"])
	p := problemOf(t, w.rest.expect(404, "GET", "/v1/messages/"+m.ID+"/media", w.tn.OwnerToken, nil))
	require.Equal(t, "not_found", p.Code)
}

// Two runs of the download racing for one message keep one file: the loser
// removes its bytes and records nothing.
func TestConcurrentStoresKeepOneFile(t *testing.T) {
	w := newMediaWorld(t)
	m := w.receive("wamid.media.race", "image", map[string]any{"id": "1", "mime_type": "image/png"})
	png := samplePNG()
	sys := w.system(w.tn)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.Service.StoreInboundMedia(sys, m.ID, bytes.NewReader(png), "image/png")
		}()
	}
	wg.Wait()
	for _, err := range errs {
		// A run may lose on a lock (SQLite busy, a Postgres conflict): the
		// job would retry it; what matters is what is kept.
		if err != nil {
			require.NotEqual(t, domain.CodeNotFound, domain.ErrorCode(err), err.Error())
		}
	}
	stored, err := w.Service.Message(sys, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.MediaReady, stored.Media.State)
	require.Equal(t, 1, w.count("media_files"))
	require.Len(t, w.storedFiles(), 1)
	res := w.rest.expect(200, "GET", "/v1/messages/"+m.ID+"/media", w.tn.OwnerToken, nil)
	require.Equal(t, png, res.Body)
}
