package webhooks

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/centralita/centralita/domain/netguard"
)

// canary listens on a loopback address the allow list does not name and
// counts the connections that reach it: there must be none.
func canary(t *testing.T) (addr string, connections *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no second loopback address here: %v", err)
	}
	connections = &atomic.Int64{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			connections.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), connections
}

var onlyLoopbackOne = netguard.AllowList{netip.MustParsePrefix("127.0.0.1/32")}

func TestGuardRefusesAddressesOutsideTheAllowList(t *testing.T) {
	addr, connections := canary(t)
	_, port, _ := net.SplitHostPort(addr)
	cases := []struct {
		allow  netguard.AllowList
		target string
	}{
		{onlyLoopbackOne, addr}, {onlyLoopbackOne, "[::ffff:127.0.0.2]:" + port}, {onlyLoopbackOne, "[::1]:" + port},
		{onlyLoopbackOne, "0.0.0.0:" + port}, {nil, "localhost:" + port}, {nil, "127.0.0.1:" + port},
	}
	for _, c := range cases {
		target := c.target
		_, err := dialContext(context.Background(), c.allow, target)
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("dial %s: %v, want a refusal", target, err)
		}
	}
	if n := connections.Load(); n != 0 {
		t.Fatalf("the canary got %d connections", n)
	}
}

func TestSendNeverFollowsARedirect(t *testing.T) {
	addr, connections := canary(t)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "http://"+addr+"/steal", http.StatusFound)
	}))
	defer srv.Close()
	s := &Sender{Client: NewClient(onlyLoopbackOne)}
	res := s.Send(context.Background(), Delivery{URL: srv.URL, MsgID: "evt_1", Timestamp: time.Now(),
		Body: []byte(`{}`), Secrets: []string{specSecret}})
	if res.StatusCode != http.StatusFound || res.OK() {
		t.Fatalf("result %+v, want the 302 itself", res)
	}
	if hits.Load() != 1 || connections.Load() != 0 {
		t.Fatalf("receiver hits %d, canary connections %d", hits.Load(), connections.Load())
	}
}

func TestSendRefusesAPrivateTargetAndSaysWhy(t *testing.T) {
	addr, connections := canary(t)
	s := &Sender{Client: NewClient(nil)}
	res := s.Send(context.Background(), Delivery{URL: "http://" + addr + "/", MsgID: "evt_1",
		Timestamp: time.Now(), Body: []byte(`{}`), Secrets: []string{specSecret}})
	if res.StatusCode != 0 || !strings.Contains(res.Error, "loopback") {
		t.Fatalf("result %+v, want a refusal naming the loopback range", res)
	}
	if connections.Load() != 0 {
		t.Fatal("the canary got a connection")
	}
}

func TestSendSignsAndReadsTheAnswer(t *testing.T) {
	var got http.Header
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		b := make([]byte, 100)
		n, _ := r.Body.Read(b)
		body = string(b[:n])
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(strings.Repeat("é", ExcerptBytes)))
	}))
	defer srv.Close()
	s := &Sender{Client: NewClient(onlyLoopbackOne)}
	at := time.Unix(1700000000, 0)
	res := s.Send(context.Background(), Delivery{URL: srv.URL, MsgID: "evt_1", Timestamp: at,
		Body: []byte(`{"a":1}`), Secrets: []string{specSecret}})
	if res.StatusCode != http.StatusTooManyRequests || res.RetryAfter != 2*time.Minute {
		t.Fatalf("result %+v", res)
	}
	if len(res.Excerpt) > ExcerptBytes || !strings.HasPrefix(res.Excerpt, "éé") || strings.ContainsRune(res.Excerpt, '\uFFFD') {
		t.Fatalf("excerpt of %d bytes: %q", len(res.Excerpt), res.Excerpt[len(res.Excerpt)-8:])
	}
	if got.Get("webhook-id") != "evt_1" || got.Get("webhook-timestamp") != "1700000000" ||
		!Verify(specSecret, "evt_1", 1700000000, []byte(body), got.Get("webhook-signature")) {
		t.Fatalf("headers %v body %s", got, body)
	}
}
