package eventbus

import (
	"runtime"
	"slices"
	"strconv"
	"testing"
)

// drain reads what is buffered without waiting.
func drain(s *Subscription[int]) (got []int, open bool) {
	for {
		select {
		case v, ok := <-s.C():
			if !ok {
				return got, false
			}
			got = append(got, v)
		default:
			return got, true
		}
	}
}

func TestHubDelivery(t *testing.T) {
	cases := []struct {
		name        string
		buffer      int
		publish     [][]int // batches published under "ws1"
		want        []int
		wantOpen    bool
		wantDropped bool
	}{
		{"in order", 4, [][]int{{1, 2}, {3}}, []int{1, 2, 3}, true, false},
		{"exactly full", 3, [][]int{{1}, {2, 3}}, []int{1, 2, 3}, true, false},
		{"overflow drops", 2, [][]int{{1}, {2}, {3}}, []int{1, 2}, false, true},
		{"a batch that does not fit is not split", 3, [][]int{{1, 2}, {3, 4}}, []int{1, 2}, false, true},
		{"empty publish", 1, [][]int{{}}, nil, true, false},
		{"buffer below one means one", 0, [][]int{{7}}, []int{7}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := New[int]()
			s := h.Subscribe("ws1", c.buffer)
			for _, batch := range c.publish {
				h.Publish("ws1", batch...)
			}
			got, open := drain(s)
			if !slices.Equal(got, c.want) || open != c.wantOpen || s.Dropped() != c.wantDropped {
				t.Fatalf("got %v open=%v dropped=%v; want %v open=%v dropped=%v",
					got, open, s.Dropped(), c.want, c.wantOpen, c.wantDropped)
			}
			if want := map[bool]int{true: 1, false: 0}[c.wantOpen]; h.Len() != want {
				t.Fatalf("Len = %d, want %d", h.Len(), want)
			}
		})
	}
}

func TestHubSlowSubscriberDoesNotAffectOthers(t *testing.T) {
	h := New[int]()
	slow := h.Subscribe("ws1", 1)
	fast := h.Subscribe("ws1", 10)
	other := h.Subscribe("ws2", 10)
	for i := 1; i <= 5; i++ {
		h.Publish("ws1", i)
		if got, _ := drain(fast); !slices.Equal(got, []int{i}) {
			t.Fatalf("fast got %v after publishing %d", got, i)
		}
	}
	if !slow.Dropped() {
		t.Fatal("the subscriber that never read was not dropped")
	}
	if got, open := drain(slow); !slices.Equal(got, []int{1}) || open {
		t.Fatalf("slow: got %v open=%v; want its one buffered item then a closed channel", got, open)
	}
	if got, open := drain(other); len(got) != 0 || !open {
		t.Fatalf("another key received %v", got)
	}
}

func TestHubCloseIsIdempotent(t *testing.T) {
	h := New[int]()
	s := h.Subscribe("ws1", 2)
	h.Publish("ws1", 1)
	s.Close()
	s.Close()
	h.Publish("ws1", 2) // no subscriber left: nothing to send on a closed channel
	if got, open := drain(s); !slices.Equal(got, []int{1}) || open || s.Dropped() {
		t.Fatalf("got %v open=%v dropped=%v", got, open, s.Dropped())
	}
	kept := h.Subscribe("ws1", 2)
	h.Close()
	if _, open := drain(kept); open || kept.Dropped() || h.Len() != 0 {
		t.Fatal("Close left a subscriber open")
	}
}

// TestHubMemoryPerSubscriber keeps 1,000 idle subscribers cheap: a
// subscription is its struct and a channel of `buffer` pointers.
func TestHubMemoryPerSubscriber(t *testing.T) {
	const n = 1000
	for _, c := range []struct{ buffer, maxBytes int }{{64, 1024}, {256, 3072}} {
		h := New[*int]()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		subs := make([]*Subscription[*int], n)
		for i := range subs {
			subs[i] = h.Subscribe("ws"+strconv.Itoa(i%10), c.buffer)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perSub := int(after.HeapAlloc-before.HeapAlloc) / n
		t.Logf("%d subscribers, buffer %d: about %d bytes each", n, c.buffer, perSub)
		if perSub > c.maxBytes {
			t.Errorf("buffer %d: a subscriber costs %d bytes", c.buffer, perSub)
		}
		runtime.KeepAlive(subs)
	}
}

// BenchmarkPublishTo1000 publishes one item to 1,000 subscribers of one
// key, each draining its channel in its own goroutine.
func BenchmarkPublishTo1000(b *testing.B) {
	h := New[int]()
	done := make(chan struct{})
	for range 1000 {
		s := h.Subscribe("ws", 256)
		go func() {
			for range s.C() {
			}
			done <- struct{}{}
		}()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		h.Publish("ws", i)
	}
	b.StopTimer()
	h.Close()
	for range 1000 {
		<-done
	}
}
