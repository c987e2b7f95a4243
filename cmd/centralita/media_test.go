package main

// Inbound media end to end: a signed webhook names a media id that exists
// in the fake Graph API; the message is listed at once with its media
// pending; the job downloads the file with the number's token; the REST
// route serves the same bytes with headers that keep a hostile file inert.

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// mediaWorld is an app whose number lives in a fake Graph API.
type mediaWorld struct {
	*testApp
	tn   tenant
	fake *whatsapp.FakeGraph
	rest *restClient
}

func newMediaWorld(t *testing.T) *mediaWorld {
	t.Helper()
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{Numbers: map[string]whatsapp.FakeNumber{
		fakeNumberID: {WABAID: "102290129340398", DisplayPhoneNumber: "15550783881", Token: fakeToken}}})
	a := newTestApp(t, withGraph(t, fake))
	tn := a.bootstrap("Media Co")
	_, err := a.Service.CreateChannel(a.system(tn), domain.ChannelInput{PhoneNumberID: valuePtr(fakeNumberID),
		WABAID: valuePtr("102290129340398"), DisplayPhoneNumber: valuePtr("15550783881"), AccessToken: valuePtr(fakeToken)})
	require.NoError(t, err)
	spec, err := legacy.NewRouter(loadOpenAPI(t))
	require.NoError(t, err)
	return &mediaWorld{testApp: a, tn: tn, fake: fake, rest: &restClient{t: t, app: a, spec: spec}}
}

// mediaDelivery is Meta's delivery of one customer media message of kind
// (image, document, audio, video, sticker) whose payload is media.
func mediaDelivery(wamid, kind string, media map[string]any) []byte {
	msg := map[string]any{"from": "16505551234", "id": wamid, "timestamp": strconv.FormatInt(time.Now().Unix(), 10),
		"type": kind, kind: media}
	value := map[string]any{"messaging_product": "whatsapp",
		"metadata": map[string]string{"display_phone_number": "15550783881", "phone_number_id": fakeNumberID},
		"contacts": []any{map[string]any{"profile": map[string]string{"name": "Sheena"}, "wa_id": "16505551234"}},
		"messages": []any{msg}}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{
		map[string]any{"id": "102290129340398", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	return whatsapp.MetaEscape(body)
}

// metaSHA256 is the hash as Meta writes it in webhooks (base64).
func metaSHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func hexSHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// receive delivers a media message and returns its stored message.
func (w *mediaWorld) receive(wamid, kind string, media map[string]any) *domain.Message {
	w.t.Helper()
	require.Equal(w.t, http.StatusOK, w.deliver(mediaDelivery(wamid, kind, media)).Status)
	ch, err := w.Service.ChannelForPhoneNumber(w.system(w.tn), fakeNumberID)
	require.NoError(w.t, err)
	m, err := w.DB.Store().FindMessageByProviderID(w.system(w.tn), ch.ID, wamid)
	require.NoError(w.t, err)
	return m
}

// waitForMedia polls until the message's media reaches state.
func (w *mediaWorld) waitForMedia(messageID string, state domain.MediaState) *domain.Message {
	w.t.Helper()
	var m *domain.Message
	require.Eventually(w.t, func() bool {
		var err error
		m, err = w.Service.Message(w.system(w.tn), messageID)
		require.NoError(w.t, err)
		return m.Media.State == state
	}, 20*time.Second, 20*time.Millisecond, "media of %s never became %s", messageID, state)
	return m
}

// restMessage reads a message through the REST listing of its conversation.
func (w *mediaWorld) restMessage(token string, m *domain.Message) map[string]any {
	w.t.Helper()
	for _, got := range listData(w.t, w.rest.expect(200, "GET", "/v1/conversations/"+m.ConversationID+"/messages", token, nil)) {
		if got["id"] == m.ID {
			return got
		}
	}
	w.t.Fatalf("message %s not listed", m.ID)
	return nil
}

// gqlMedia reads a message's media and mediaUrl through GraphQL.
func (w *mediaWorld) gqlMedia(token string, m *domain.Message) (map[string]any, any) {
	w.t.Helper()
	d := w.gqlOK(token, `query($id: ID!) { conversation(id: $id) { messages(first: 50) { nodes {
		id mediaUrl media { state size sha256 mimeType filename caption error } } } } }`, map[string]any{"id": m.ConversationID})
	for _, n := range d.list(w.t, "conversation.messages.nodes") {
		node := n.(map[string]any)
		if node["id"] == m.ID {
			media, _ := node["media"].(map[string]any)
			return media, node["mediaUrl"]
		}
	}
	w.t.Fatalf("message %s not in GraphQL", m.ID)
	return nil, nil
}

// storedFiles lists the files in the media directory.
func (w *mediaWorld) storedFiles() []string {
	w.t.Helper()
	var out []string
	dir := w.Config.mediaDir()
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// graphCalls counts the fake's requests whose path starts with prefix.
func (w *mediaWorld) graphCalls(prefix string) int {
	n := 0
	for _, r := range w.fake.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func TestInboundImageIsPendingThenServedSafely(t *testing.T) {
	w := newMediaWorld(t)
	png := samplePNG()
	mediaID := w.fake.AddMedia(fakeNumberID, "image/png", png)
	m := w.receive("wamid.media.image.1", "image", map[string]any{"id": mediaID, "mime_type": "image/png",
		"sha256": metaSHA256(png), "caption": "mi comprobante"})

	// Listed at once, pending, with no URL yet: REST and GraphQL agree.
	view := w.restMessage(w.tn.OwnerToken, m)
	require.Equal(t, "image", view["type"])
	media := view["media"].(map[string]any)
	require.Equal(t, "pending", media["state"])
	require.Nil(t, media["url"])
	require.Equal(t, "mi comprobante", media["caption"])
	require.Equal(t, hexSHA256(png), media["sha256"], "Meta's base64 hash is shown as hex")
	gm, url := w.gqlMedia(w.tn.OwnerToken, m)
	require.Equal(t, "PENDING", gm["state"])
	require.Nil(t, url)
	res := w.rest.call("GET", "/v1/messages/"+m.ID+"/media", w.tn.OwnerToken, nil)
	require.Equal(t, http.StatusPreconditionFailed, res.Status)
	require.Equal(t, "precondition_failed", problemOf(t, res).Code)
	require.Equal(t, "5", res.Header.Get("Retry-After"))
	require.Zero(t, w.graphCalls("/"), "nothing is fetched before a worker runs")

	w.startJobs()
	ready := w.waitForMedia(m.ID, domain.MediaReady)
	require.EqualValues(t, len(png), ready.Media.Size)
	require.Equal(t, hexSHA256(png), ready.Media.SHA256)

	view = w.restMessage(w.tn.OwnerToken, m)
	media = view["media"].(map[string]any)
	require.Equal(t, "ready", media["state"])
	require.EqualValues(t, len(png), media["size"])
	require.Equal(t, hexSHA256(png), media["sha256"])
	require.Equal(t, "/v1/messages/"+m.ID+"/media", media["url"])
	gm, url = w.gqlMedia(w.tn.OwnerToken, m)
	require.Equal(t, "READY", gm["state"])
	require.Equal(t, media["url"], url)
	require.EqualValues(t, len(png), gm["size"])

	res = w.rest.call("GET", media["url"].(string), w.tn.OwnerToken, nil)
	require.Equal(t, http.StatusOK, res.Status)
	require.True(t, bytes.Equal(png, res.Body), "the same bytes come back")
	require.Equal(t, "image/png", res.Header.Get("Content-Type"))
	require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	require.Equal(t, `attachment; filename="`+m.ID+`.png"`, res.Header.Get("Content-Disposition"))
	require.Equal(t, "default-src 'none'; sandbox", res.Header.Get("Content-Security-Policy"))
	require.Equal(t, "private, max-age=3600", res.Header.Get("Cache-Control"))
	require.Equal(t, strconv.Itoa(len(png)), res.Header.Get("Content-Length"))
	etag := res.Header.Get("ETag")
	require.Equal(t, `"`+hexSHA256(png)+`"`, etag)

	again := w.rest.call("GET", media["url"].(string), w.tn.OwnerToken, nil, "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, again.Status)
	require.Empty(t, again.Body)
	changed := w.rest.call("GET", media["url"].(string), w.tn.APIKey, nil, "If-None-Match", `"`+strings.Repeat("0", 64)+`"`)
	require.Equal(t, http.StatusOK, changed.Status, "an API key downloads too")

	// One lookup and one download, with the number's token, and one file.
	require.Equal(t, 1, w.graphCalls("/v24.0/"+mediaID))
	var downloads []whatsapp.RecordedRequest
	for _, r := range w.fake.Requests() {
		if strings.HasPrefix(r.Path, "/fake-media-download/") {
			downloads = append(downloads, r)
		}
	}
	require.Len(t, downloads, 1)
	require.Equal(t, "Bearer "+fakeToken, downloads[0].Header.Get("Authorization"))
	require.Len(t, w.storedFiles(), 1)
	require.Equal(t, 1, w.count("media_files"))
}
