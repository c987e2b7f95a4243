package whatsapp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// The download carries the number's token, so only Meta's media hosts (and
// the Graph host itself, for fakes) ever see it.
func TestMediaDownloadsGoOnlyToMetaHosts(t *testing.T) {
	var hits atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("stolen"))
	}))
	defer elsewhere.Close()
	c := &Client{BaseURL: "http://127.0.0.1:1"}
	for _, u := range []string{
		elsewhere.URL + "/media",
		"http://169.254.169.254/latest/meta-data/",
		"http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", // not https
		"https://lookaside.fbsbx.com.evil.example/x",
		"https://fbsbx.com.evil.example/x",
		"https://lookaside.fbsbx.com:8443/x",
		"/relative/path",
	} {
		_, _, err := c.OpenMedia(context.Background(), "token", u, 10)
		var invalid *ValidationError
		if !errors.As(err, &invalid) {
			t.Errorf("%s: want a refusal, got %v", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("a refused URL was fetched %d times", hits.Load())
	}
	for _, u := range []string{
		"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=1",
		"https://scontent.whatsapp.net/v/t61/x",
		"http://127.0.0.1:1/v24.0/media-download",
	} {
		if err := c.checkMediaURL(u); err != nil {
			t.Errorf("%s: want allowed, got %v", u, err)
		}
	}
}
