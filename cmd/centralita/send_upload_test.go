package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/whatsapp"
)

// An uploaded file goes to Meta once, from the conversation's number, and
// is then sent by its media id; a send that fails retryably after the
// upload is retried by id, without uploading again.
func TestUploadedMediaGoesToMetaOnceAcrossRetries(t *testing.T) {
	a, tn, fake, conv := sendingApp(t)
	c := a.rest()
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	res := c.upload(tn.OwnerToken, "C:\\Users\\ana\\contrato.pdf", "application/pdf", pdf)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	file := object(t, res)
	sum := sha256.Sum256(pdf)
	require.Equal(t, "document", file["kind"])
	require.Equal(t, "application/pdf", file["mime_type"])
	require.Equal(t, "contrato.pdf", file["filename"], "only the last path element is kept")
	require.EqualValues(t, len(pdf), file["size"])
	require.Equal(t, hex.EncodeToString(sum[:]), file["sha256"])

	fake.FailNext(whatsapp.FailRule{PhoneNumberID: fakeNumberID, Code: 131000, Times: 1}) // retryable
	res = c.call(http.MethodPost, "/v1/conversations/"+conv.ID+"/messages", tn.OwnerToken,
		map[string]any{"media": map[string]any{"upload_id": file["id"]}})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	sent := object(t, res)
	require.Equal(t, "document", sent["type"], "an upload is sent as its kind by default")
	require.Equal(t, "contrato.pdf", sent["text"])
	a.startJobs()
	m := a.sentOK(tn, sent["id"].(string))

	uploads := graphRequests(fake, http.MethodPost, fakeNumberID+"/media")
	require.Len(t, uploads, 1, "the retry sends by the stored media id")
	require.True(t, bytes.Contains(uploads[0].Body, pdf), "Meta got our bytes")
	require.Equal(t, "Bearer "+fakeToken, uploads[0].Header.Get("Authorization"))
	require.Len(t, graphRequests(fake, http.MethodPost, fakeNumberID+"/messages"), 2, "one failed attempt, one send")
	jsonEq(t, `{"id":"`+m.Media.ProviderID+`","filename":"contrato.pdf"}`, sentBody(t, fake, m.ID)["document"])
	require.Equal(t, file["id"], m.Media.UploadID)
	require.Equal(t, "application/pdf", m.Media.MimeType)
}

// Files WhatsApp would refuse are refused at upload with the reason, and
// nothing is kept.
func TestUploadsFollowWhatsAppLimits(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("Upload Co")
	c := a.rest()
	webp := append([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), make([]byte, 600<<10)...)
	for _, tc := range []struct {
		name, filename, mime string
		data                 []byte
		detail               string
	}{
		{"unsupported type", "clientes.csv", "text/csv", []byte("a,b\n1,2\n"), "text/csv files cannot be sent"},
		{"content contradicts type", "foto.png", "image/png", []byte("%PDF-1.4\n%%EOF"), "content is application/pdf, not the declared image/png"},
		{"image over 5 MB", "foto.jpg", "image/jpeg", jpegOfSize(5<<20 + 1), "at most 5 MB"},
		{"sticker over 500 KB", "s.webp", "image/webp", webp, "at most 500 KB"},
		{"empty", "vacio.pdf", "application/pdf", nil, "empty"},
		{"unknown content", "blob.bin", "", []byte{0, 1, 2, 3}, "application/octet-stream files cannot be sent"},
	} {
		res := c.upload(tn.OwnerToken, tc.filename, tc.mime, tc.data)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", tc.name, res.Body)
		p := problemOf(t, res)
		require.Equal(t, "file", p.Errors[0].Field, tc.name)
		require.Contains(t, p.Detail, tc.detail, tc.name)
	}
	body, contentType := uploadBody(t, "a.png", "image/png", pngBytes(t), "colour", "red")
	p := problemOf(t, c.call(http.MethodPost, "/v1/media", tn.OwnerToken, body, "Content-Type", contentType))
	require.Equal(t, "colour", p.Errors[0].Field, "unknown form fields are refused like unknown JSON fields")
	res := c.call(http.MethodPost, "/v1/media", tn.OwnerToken, map[string]any{"file": "aGVsbG8="})
	require.Equal(t, http.StatusBadRequest, res.Status, "uploads are multipart")
	require.Equal(t, http.StatusUnauthorized, c.upload("", "a.png", "image/png", pngBytes(t)).Status)
	require.Equal(t, 0, a.count("media_files"), "refused files leave no record")

	// The content decides when the client does not say; a filename field
	// names the file. Uploads are far above the JSON routes' 1 MiB cap.
	res = c.upload(tn.OwnerToken, "IMG_0001", "application/octet-stream", pngBytes(t), "filename", "Plano.png")
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	require.Equal(t, "image/png", object(t, res)["mime_type"])
	require.Equal(t, "Plano.png", object(t, res)["filename"])
	res = c.upload(tn.OwnerToken, "grande.jpg", "image/jpeg", jpegOfSize(2<<20))
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	require.Equal(t, 2, a.count("media_files"))
}

// CENTRALITA_MAX_UPLOAD_BYTES caps the file (413), whatever WhatsApp allows.
func TestUploadCap(t *testing.T) {
	a := newTestApp(t, func(c *Config) { c.MaxUploadBytes = 4 << 10 })
	tn := a.bootstrap("Cap Co")
	c := a.rest()
	require.Equal(t, http.StatusRequestEntityTooLarge, c.upload(tn.OwnerToken, "big.jpg", "image/jpeg", jpegOfSize(2<<20)).Status)
	require.Equal(t, http.StatusRequestEntityTooLarge, c.upload(tn.OwnerToken, "small.jpg", "image/jpeg", jpegOfSize(5<<10)).Status)
	require.Equal(t, http.StatusCreated, c.upload(tn.OwnerToken, "tiny.jpg", "image/jpeg", jpegOfSize(4<<10)).Status)
	require.Equal(t, 1, a.count("media_files"))
}

// A media send retried with its Idempotency-Key stores one message; the
// key reused for different content (another caption, another file) is 409,
// over REST and GraphQL alike.
func TestMediaSendIdempotency(t *testing.T) {
	a, tn, _, conv := sendingApp(t)
	c := a.rest()
	first := c.uploadOK(tn.OwnerToken, "a.png", "image/png", pngBytes(t))
	second := c.uploadOK(tn.OwnerToken, "b.png", "image/png", pngBytes(t))
	path := "/v1/conversations/" + conv.ID + "/messages"
	send := func(upload, caption string) response {
		return c.call(http.MethodPost, path, tn.OwnerToken, map[string]any{"media": map[string]any{"upload_id": upload,
			"caption": caption}}, "Idempotency-Key", "media-7")
	}
	before := a.count("messages")
	res := send(first, "Plano")
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := idOf(t, res)
	again := send(first, "Plano")
	require.Equal(t, http.StatusCreated, again.Status)
	require.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	require.Equal(t, id, idOf(t, again))
	require.Equal(t, http.StatusConflict, send(first, "Otro plano").Status)
	require.Equal(t, http.StatusConflict, send(second, "Plano").Status)
	text := c.call(http.MethodPost, path, tn.OwnerToken, map[string]any{"text": "Plano"}, "Idempotency-Key", "media-7")
	require.Equal(t, http.StatusConflict, text.Status, "same key, same text, different type")

	mutation := `mutation($in: SendMediaMessageInput!) { sendMediaMessage(input: $in) { message { id } userErrors { code } } }`
	d := a.gqlOK(tn.OwnerToken, mutation, map[string]any{"in": map[string]any{"conversationId": conv.ID,
		"uploadId": first, "caption": "Plano", "idempotencyKey": "media-7"}})
	require.Equal(t, id, d.str(t, "sendMediaMessage.message.id"))
	d = a.gqlOK(tn.OwnerToken, mutation, map[string]any{"in": map[string]any{"conversationId": conv.ID,
		"uploadId": first, "caption": "Plano", "type": "DOCUMENT", "idempotencyKey": "media-7"}})
	require.Equal(t, []string{"CONFLICT"}, d.userErrorCodes(t, "sendMediaMessage"))
	require.Equal(t, before+1, a.count("messages"))
}
