package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// DefaultMaxMediaBytes is Meta's largest media (documents, 100 MB, §7).
const DefaultMaxMediaBytes = 100 << 20

// ErrMediaTooLarge is returned by DownloadMedia when the file exceeds maxBytes.
var ErrMediaTooLarge = errors.New("whatsapp: media larger than the allowed size")

// MediaInfo is the answer of GET /{media-id}. URL lives 5 minutes and needs
// the same Bearer token to download (§7).
type MediaInfo struct {
	ID       string
	URL      string
	MimeType string
	SHA256   string
	FileSize int64 // 0 when Meta sent something that is not a number
}

// GetMediaURL resolves a media id to a short-lived download URL.
func (c *Client) GetMediaURL(ctx context.Context, accessToken, mediaID string) (MediaInfo, error) {
	if mediaID == "" {
		return MediaInfo{}, invalid("media_id", "is required")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(mediaID), nil)
	if err != nil {
		return MediaInfo{}, fmt.Errorf("whatsapp: build request: %w", err)
	}
	var w struct {
		ID       flexString `json:"id"`
		URL      flexString `json:"url"`
		MimeType flexString `json:"mime_type"`
		SHA256   flexString `json:"sha256"`
		FileSize flexInt    `json:"file_size"` // number in practice, string in the docs
	}
	if err := c.do(req, accessToken, &w); err != nil {
		return MediaInfo{}, err
	}
	return MediaInfo{ID: string(w.ID), URL: string(w.URL), MimeType: string(w.MimeType),
		SHA256: string(w.SHA256), FileSize: int64(w.FileSize)}, nil
}

// DownloadMedia fetches a media URL with the Bearer token and returns the
// bytes and their MIME type. Files over maxBytes fail with ErrMediaTooLarge
// without being read to the end. A 404 means the URL expired: resolve the
// media id again (the returned GraphError has HTTPStatus 404).
// maxBytes <= 0 means DefaultMaxMediaBytes: there is always a cap.
func (c *Client) DownloadMedia(ctx context.Context, accessToken, mediaURL string, maxBytes int64) ([]byte, string, error) {
	body, mimeType, err := c.OpenMedia(ctx, accessToken, mediaURL, maxBytes)
	if err != nil {
		return nil, "", err
	}
	defer body.Close()
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, "", err
	}
	return data, mimeType, nil
}

// OpenMedia is DownloadMedia as a stream, so a 100 MB document goes to disk
// without sitting in memory. The caller closes the body. Reading past
// maxBytes fails with ErrMediaTooLarge (a Content-Length over it fails at
// once); a connection lost mid-file fails with a TransportError.
func (c *Client) OpenMedia(ctx context.Context, accessToken, mediaURL string, maxBytes int64) (io.ReadCloser, string, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxMediaBytes
	}
	if err := c.checkMediaURL(mediaURL); err != nil {
		return nil, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mediaURL, nil)
	if err != nil {
		return nil, "", fmt.Errorf("whatsapp: build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, "", &TransportError{Op: "GET media", Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, "", parseGraphError(resp.StatusCode, body)
	}
	if resp.ContentLength > maxBytes {
		resp.Body.Close()
		return nil, "", fmt.Errorf("%w: %d > %d bytes", ErrMediaTooLarge, resp.ContentLength, maxBytes)
	}
	return &cappedBody{body: resp.Body, left: maxBytes, max: maxBytes}, resp.Header.Get("Content-Type"), nil
}

// cappedBody fails a read that goes past max bytes instead of truncating.
type cappedBody struct {
	body      io.ReadCloser
	left, max int64
}

func (c *cappedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1] // one byte more than allowed tells "too large" from "exactly max"
	}
	n, err := c.body.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, fmt.Errorf("%w: more than %d bytes", ErrMediaTooLarge, c.max)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return n, &TransportError{Op: "read media", Err: err}
	}
	return n, err
}

func (c *cappedBody) Close() error { return c.body.Close() }

// UploadMedia uploads a file for phoneNumberID and returns its media id.
// The id is usable only from that number, for 30 days.
func (c *Client) UploadMedia(ctx context.Context, phoneNumberID, accessToken, filename, mimeType string, file io.Reader) (string, error) {
	if mimeType == "" {
		return "", invalid("type", "is required")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("messaging_product", "whatsapp")
	_ = mw.WriteField("type", mimeType)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%s`, strconv.Quote(filename)))
	h.Set("Content-Type", mimeType)
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(part, file); err != nil {
		return "", fmt.Errorf("whatsapp: read upload: %w", err)
	}
	if err := mw.Close(); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(phoneNumberID, "media"), &buf)
	if err != nil {
		return "", fmt.Errorf("whatsapp: build request: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var resp struct {
		ID flexString `json:"id"`
	}
	if err := c.do(req, accessToken, &resp); err != nil {
		return "", err
	}
	if strings.TrimSpace(string(resp.ID)) == "" {
		return "", errors.New("whatsapp: upload answered without a media id")
	}
	return string(resp.ID), nil
}

// DeleteMedia deletes uploaded media.
func (c *Client) DeleteMedia(ctx context.Context, accessToken, mediaID string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.url(mediaID), nil)
	if err != nil {
		return fmt.Errorf("whatsapp: build request: %w", err)
	}
	return c.do(req, accessToken, nil)
}
