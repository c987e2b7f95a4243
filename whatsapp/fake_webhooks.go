package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// StatusSpec describes one status webhook item to emit.
type StatusSpec struct {
	WAMID                 string
	PhoneNumberID         string // routes the item into its entry/change
	RecipientID           string
	Status                string // sent, delivered, read, played, failed, or anything
	Timestamp             time.Time
	ErrorCode             int // for failed
	ErrorTitle            string
	ErrorDetails          string
	BizOpaqueCallbackData string
	PricingCategory       string // adds a PMP pricing block when set
}

// LifecycleSpecs builds the statuses Meta would send for msg, one second
// apart from start: "read" gives sent→delivered→read, "delivered" stops
// there, "failed" gives sent→failed with failCode. Tests reorder, duplicate
// or split the slice to model Meta's lack of ordering (§1.5).
func LifecycleSpecs(msg FakeSentMessage, final string, failCode int, start time.Time) []StatusSpec {
	base := StatusSpec{WAMID: msg.WAMID, PhoneNumberID: msg.PhoneNumberID, RecipientID: msg.WaID,
		BizOpaqueCallbackData: msg.BizOpaqueCallbackData}
	var steps []string
	switch final {
	case "failed":
		steps = []string{"sent", "failed"}
	case "sent":
		steps = []string{"sent"}
	case "delivered":
		steps = []string{"sent", "delivered"}
	case "played":
		steps = []string{"sent", "delivered", "read", "played"}
	default:
		steps = []string{"sent", "delivered", "read"}
	}
	specs := make([]StatusSpec, len(steps))
	for i, st := range steps {
		s := base
		s.Status, s.Timestamp = st, start.Add(time.Duration(i)*time.Second)
		if st == "failed" {
			s.ErrorCode = failCode
			s.ErrorTitle = "Fake failure " + strconv.Itoa(failCode)
			s.ErrorDetails = permanentReasons[failCode]
		}
		specs[i] = s
	}
	return specs
}

// BuildStatusWebhook renders specs as ONE delivery (entry per WABA, change
// per number, items in the given order, duplicates kept), with Meta's
// escaping (\/ and \uXXXX) so signature tests see the real byte shape.
func (f *FakeGraph) BuildStatusWebhook(specs []StatusSpec) []byte {
	type change struct {
		pnid     string
		statuses []map[string]any
	}
	var wabaOrder []string
	changes := map[string][]*change{}
	for _, s := range specs {
		waba := f.opts.Numbers[s.PhoneNumberID].WABAID
		if _, seen := changes[waba]; !seen {
			wabaOrder = append(wabaOrder, waba)
		}
		var c *change
		for _, existing := range changes[waba] {
			if existing.pnid == s.PhoneNumberID {
				c = existing
			}
		}
		if c == nil {
			c = &change{pnid: s.PhoneNumberID}
			changes[waba] = append(changes[waba], c)
		}
		c.statuses = append(c.statuses, statusItem(s))
	}
	entries := []map[string]any{}
	for _, waba := range wabaOrder {
		var chs []map[string]any
		for _, c := range changes[waba] {
			chs = append(chs, map[string]any{"field": "messages", "value": map[string]any{
				"messaging_product": "whatsapp",
				"metadata": map[string]string{"display_phone_number": f.opts.Numbers[c.pnid].DisplayPhoneNumber,
					"phone_number_id": c.pnid},
				"statuses": c.statuses,
			}})
		}
		entries = append(entries, map[string]any{"id": waba, "changes": chs})
	}
	body, _ := json.Marshal(map[string]any{"object": ObjectWhatsAppBusinessAccount, "entry": entries})
	return MetaEscape(body)
}

func statusItem(s StatusSpec) map[string]any {
	item := map[string]any{"id": s.WAMID, "status": s.Status,
		"timestamp": strconv.FormatInt(s.Timestamp.Unix(), 10), "recipient_id": s.RecipientID}
	if s.BizOpaqueCallbackData != "" {
		item["biz_opaque_callback_data"] = s.BizOpaqueCallbackData
	}
	if s.PricingCategory != "" {
		item["pricing"] = map[string]any{"billable": true, "pricing_model": "PMP", "type": "regular", "category": s.PricingCategory}
	}
	if s.Status == "failed" {
		item["errors"] = []map[string]any{{"code": s.ErrorCode, "title": s.ErrorTitle, "message": s.ErrorTitle,
			"error_data": map[string]string{"details": s.ErrorDetails},
			"href":       "/documentation/business-messaging/whatsapp/support/error-codes"}}
	}
	return item
}

// EmitStatuses posts all specs as one signed delivery to callbackURL and
// returns the HTTP status answered. It is synchronous so tests decide when
// webhooks arrive; call it several times for split or repeated deliveries.
func (f *FakeGraph) EmitStatuses(ctx context.Context, callbackURL string, specs []StatusSpec) (int, error) {
	return f.EmitRaw(ctx, callbackURL, f.BuildStatusWebhook(specs))
}

// EmitRaw posts body as-is, signed with the configured app secret over the
// exact bytes sent. Use it for inbound fixtures or hand-made payloads.
func (f *FakeGraph) EmitRaw(ctx context.Context, callbackURL string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callbackURL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if f.opts.AppSecret != "" {
		req.Header.Set(SignatureHeader, Sign(body, f.opts.AppSecret))
	}
	resp, err := f.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("whatsapp fake: emit webhook: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// InboundTextSpec describes a text message from a user, for the simulator.
type InboundTextSpec struct {
	PhoneNumberID string
	From          string // wa_id
	ProfileName   string
	WAMID         string // generated when empty
	Text          string
	Timestamp     time.Time
}

// BuildInboundTextWebhook renders a Meta-shaped inbound text delivery.
func (f *FakeGraph) BuildInboundTextWebhook(s InboundTextSpec) []byte {
	if s.WAMID == "" {
		s.WAMID = newWAMID()
	}
	n := f.opts.Numbers[s.PhoneNumberID]
	value := map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]string{"display_phone_number": n.DisplayPhoneNumber, "phone_number_id": s.PhoneNumberID},
		"contacts":          []map[string]any{{"profile": map[string]string{"name": s.ProfileName}, "wa_id": s.From}},
		"messages": []map[string]any{{"from": s.From, "id": s.WAMID, "timestamp": strconv.FormatInt(s.Timestamp.Unix(), 10),
			"type": "text", "text": map[string]string{"body": s.Text}}},
	}
	body, _ := json.Marshal(map[string]any{"object": ObjectWhatsAppBusinessAccount, "entry": []map[string]any{{
		"id": n.WABAID, "changes": []map[string]any{{"field": "messages", "value": value}}}}})
	return MetaEscape(body)
}

// MetaEscape rewrites compact JSON the way Meta renders webhooks: "/" as
// "\/" and every non-ASCII character as lowercase \uXXXX (surrogate pairs
// above U+FFFF). Both only occur inside strings in valid JSON, so a byte
// scan is safe. The result decodes to the same value but has other bytes,
// which is exactly what signature checks must cope with (§1.2).
func MetaEscape(compact []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(compact) + len(compact)/8)
	for i := 0; i < len(compact); {
		c := compact[i]
		if c == '/' {
			out.WriteString(`\/`)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			out.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(compact[i:])
		i += size
		if r >= 0x10000 {
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&out, `\u%04x`, r)
	}
	return out.Bytes()
}
