// Package eventbus is the in-process hub that fans committed events out to
// live subscribers (GraphQL subscriptions). Publish never blocks: each
// subscriber has a bounded buffer, and one whose buffer is full is dropped
// (its channel closed, Dropped reports true) rather than waited for, so a
// slow or dead client never delays the writer or the other subscribers.
// Subscribers are grouped by a key (the workspace), so publishing touches
// only the subscribers of that key.
package eventbus

import "sync"

// Hub fans items out to subscribers grouped by key. The zero value is not
// usable; call New.
type Hub[T any] struct {
	mu    sync.Mutex
	byKey map[string]map[*Subscription[T]]struct{}
	count int
}

// New returns an empty hub.
func New[T any]() *Hub[T] {
	return &Hub[T]{byKey: map[string]map[*Subscription[T]]struct{}{}}
}

// Subscription receives the items published under its key while it keeps
// up. Its channel is closed when it is dropped, closed or the hub closes.
type Subscription[T any] struct {
	hub     *Hub[T]
	key     string
	ch      chan T
	closed  bool // guarded by hub.mu
	dropped bool // guarded by hub.mu
}

// Subscribe adds a subscriber of key with room for buffer items (at least 1).
func (h *Hub[T]) Subscribe(key string, buffer int) *Subscription[T] {
	if buffer < 1 {
		buffer = 1
	}
	s := &Subscription[T]{hub: h, key: key, ch: make(chan T, buffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	subs := h.byKey[key]
	if subs == nil {
		subs = map[*Subscription[T]]struct{}{}
		h.byKey[key] = subs
	}
	subs[s] = struct{}{}
	h.count++
	return s
}

// Publish offers items, in order, to every subscriber of key. A subscriber
// without room for all of them is dropped: it would otherwise miss some
// silently. Publish never waits for a subscriber.
func (h *Hub[T]) Publish(key string, items ...T) {
	if len(items) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.byKey[key] {
		if cap(s.ch)-len(s.ch) < len(items) {
			s.dropped = true
			h.removeLocked(s)
			continue
		}
		for _, item := range items {
			s.ch <- item // cannot block: room was checked under the lock
		}
	}
}

// Len is the number of subscribers.
func (h *Hub[T]) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count
}

// Close drops every subscriber (their channels close, Dropped stays false).
func (h *Hub[T]) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, subs := range h.byKey {
		for s := range subs {
			h.removeLocked(s)
		}
	}
}

func (h *Hub[T]) removeLocked(s *Subscription[T]) {
	if s.closed {
		return
	}
	s.closed = true
	close(s.ch)
	subs := h.byKey[s.key]
	delete(subs, s)
	if len(subs) == 0 {
		delete(h.byKey, s.key)
	}
	h.count--
}

// C delivers the items; it is closed when the subscription ends.
func (s *Subscription[T]) C() <-chan T { return s.ch }

// Close ends the subscription; items still buffered stay readable.
func (s *Subscription[T]) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.removeLocked(s)
}

// Dropped reports whether the hub ended the subscription because its
// buffer was full (the subscriber fell behind and missed items).
func (s *Subscription[T]) Dropped() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.dropped
}
