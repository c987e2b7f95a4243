package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// reversingSealer stands in for the real AEAD: opening anything it did
// not seal fails.
type reversingSealer struct{}

func (reversingSealer) Seal(plain string) (string, error) { return "sealed:" + plain, nil }
func (reversingSealer) Open(sealed string) (string, error) {
	plain, ok := strings.CutPrefix(sealed, "sealed:")
	if !ok {
		return "", errors.New("not sealed here")
	}
	return plain, nil
}

func TestDeviceTokenProvesOnlyItsEmailForItsLifetime(t *testing.T) {
	s := &Service{opts: Options{Sealer: reversingSealer{}}}
	issued := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	token := s.issueDeviceToken("ana@example.com", issued)
	other := s.issueDeviceToken("ana@example.com", issued)
	for _, c := range []struct {
		name, token, email string
		at                 time.Time
		want               bool
	}{
		{"fresh", token, "ana@example.com", issued.Add(time.Minute), true},
		{"last moment", token, "ana@example.com", issued.Add(deviceTokenTTL - time.Second), true},
		{"expired", token, "ana@example.com", issued.Add(deviceTokenTTL), false},
		{"another email", token, "bob@example.com", issued, false},
		{"not sealed here", "forged", "ana@example.com", issued, false},
		{"another kind of secret", "sealed:EAA-access-token", "ana@example.com", issued, false},
		{"absent", "", "ana@example.com", issued, false},
	} {
		if _, got := s.knownDevice(c.token, c.email, c.at); got != c.want {
			t.Errorf("%s: known = %v, want %v", c.name, got, c.want)
		}
	}
	a, _ := s.knownDevice(token, "ana@example.com", issued)
	b, _ := s.knownDevice(other, "ana@example.com", issued)
	if a == "" || a == b {
		t.Errorf("each token names its own device: %q, %q", a, b)
	}
	if (&Service{}).issueDeviceToken("ana@example.com", issued) != "" {
		t.Error("without a sealer no token is issued")
	}
}

// A known device's attempts use their own key: the email's ceiling spent
// by strangers and a throttled address do not refuse them.
func TestKnownDeviceIsThrottledApart(t *testing.T) {
	const forget = 15 * time.Minute
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	lt := newLoginThrottle()
	for i := range 5 {
		lt.take("ana@example.com", "203.0.113.9", 2, forget, now.Add(time.Duration(i)*time.Millisecond))
	}
	if ok, _ := lt.take("ana@example.com", "203.0.113.9", 2, forget, now.Add(time.Second)); ok {
		t.Fatal("the stranger's address is throttled")
	}
	if ok, _ := lt.takeKnown("ana@example.com", "dev_1", forget, now.Add(time.Second)); !ok {
		t.Fatal("the known device is not")
	}
	for range 3 {
		lt.takeKnown("ana@example.com", "dev_2", forget, now.Add(2*time.Second))
	}
	if ok, _ := lt.takeKnown("ana@example.com", "dev_2", forget, now.Add(2*time.Second)); ok {
		t.Fatal("a device's own failures wait like a pair's")
	}
}
