package domain

import (
	"strconv"
	"strings"
	"time"
)

// A device token proves that a client signed in as an email before: login
// and refresh hand one out, and a login that sends it back is counted apart
// from everyone else's attempts at that email (see login_throttle.go). So a
// stranger who knows the email and fails at it, from anywhere, even from the
// same office address, cannot keep its owner out of a device they already
// use. The token is sealed with the secret key (no table, valid on every
// replica), names the email and a random device id, and lasts
// deviceTokenTTL. It grants nothing else: the password is still checked,
// and the device's own failures wait like any source's.
const (
	deviceTokenTTL  = 90 * 24 * time.Hour
	deviceTokenKind = "login-device"
)

// issueDeviceToken seals a new device token for email ("" without a sealer).
func (s *Service) issueDeviceToken(email string, now time.Time) string {
	if s.opts.Sealer == nil {
		return ""
	}
	plain := strings.Join([]string{deviceTokenKind, randomToken("dev_"), strconv.FormatInt(now.Unix(), 10), email}, "\x00")
	sealed, err := s.opts.Sealer.Seal(plain)
	if err != nil {
		return ""
	}
	return sealed
}

// knownDevice returns the device id of a token issued for email within
// deviceTokenTTL. Anything else (forged, another email, too old) is no
// proof, and the login is throttled like any other.
func (s *Service) knownDevice(token, email string, now time.Time) (string, bool) {
	if token == "" || s.opts.Sealer == nil || len(token) > 1024 {
		return "", false
	}
	plain, err := s.opts.Sealer.Open(token)
	if err != nil {
		return "", false
	}
	parts := strings.Split(plain, "\x00")
	if len(parts) != 4 || parts[0] != deviceTokenKind || parts[3] != email {
		return "", false
	}
	issued, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || now.Sub(time.Unix(issued, 0)) >= deviceTokenTTL {
		return "", false
	}
	return parts[1], true
}
