// Package webhooks sends signed deliveries to integrators' endpoints
// following Standard Webhooks (https://www.standardwebhooks.com): the
// signing, an HTTP client that can only reach public addresses (or those
// an operator allows), and one delivery attempt with its outcome.
package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// SecretPrefix starts every signing secret; the rest is the base64 key.
const SecretPrefix = "whsec_"

// Sign returns the Standard Webhooks signature ("v1," + base64 of the
// HMAC-SHA256 of "id.timestamp.body" keyed by the secret's decoded bytes).
func Sign(secret, msgID string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || len(key) == 0 {
		return "", fmt.Errorf("webhooks: the signing secret is not base64 after %s", SecretPrefix)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// SignatureHeader is the webhook-signature value: one signature per
// secret, space-separated (during a rotation both the new and the old
// secret sign, so a receiver holding either verifies).
func SignatureHeader(secrets []string, msgID string, timestamp int64, body []byte) (string, error) {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		sig, err := Sign(s, msgID, timestamp, body)
		if err != nil {
			return "", err
		}
		sigs = append(sigs, sig)
	}
	return strings.Join(sigs, " "), nil
}

// Verify reports whether header carries a valid v1 signature of the
// message under secret (what a receiver does; our tests use it).
func Verify(secret, msgID string, timestamp int64, body []byte, header string) bool {
	want, err := Sign(secret, msgID, timestamp, body)
	if err != nil {
		return false
	}
	for _, sig := range strings.Fields(header) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}
