package whatsapp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
)

// fakeDownloadPrefix is the first path segment of media download URLs; it
// cannot collide with a version segment ("v24.0").
const fakeDownloadPrefix = "fake-media-download"

func bearer(r *http.Request) string {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return token
}

// authorize checks the Bearer token for a number like Meta does: expired
// tokens get 190/463, wrong or missing ones 190 (both HTTP 401).
func (f *FakeGraph) authorize(r *http.Request, pnid string) *GraphError {
	token := bearer(r)
	f.mu.Lock()
	expired := f.expired[token]
	f.mu.Unlock()
	if expired {
		return &GraphError{HTTPStatus: 401, Code: 190, Subcode: 463, Message: "Error validating access token: Session has expired."}
	}
	if n, ok := f.opts.Numbers[pnid]; !ok || token == "" || token != n.Token {
		return &GraphError{HTTPStatus: 401, Code: 190, Message: "Invalid OAuth access token - Cannot parse access token"}
	}
	return nil
}

// takeFailure returns the first queued send failure matching pnid and
// recipient.
func (f *FakeGraph) takeFailure(pnid, recipient string) *GraphError {
	return f.takeRule(func(rule *FailRule) bool {
		return rule.MediaID == "" && (rule.PhoneNumberID == "" || rule.PhoneNumberID == pnid) &&
			(rule.Recipient == "" || rule.Recipient == recipient)
	})
}

// takeMediaFailure returns the first queued failure for lookups of mediaID.
func (f *FakeGraph) takeMediaFailure(pnid, mediaID string) *GraphError {
	return f.takeRule(func(rule *FailRule) bool {
		return rule.MediaID == mediaID && (rule.PhoneNumberID == "" || rule.PhoneNumberID == pnid)
	})
}

func (f *FakeGraph) takeRule(matches func(*FailRule) bool) *GraphError {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, rule := range f.failures {
		if !matches(rule) {
			continue
		}
		if rule.Times > 0 {
			rule.Times--
			if rule.Times == 0 {
				f.failures = append(f.failures[:i], f.failures[i+1:]...)
			}
		}
		msg := rule.Message
		if msg == "" {
			msg = "(#" + itoa(rule.Code) + ") Fake failure"
		}
		return &GraphError{HTTPStatus: rule.HTTPStatus, Code: rule.Code, Subcode: rule.Subcode, Message: msg,
			Details: rule.Details, IsTransient: rule.IsTransient}
	}
	return nil
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func (f *FakeGraph) handleMessages(w http.ResponseWriter, r *http.Request, pnid string, body []byte) {
	if _, ok := f.opts.Numbers[pnid]; !ok {
		writeGraphError(w, unknownObject(pnid))
		return
	}
	if e := f.authorize(r, pnid); e != nil {
		writeGraphError(w, e)
		return
	}
	var req wireSendRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeGraphError(w, &GraphError{Code: 100, Message: "(#100) Invalid parameter", Details: "request body is not valid JSON"})
		return
	}
	if req.MessagingProduct != "whatsapp" {
		writeGraphError(w, &GraphError{Code: 100, Message: "(#100) The parameter messaging_product is required."})
		return
	}
	if req.Status != "" {
		f.handleMarkRead(w, pnid, req)
		return
	}
	waID, gerr := normaliseRecipient(req.To)
	if req.To == "" && req.Recipient != "" {
		// A customer known only by user id: keyed by it for failures and
		// pair limits, as Meta does.
		waID, gerr = req.Recipient, nil
		if !strings.Contains(waID, ".") {
			gerr = &GraphError{Code: 100, Message: "(#100) Invalid parameter", Details: "invalid recipient user id"}
		}
	}
	if gerr != nil {
		writeGraphError(w, gerr)
		return
	}
	if e := f.takeFailure(pnid, waID); e != nil {
		writeGraphError(w, e)
		return
	}
	msg := outboundFromWire(req)
	if req.Type != "" && req.Type != msg.Type() {
		writeGraphError(w, &GraphError{Code: 131009, Message: "(#131009) Parameter value is not valid",
			Details: "type " + req.Type + " does not match the message content"})
		return
	}
	if err := msg.Validate(); err != nil {
		var ve *ValidationError
		errors.As(err, &ve)
		writeGraphError(w, &GraphError{Code: 131009, Message: "(#131009) Parameter value is not valid", Details: ve.Field + " " + ve.Reason})
		return
	}
	if t := msg.Template; t != nil && !f.templateExists(t.Name, t.LanguageCode) {
		writeGraphError(w, &GraphError{Code: 132001, Message: "(#132001) Template name does not exist in the translation",
			Details: "template name (" + t.Name + ") does not exist in " + t.LanguageCode})
		return
	}
	if e := f.checkRates(pnid, waID); e != nil {
		writeGraphError(w, e)
		return
	}
	sent := FakeSentMessage{WAMID: newWAMID(), PhoneNumberID: pnid, To: req.To, WaID: waID, Recipient: req.Recipient, Type: msg.Type(),
		BizOpaqueCallbackData: req.BizOpaqueCallbackData, Body: body, SentAt: f.opts.Now()}
	f.mu.Lock()
	f.sent = append(f.sent, sent)
	f.mu.Unlock()
	contact := map[string]string{"input": req.To, "wa_id": waID}
	if req.To == "" {
		contact = map[string]string{"input": req.Recipient, "user_id": req.Recipient}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"messaging_product": "whatsapp",
		"contacts":          []map[string]string{contact},
		"messages":          []map[string]string{{"id": sent.WAMID}},
	})
}

func (f *FakeGraph) handleMarkRead(w http.ResponseWriter, pnid string, req wireSendRequest) {
	if req.Status != "read" || req.MessageID == "" {
		writeGraphError(w, &GraphError{Code: 100, Message: "(#100) Invalid parameter", Details: "status must be read and message_id is required"})
		return
	}
	if req.TypingIndicator != nil && req.TypingIndicator.Type != "text" {
		writeGraphError(w, &GraphError{Code: 100, Message: "(#100) Invalid parameter", Details: "typing_indicator.type must be text"})
		return
	}
	if e := f.takeFailure(pnid, ""); e != nil {
		writeGraphError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

// normaliseRecipient strips what Meta tolerates in "to" (+, spaces, -, ())
// and rejects 00-prefixed and non-numeric numbers with 100 (§10.1).
func normaliseRecipient(to string) (string, *GraphError) {
	digits := strings.Map(func(r rune) rune {
		if strings.ContainsRune("+ -()", r) {
			return -1
		}
		return r
	}, to)
	bad := digits == "" || strings.HasPrefix(digits, "00") || strings.Trim(digits, "0123456789") != ""
	if bad {
		return "", &GraphError{Code: 100, Message: "(#100) Invalid parameter", Details: "invalid recipient phone number"}
	}
	return digits, nil
}

func (f *FakeGraph) templateExists(name, lang string) bool {
	if len(f.opts.Templates) == 0 {
		return true
	}
	for _, t := range f.opts.Templates {
		if t.Name == name && t.Language == lang {
			return true
		}
	}
	return false
}

// checkRates applies the per-number throughput window and the per-pair
// token bucket, in that order, and books the send when both pass.
func (f *FakeGraph) checkRates(pnid, waID string) *GraphError {
	now := f.opts.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	if limit := f.opts.MessagesPerSecond; limit > 0 {
		recent := f.sendTimes[pnid][:0]
		for _, t := range f.sendTimes[pnid] {
			if now.Sub(t) < time.Second {
				recent = append(recent, t)
			}
		}
		f.sendTimes[pnid] = recent
		if len(recent) >= limit {
			return &GraphError{Code: 130429, Subcode: 2494055, Message: "(#130429) Rate limit hit",
				Details: "Cloud API message throughput has been reached."}
		}
	}
	if f.opts.PairInterval > 0 {
		key := pnid + "|" + waID
		b := f.pairs[key]
		if b == nil {
			b = &pairBucket{tokens: float64(f.opts.PairBurst), last: now}
			f.pairs[key] = b
		}
		b.tokens += float64(now.Sub(b.last)) / float64(f.opts.PairInterval)
		if b.tokens > float64(f.opts.PairBurst) {
			b.tokens = float64(f.opts.PairBurst)
		}
		b.last = now
		if b.tokens < 1 {
			return &GraphError{Code: 131056, Message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
				Details: "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."}
		}
		b.tokens--
	}
	if f.opts.MessagesPerSecond > 0 {
		f.sendTimes[pnid] = append(f.sendTimes[pnid], now)
	}
	return nil
}

func (f *FakeGraph) handleUpload(w http.ResponseWriter, r *http.Request, pnid string, body []byte) {
	if _, ok := f.opts.Numbers[pnid]; !ok {
		writeGraphError(w, unknownObject(pnid))
		return
	}
	if e := f.authorize(r, pnid); e != nil {
		writeGraphError(w, e)
		return
	}
	badUpload := func(details string) {
		writeGraphError(w, &GraphError{Code: 100, Message: "(#100) Invalid parameter", Details: details})
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		badUpload("expected multipart/form-data")
		return
	}
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(110 << 20)
	if err != nil {
		badUpload("unreadable multipart body")
		return
	}
	defer func() { _ = form.RemoveAll() }()
	if first(form.Value["messaging_product"]) != "whatsapp" {
		badUpload("messaging_product is required")
		return
	}
	files := form.File["file"]
	if len(files) == 0 {
		badUpload("file is required")
		return
	}
	fh, err := files[0].Open()
	if err != nil {
		badUpload("unreadable file")
		return
	}
	data, _ := io.ReadAll(fh)
	_ = fh.Close()
	mimeType := firstNonEmpty(first(form.Value["type"]), files[0].Header.Get("Content-Type"))
	id := f.AddMedia(pnid, mimeType, data)
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

func (f *FakeGraph) handleMediaObject(w http.ResponseWriter, r *http.Request, id string) {
	f.mu.Lock()
	m := f.media[id]
	f.mu.Unlock()
	if m == nil {
		writeGraphError(w, unknownObject(id))
		return
	}
	if e := f.authorize(r, m.pnid); e != nil {
		writeGraphError(w, e)
		return
	}
	if e := f.takeMediaFailure(m.pnid, id); e != nil {
		writeGraphError(w, e)
		return
	}
	if guard := r.URL.Query().Get("phone_number_id"); guard != "" && guard != m.pnid {
		writeGraphError(w, &GraphError{Code: 100, Message: "(#100) Invalid parameter", Details: "media does not belong to this phone number"})
		return
	}
	if r.Method == http.MethodDelete {
		f.mu.Lock()
		delete(f.media, id)
		f.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
		return
	}
	key := strings.TrimPrefix(newWAMID(), "wamid.")
	key = strings.NewReplacer("+", "", "/", "", "=", "").Replace(key)
	f.mu.Lock()
	f.downloads[key] = fakeDownloadURL{mediaID: id, expires: f.opts.Now().Add(f.opts.MediaURLTTL)}
	f.mu.Unlock()
	sum := sha256.Sum256(m.data)
	writeJSON(w, http.StatusOK, map[string]any{
		"messaging_product": "whatsapp",
		"url":               "http://" + r.Host + "/" + fakeDownloadPrefix + "/" + key,
		"mime_type":         m.mime,
		"sha256":            hex.EncodeToString(sum[:]),
		"file_size":         len(m.data),
		"id":                id,
	})
}

func (f *FakeGraph) handleDownload(w http.ResponseWriter, r *http.Request, key string) {
	f.mu.Lock()
	d, ok := f.downloads[key]
	m := f.media[d.mediaID]
	f.mu.Unlock()
	if !ok || m == nil || f.opts.Now().After(d.expires) {
		http.Error(w, "Not Found", http.StatusNotFound) // Meta answers a bare 404 for stale URLs
		return
	}
	if e := f.authorize(r, m.pnid); e != nil {
		writeGraphError(w, e)
		return
	}
	w.Header().Set("Content-Type", m.mime)
	w.Header().Set("Content-Length", itoa(len(m.data)))
	_, _ = w.Write(m.data)
}
