package persistence

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/centralita/centralita/domain"
)

func TestNotifyPayloadsFitAndKeepOrder(t *testing.T) {
	event := func(id string, text int) *domain.Event {
		return &domain.Event{ID: id, WorkspaceID: "ws_1", Type: "message.created", SubjectID: "conv_1",
			Payload: map[string]any{"message_id": "msg_" + id, "note": strings.Repeat("é", text)}}
	}
	cases := []struct {
		name     string
		events   []*domain.Event
		payloads int
		refs     []string // ids sent by reference
	}{
		{"one small event", []*domain.Event{event("1", 10)}, 1, nil},
		{"many small events share notifications", func() (es []*domain.Event) {
			for i := range 100 {
				es = append(es, event(strings.Repeat("x", i%7+1), 50))
			}
			return es
		}(), 4, nil},
		{"an oversized event travels by id", []*domain.Event{event("1", 10), event("big", 5000), event("3", 10)}, 1, []string{"big"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payloads := notifyPayloads(c.events)
			var ids, refs []string
			for _, p := range payloads {
				if len(p) >= 8000 {
					t.Fatalf("payload of %d bytes", len(p))
				}
				var entries []liveEntry
				if err := json.Unmarshal(p, &entries); err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					if e.Ref != nil {
						ids, refs = append(ids, e.Ref.ID), append(refs, e.Ref.ID)
					} else {
						ids = append(ids, e.Event.ID)
					}
				}
			}
			if len(payloads) > c.payloads {
				t.Errorf("%d payloads, want at most %d", len(payloads), c.payloads)
			}
			for i, e := range c.events {
				if ids[i] != e.ID {
					t.Fatalf("order: got %v", ids)
				}
			}
			if strings.Join(refs, ",") != strings.Join(c.refs, ",") {
				t.Errorf("refs %v, want %v", refs, c.refs)
			}
		})
	}
}
