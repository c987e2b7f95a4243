package whatsapp

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// FakeGraph is an in-process Graph API for tests and `serve --demo` (§13).
// It lives in package whatsapp (not a subpackage) so other packages' tests
// get it with the client they already import. Serve it with
// httptest.NewServer(fake) and point Client.BaseURL at the server URL.
//
// It answers like Meta: routes POST /{v}/{pnid}/messages (send, mark-read,
// typing), POST /{v}/{pnid}/media, GET and DELETE /{v}/{media-id}, and GET
// on the media download URLs it hands out (Bearer required, expiring). It
// validates bodies with the same rules as Client, checks tokens (190),
// unknown numbers (100/33), unknown templates (132001), throughput (130429)
// and pair rate (131056), can be told to fail or slow down, records every
// request, and emits signed status webhooks when asked (fake_webhooks.go).
type FakeGraph struct {
	opts FakeGraphOptions

	mu        sync.Mutex
	requests  []RecordedRequest
	sent      []FakeSentMessage
	failures  []*FailRule
	latency   time.Duration
	expired   map[string]bool // tokens flagged expired
	media     map[string]*fakeMedia
	sendTimes map[string][]time.Time     // pnid → recent send times (throughput window)
	pairs     map[string]*pairBucket     // pnid+to → token bucket
	downloads map[string]fakeDownloadURL // url key → media id + expiry
}

// FakeNumber is a business phone number the fake knows.
type FakeNumber struct {
	WABAID             string
	DisplayPhoneNumber string
	Token              string // the only Bearer token accepted for this number
}

// FakeTemplate is an approved template, keyed by name and language code.
type FakeTemplate struct {
	Name     string
	Language string
}

// FakeGraphOptions configures a FakeGraph. It is read without locking, so
// do not change it after NewFakeGraph.
type FakeGraphOptions struct {
	Numbers map[string]FakeNumber // by phone_number_id
	// Templates, when non-empty, is the approved list; other name+language
	// pairs fail with 132001/404. Empty accepts every template.
	Templates []FakeTemplate
	// MessagesPerSecond per number; 0 disables the throughput check (130429).
	MessagesPerSecond int
	// PairInterval refills one pair-rate token per recipient (Meta: 6 s);
	// PairBurst is the bucket size (default 1). 0 interval disables 131056.
	PairInterval time.Duration
	PairBurst    int
	// MediaURLTTL is how long download URLs live (default 5 min, as Meta).
	MediaURLTTL time.Duration
	// AppSecret signs emitted webhooks (X-Hub-Signature-256).
	AppSecret string
	// Now lets tests move time; default time.Now.
	Now func() time.Time
	// HTTPClient posts webhooks; default a client with a 10 s timeout.
	HTTPClient *http.Client
}

// RecordedRequest is one request the fake received, for assertions.
type RecordedRequest struct {
	Method        string
	Path          string
	Query         string
	Header        http.Header
	Body          []byte
	ReceivedAt    time.Time
	PhoneNumberID string
	Status        int // HTTP status answered
}

// FakeSentMessage is a message the fake accepted (answered 200 + wamid).
type FakeSentMessage struct {
	WAMID                 string
	PhoneNumberID         string
	To                    string // as sent
	WaID                  string // normalised digits (the user id for Recipient sends)
	Recipient             string // user id, when sent by it
	Type                  string
	BizOpaqueCallbackData string
	Body                  []byte
	SentAt                time.Time
}

// FailRule makes matching requests fail with a Graph error. Empty
// PhoneNumberID / Recipient match anything; Times < 0 means forever.
// A rule with MediaID fails only lookups of that media id (GET /{media-id});
// rules without one fail only sends and mark-reads.
type FailRule struct {
	PhoneNumberID string
	Recipient     string // digits of "to", e.g. "16505551234"
	MediaID       string
	Code          int
	Subcode       int
	HTTPStatus    int // 0: Meta's table (§8.2)
	Message       string
	Details       string
	IsTransient   bool
	Times         int
}

type pairBucket struct {
	tokens float64
	last   time.Time
}

type fakeMedia struct {
	id, pnid, mime string
	data           []byte
}

type fakeDownloadURL struct {
	mediaID string
	expires time.Time
}

// NewFakeGraph builds a fake with the given numbers, templates and limits.
func NewFakeGraph(opts FakeGraphOptions) *FakeGraph {
	if opts.MediaURLTTL == 0 {
		opts.MediaURLTTL = 5 * time.Minute
	}
	if opts.PairBurst == 0 {
		opts.PairBurst = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return &FakeGraph{
		opts: opts, expired: map[string]bool{}, media: map[string]*fakeMedia{},
		sendTimes: map[string][]time.Time{}, pairs: map[string]*pairBucket{}, downloads: map[string]fakeDownloadURL{},
	}
}

// FailNext queues a failure rule; rules are tried in the order added.
func (f *FakeGraph) FailNext(rule FailRule) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if rule.Times == 0 {
		rule.Times = 1
	}
	f.failures = append(f.failures, &rule)
}

// ClearFailures drops every pending failure rule.
func (f *FakeGraph) ClearFailures() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = nil
}

// SetLatency delays every answer (0 to stop); the request context still wins.
func (f *FakeGraph) SetLatency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = d
}

// ExpireToken makes every call with token fail with 190/463 (HTTP 401).
func (f *FakeGraph) ExpireToken(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expired[token] = true
}

// Requests returns a copy of every request received so far.
func (f *FakeGraph) Requests() []RecordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]RecordedRequest(nil), f.requests...)
}

// SentMessages returns the messages accepted so far, in order.
func (f *FakeGraph) SentMessages() []FakeSentMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FakeSentMessage(nil), f.sent...)
}

// AddMedia stores a file as if a user had sent it to pnid and returns its
// media id, so tests can exercise GetMediaURL + DownloadMedia.
func (f *FakeGraph) AddMedia(pnid, mimeType string, data []byte) string {
	id := randomDigits()
	f.PutMedia(id, pnid, mimeType, data)
	return id
}

// PutMedia stores a file under a media id chosen by the caller (replacing
// any file with that id), for demos whose webhooks name well-known ids.
func (f *FakeGraph) PutMedia(id, pnid, mimeType string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.media[id] = &fakeMedia{id: id, pnid: pnid, mime: mimeType, data: append([]byte(nil), data...)}
}

// ServeHTTP implements http.Handler.
func (f *FakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 110<<20))
	rec := RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body, ReceivedAt: f.opts.Now()}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		rec.Status = sw.status
		f.mu.Lock()
		f.requests = append(f.requests, rec)
		f.mu.Unlock()
	}()

	f.mu.Lock()
	latency := f.latency
	f.mu.Unlock()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	f.route(sw, r, body, &rec)
}

func (f *FakeGraph) route(w http.ResponseWriter, r *http.Request, body []byte, rec *RecordedRequest) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) == 2 && parts[0] == fakeDownloadPrefix {
		f.handleDownload(w, r, parts[1])
		return
	}
	if len(parts) < 2 || !strings.HasPrefix(parts[0], "v") {
		writeGraphError(w, &GraphError{HTTPStatus: 400, Code: 100, Subcode: 33, Type: "GraphMethodException",
			Message: "Unsupported request: unknown path"})
		return
	}
	switch {
	case len(parts) == 3 && parts[2] == "messages" && r.Method == http.MethodPost:
		rec.PhoneNumberID = parts[1]
		f.handleMessages(w, r, parts[1], body)
	case len(parts) == 3 && parts[2] == "media" && r.Method == http.MethodPost:
		rec.PhoneNumberID = parts[1]
		f.handleUpload(w, r, parts[1], body)
	case len(parts) == 2 && (r.Method == http.MethodGet || r.Method == http.MethodDelete):
		f.handleMediaObject(w, r, parts[1])
	default:
		writeGraphError(w, unknownObject(parts[1]))
	}
}

func unknownObject(id string) *GraphError {
	return &GraphError{HTTPStatus: 400, Code: 100, Subcode: 33, Type: "GraphMethodException",
		Message: "Unsupported post request. Object with ID '" + id + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api"}
}

// writeGraphError answers in Meta's {"error":{...}} shape.
func writeGraphError(w http.ResponseWriter, e *GraphError) {
	status := e.HTTPStatus
	if status == 0 {
		status = metaHTTPStatus(e.Code)
	}
	body := map[string]any{"message": e.Message, "type": firstNonEmpty(e.Type, "OAuthException"), "code": e.Code,
		"fbtrace_id": "Fake" + randomDigits()}
	if e.Subcode != 0 {
		body["error_subcode"] = e.Subcode
	}
	if e.Details != "" {
		body["error_data"] = map[string]string{"messaging_product": "whatsapp", "details": e.Details}
	}
	if e.IsTransient {
		body["is_transient"] = true
	}
	writeJSON(w, status, map[string]any{"error": body})
}

// metaHTTPStatus is Meta's code → HTTP status table (§8.2).
func metaHTTPStatus(code int) int {
	switch {
	case code == 0 || code == 190:
		return 401
	case code == 10 || (code >= 200 && code <= 299) || code == 368 || code == 130497 || code == 131005 || code == 131031:
		return 403
	case code == 132001:
		return 404
	case code == 3 || code == 131000 || code == 131016 || code == 131045 || code == 131057 || code == 133000:
		return 500
	case code == 2 || code == 133004:
		return 503
	}
	return 400
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func randomDigits() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	n := uint64(0)
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	s := []byte{}
	for i := 0; i < 15; i++ {
		s = append(s, byte('0'+n%10))
		n /= 10
	}
	return "1" + string(s)
}

// newWAMID makes a wamid-looking id: opaque base64, like Meta's.
func newWAMID() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return "wamid." + base64.StdEncoding.EncodeToString(b[:])
}
