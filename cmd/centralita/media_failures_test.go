package main

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// A customer's file is data, never a page: a hostile document name becomes
// a bare, quoted file name, and HTML or SVG is served as octet-stream.
func TestHostileMediaIsServedInert(t *testing.T) {
	w := newMediaWorld(t)
	html := []byte(`<html><script>fetch("/v1/api-keys")</script></html>`)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)
	docID := w.fake.AddMedia(fakeNumberID, "text/html", html)
	svgID := w.fake.AddMedia(fakeNumberID, "image/svg+xml", svg)
	hostile := "../../etc/\"evil\"\r\nX-Injected: 1\r\n\r\n<b>.html"
	doc := w.receive("wamid.media.doc.hostile", "document", map[string]any{"id": docID, "mime_type": "text/html",
		"filename": hostile})
	img := w.receive("wamid.media.svg", "image", map[string]any{"id": svgID, "mime_type": "image/svg+xml"})
	w.startJobs()
	w.waitForMedia(doc.ID, domain.MediaReady)
	w.waitForMedia(img.ID, domain.MediaReady)

	res := w.rest.expect(200, "GET", "/v1/messages/"+doc.ID+"/media", w.tn.OwnerToken, nil)
	require.Equal(t, html, res.Body)
	require.Equal(t, "application/octet-stream", res.Header.Get("Content-Type"))
	require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	require.Equal(t, "default-src 'none'; sandbox", res.Header.Get("Content-Security-Policy"))
	require.Empty(t, res.Header.Get("X-Injected"), "no header injection")
	cd := res.Header.Get("Content-Disposition")
	require.NotContains(t, cd, "..")
	require.NotContains(t, cd, "/")
	disposition, params, err := mime.ParseMediaType(cd)
	require.NoError(t, err, cd)
	require.Equal(t, "attachment", disposition)
	require.Equal(t, `"evil"X-Injected: 1<b>.html`, params["filename"], "the name survives, minus path and line breaks")

	res = w.rest.expect(200, "GET", "/v1/messages/"+img.ID+"/media", w.tn.OwnerToken, nil)
	require.Equal(t, svg, res.Body)
	require.Equal(t, "application/octet-stream", res.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="`+img.ID+`.bin"`, res.Header.Get("Content-Disposition"))
}

// A media id Meta does not know (Graph error 100/33) ends the media failed
// with a reason at once; the message and its caption stay.
func TestUnknownMediaIDFailsTheMediaNotTheMessage(t *testing.T) {
	w := newMediaWorld(t)
	m := w.receive("wamid.media.unknown", "image", map[string]any{"id": "1003383421387256", "mime_type": "image/jpeg",
		"caption": "Taj Mahal"})
	w.startJobs()
	failed := w.waitForMedia(m.ID, domain.MediaFailed)
	require.Contains(t, failed.Media.Error, "100/33")
	require.Equal(t, 1, w.graphCalls("/v24.0/1003383421387256"), "a permanent error is not retried")

	view := w.restMessage(w.tn.OwnerToken, m)
	require.Equal(t, "Taj Mahal", view["text"])
	media := view["media"].(map[string]any)
	require.Equal(t, "failed", media["state"])
	require.Equal(t, failed.Media.Error, media["error"])
	require.Nil(t, media["url"])
	gm, url := w.gqlMedia(w.tn.OwnerToken, m)
	require.Equal(t, "FAILED", gm["state"])
	require.Nil(t, url)

	res := w.rest.call("GET", "/v1/messages/"+m.ID+"/media", w.tn.OwnerToken, nil)
	require.Equal(t, http.StatusPreconditionFailed, res.Status)
	p := problemOf(t, res)
	require.Equal(t, "precondition_failed", p.Code)
	require.Contains(t, p.Detail, failed.Media.Error)
	require.Empty(t, res.Header.Get("Retry-After"), "waiting will not help")
	require.Empty(t, w.storedFiles())
}

// A Meta outage (503, is_transient) is retried, and the file arrives.
func TestTransientGraphErrorIsRetried(t *testing.T) {
	w := newMediaWorld(t)
	data := []byte("%PDF-1.4 a small receipt")
	mediaID := w.fake.AddMedia(fakeNumberID, "application/pdf", data)
	w.fake.FailNext(whatsapp.FailRule{MediaID: mediaID, Code: 2, IsTransient: true})
	m := w.receive("wamid.media.retry", "document", map[string]any{"id": mediaID, "mime_type": "application/pdf",
		"filename": "recibo.pdf"})
	w.startJobs()
	ready := w.waitForMedia(m.ID, domain.MediaReady)
	require.Equal(t, hexSHA256(data), ready.Media.SHA256)
	require.Equal(t, 2, w.graphCalls("/v24.0/"+mediaID), "failed once, then succeeded")
	res := w.rest.expect(200, "GET", "/v1/messages/"+m.ID+"/media", w.tn.OwnerToken, nil)
	require.Equal(t, data, res.Body)
	require.Equal(t, "application/pdf", res.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="recibo.pdf"`, res.Header.Get("Content-Disposition"))
}

// A sticker over WhatsApp's 500 KiB is refused before it is downloaded:
// the media fails, nothing is stored.
func TestOversizedMediaFailsWithoutStoring(t *testing.T) {
	w := newMediaWorld(t)
	mediaID := w.fake.AddMedia(fakeNumberID, "image/webp", bytes.Repeat([]byte{'W'}, 600<<10))
	m := w.receive("wamid.media.sticker.big", "sticker", map[string]any{"id": mediaID, "mime_type": "image/webp",
		"animated": true})
	w.startJobs()
	failed := w.waitForMedia(m.ID, domain.MediaFailed)
	require.Contains(t, failed.Media.Error, "larger than")
	require.Zero(t, w.graphCalls("/fake-media-download/"), "the bytes are never fetched")
	require.Empty(t, w.storedFiles())
	require.Zero(t, w.count("media_files"))
}

// Meta redelivers webhooks: the message, its download and its file exist
// once. A second run of the job (River is at-least-once) stores nothing.
func TestRedeliveredMediaIsDownloadedOnce(t *testing.T) {
	w := newMediaWorld(t)
	png := samplePNG()
	mediaID := w.fake.AddMedia(fakeNumberID, "image/png", png)
	media := map[string]any{"id": mediaID, "mime_type": "image/png", "sha256": metaSHA256(png)}
	m := w.receive("wamid.media.redelivered", "image", media)
	w.receive("wamid.media.redelivered", "image", media)
	w.startJobs()
	w.waitForMedia(m.ID, domain.MediaReady)
	w.receive("wamid.media.redelivered", "image", media)

	sys := w.system(w.tn)
	require.NoError(t, w.Service.StoreInboundMedia(sys, m.ID, bytes.NewReader(png), "image/png"))
	prep, err := w.Service.PrepareMediaDownload(sys, m.ID)
	require.NoError(t, err)
	require.Nil(t, prep, "nothing left to download")
	require.NoError(t, w.Service.FailInboundMedia(sys, m.ID, "late failure"), "a ready file is not failed later")

	require.Equal(t, 1, w.count("messages"))
	require.Equal(t, 1, w.count("media_files"))
	require.Len(t, w.storedFiles(), 1)
	require.Equal(t, 1, w.graphCalls("/fake-media-download/"))
	after, err := w.Service.Message(sys, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.MediaReady, after.Media.State)
	var events int
	require.NoError(t, w.sql().QueryRowContext(context.Background(),
		"SELECT count(*) FROM events WHERE type = '"+domain.EventMessageMediaReady+"'").Scan(&events))
	require.Equal(t, 1, events, "one media_ready event")
}

// Only the system stores or fails media.
func TestMediaStateIsTheSystemsToChange(t *testing.T) {
	w := newMediaWorld(t)
	m := w.receive("wamid.media.owner", "image", map[string]any{"id": "123", "mime_type": "image/png"})
	owner := domain.WithPrincipal(context.Background(), domain.Principal{WorkspaceID: w.tn.WorkspaceID,
		UserID: w.tn.OwnerID, Role: domain.RoleOwner})
	require.Equal(t, domain.CodeForbidden, domain.ErrorCode(w.Service.StoreInboundMedia(owner, m.ID, strings.NewReader("x"), "image/png")))
	require.Equal(t, domain.CodeForbidden, domain.ErrorCode(w.Service.FailInboundMedia(owner, m.ID, "no")))
	_, err := w.Service.PrepareMediaDownload(owner, m.ID)
	require.Equal(t, domain.CodeForbidden, domain.ErrorCode(err))
	require.Empty(t, w.storedFiles())
}
