package whatsapp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMediaUploadResolveDownloadDelete(t *testing.T) {
	env := newFakeEnv(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("png!"), 1000)

	id, err := env.client.UploadMedia(ctx, pnidA, tokenA, "photo.png", "image/png", bytes.NewReader(data))
	require.NoError(t, err)
	require.NotEmpty(t, id)
	upload := env.fake.Requests()[0]
	require.Equal(t, "/v24.0/"+pnidA+"/media", upload.Path)
	require.Contains(t, upload.Header.Get("Content-Type"), "multipart/form-data")
	require.Contains(t, string(upload.Body), `name="messaging_product"`)

	info, err := env.client.GetMediaURL(ctx, tokenA, id)
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	require.Equal(t, MediaInfo{ID: id, URL: info.URL, MimeType: "image/png", SHA256: hex.EncodeToString(sum[:]), FileSize: int64(len(data))}, info)

	got, mimeType, err := env.client.DownloadMedia(ctx, tokenA, info.URL, 1<<20)
	require.NoError(t, err)
	require.Equal(t, data, got)
	require.Equal(t, "image/png", mimeType)
	last := env.fake.Requests()[len(env.fake.Requests())-1]
	require.Equal(t, "Bearer "+tokenA, last.Header.Get("Authorization"))

	_, _, err = env.client.DownloadMedia(ctx, "", info.URL, 1<<20)
	var ge *GraphError
	require.ErrorAs(t, err, &ge, "download needs the Bearer token")
	require.Equal(t, 401, ge.HTTPStatus)
	_, _, err = env.client.DownloadMedia(ctx, tokenB, info.URL, 1<<20)
	require.ErrorAs(t, err, &ge, "another number's token is refused")

	_, _, err = env.client.DownloadMedia(ctx, tokenA, info.URL, int64(len(data)-1))
	require.ErrorIs(t, err, ErrMediaTooLarge)

	env.clock.Advance(5*time.Minute + time.Second)
	_, _, err = env.client.DownloadMedia(ctx, tokenA, info.URL, 1<<20)
	require.ErrorAs(t, err, &ge)
	require.Equal(t, 404, ge.HTTPStatus, "media URLs expire after 5 minutes")

	fresh, err := env.client.GetMediaURL(ctx, tokenA, id)
	require.NoError(t, err)
	require.NotEqual(t, info.URL, fresh.URL)

	require.NoError(t, env.client.DeleteMedia(ctx, tokenA, id))
	_, err = env.client.GetMediaURL(ctx, tokenA, id)
	require.ErrorAs(t, err, &ge)
	require.Equal(t, 100, ge.Code)
	require.Equal(t, 33, ge.Subcode)
}

// Without Content-Length the cap is enforced while reading.
func TestDownloadMediaCapWithoutContentLength(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "audio/ogg")
		fl := w.(http.Flusher)
		for i := 0; i < 10; i++ {
			_, _ = w.Write(bytes.Repeat([]byte("a"), 1024))
			fl.Flush()
		}
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL} // media on the Graph host, as with a fake
	_, _, err := c.DownloadMedia(context.Background(), "tok", srv.URL, 4096)
	require.ErrorIs(t, err, ErrMediaTooLarge)
	b, mimeType, err := c.DownloadMedia(context.Background(), "tok", srv.URL, 10*1024)
	require.NoError(t, err)
	require.Len(t, b, 10*1024)
	require.Equal(t, "audio/ogg", mimeType)
}

func TestGetMediaURLFixtures(t *testing.T) {
	for file, want := range map[string]MediaInfo{
		"media_get_url_response.json": {ID: "1227829768162607", MimeType: "image/png", FileSize: 103632,
			SHA256: "72fd8a734216768565faf2b59cec266eea00a78dd039ce84356319fc8c4ad22e",
			URL:    "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1228169767822607&ext=16772107977&hash=ATs5BiSbLTZzCFh73M16stmnUK2UV6NBqChXB4WWC21sw"},
		"media_get_url_response_doc_shape.json": {ID: "<MEDIA_ID>", URL: "<MEDIA_URL>", MimeType: "<MEDIA_MIME_TYPE>",
			SHA256: "<SHA_256_HASH>", FileSize: 0},
	} {
		t.Run(file, func(t *testing.T) {
			body := fixture(t, file)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				require.Equal(t, "/v24.0/1227829768162607", r.URL.Path)
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			got, err := (&Client{BaseURL: srv.URL}).GetMediaURL(context.Background(), "tok", "1227829768162607")
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
}

func TestUploadResponseFixture(t *testing.T) {
	body := fixture(t, "media_upload_response.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseMultipartForm(1<<20))
		require.Equal(t, "whatsapp", r.FormValue("messaging_product"))
		require.Equal(t, "application/pdf", r.FormValue("type"))
		f, h, err := r.FormFile("file")
		require.NoError(t, err)
		defer f.Close()
		require.Equal(t, "a \"b\".pdf", h.Filename)
		require.Equal(t, "application/pdf", h.Header.Get("Content-Type"))
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	id, err := (&Client{BaseURL: srv.URL}).UploadMedia(context.Background(), pnidA, "tok", `a "b".pdf`, "application/pdf", strings.NewReader("%PDF"))
	require.NoError(t, err)
	require.Equal(t, "985569392615996", id)
}
