package main

// Helpers for the outbound send tests: uploads over multipart, customer
// messages with wamids, and reading what the fake Graph API received.

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// rest wraps an app in the contract-checking REST client.
func (a *testApp) rest() *restClient {
	a.t.Helper()
	spec, err := legacy.NewRouter(loadOpenAPI(a.t))
	require.NoError(a.t, err)
	return &restClient{t: a.t, app: a, spec: spec}
}

// uploadBody builds a multipart/form-data body with a file part (and its
// Content-Type when mimeType is set) and optional extra fields.
func uploadBody(t *testing.T, filename, mimeType string, data []byte, fields ...string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	if mimeType != "" {
		h.Set("Content-Type", mimeType)
	}
	part, err := mw.CreatePart(h)
	require.NoError(t, err)
	_, err = part.Write(data)
	require.NoError(t, err)
	for i := 0; i+1 < len(fields); i += 2 {
		require.NoError(t, mw.WriteField(fields[i], fields[i+1]))
	}
	require.NoError(t, mw.Close())
	return buf.Bytes(), mw.FormDataContentType()
}

// upload posts a file to /v1/media through the contract-checking client.
func (c *restClient) upload(token, filename, mimeType string, data []byte, fields ...string) response {
	c.t.Helper()
	body, contentType := uploadBody(c.t, filename, mimeType, data, fields...)
	return c.call(http.MethodPost, "/v1/media", token, body, "Content-Type", contentType)
}

// uploadOK uploads and returns the new file's id.
func (c *restClient) uploadOK(token, filename, mimeType string, data []byte) string {
	c.t.Helper()
	res := c.upload(token, filename, mimeType, data)
	require.Equal(c.t, http.StatusCreated, res.Status, string(res.Body))
	return idOf(c.t, res)
}

// pngBytes is a real 2x2 PNG.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// jpegOfSize starts like a JPEG and is padded to n bytes.
func jpegOfSize(n int) []byte {
	b := make([]byte, n)
	copy(b, "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")
	return b
}

// customerWrites delivers a signed text from the sendingApp contact with
// the given wamid and returns our id of that message.
func (a *testApp) customerWrites(tn tenant, conv *domain.Conversation, wamid string) string {
	a.t.Helper()
	require.Equal(a.t, http.StatusOK, a.deliver(textDelivery(fakeNumberID, wamid, "16505551234")).Status)
	m, err := a.DB.Store().FindMessageByProviderID(a.system(tn), conv.ChannelID, wamid)
	require.NoError(a.t, err)
	require.Equal(a.t, conv.ID, m.ConversationID)
	return m.ID
}

// sentBody is the request body the fake Graph API accepted for one of our
// messages, decoded.
func sentBody(t *testing.T, fake *whatsapp.FakeGraph, messageID string) map[string]any {
	t.Helper()
	for _, s := range fake.SentMessages() {
		if s.BizOpaqueCallbackData == messageID {
			var body map[string]any
			require.NoError(t, json.Unmarshal(s.Body, &body))
			return body
		}
	}
	t.Fatalf("the fake Graph API accepted no message for %s", messageID)
	return nil
}

// jsonEq compares a decoded value with JSON text.
func jsonEq(t *testing.T, want string, got any, msgAndArgs ...any) {
	t.Helper()
	raw, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, want, string(raw), msgAndArgs...)
}

// graphRequests lists the fake's requests whose path ends with suffix.
func graphRequests(fake *whatsapp.FakeGraph, method, suffix string) []whatsapp.RecordedRequest {
	var out []whatsapp.RecordedRequest
	for _, r := range fake.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// sentOK waits until the message went out and returns it with its wamid.
func (a *testApp) sentOK(tn tenant, messageID string) *domain.Message {
	a.t.Helper()
	m := a.waitForStatus(tn, messageID, domain.DeliverySent)
	require.NotEmpty(a.t, m.ProviderMessageID)
	return m
}
