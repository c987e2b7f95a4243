package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// SignatureHeader is the header Meta signs webhook deliveries with.
const SignatureHeader = "X-Hub-Signature-256"

const signaturePrefix = "sha256="

// VerifySignature reports whether header ("sha256=<hex>") is the HMAC-SHA256
// of the raw body under one of the app secrets (several secrets allow key
// rotation). It hashes the bytes as received: Meta signs its escaped
// rendering (\uXXXX, \/), so re-encoded JSON never verifies (§1.2, T2).
//
// Decisions, all failing closed (T1):
//   - no secrets, or only empty ones: false — an unconfigured channel accepts nothing;
//   - missing header, another prefix ("sha1="), wrong length: false;
//   - the digest must be exactly 64 lowercase hex digits. Meta documents
//     lowercase and T1 lists an uppercase digest among the forgeries, so
//     uppercase is rejected rather than normalised;
//   - comparison is hmac.Equal on the decoded bytes (constant time).
func VerifySignature(body []byte, header string, secrets ...string) bool {
	got, ok := decodeSignature(header)
	if !ok {
		return false
	}
	matched := false
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		// No early exit: the time taken does not reveal which secret matched.
		if hmac.Equal(got, mac(body, secret)) {
			matched = true
		}
	}
	return matched
}

// WellFormedSignature reports whether header has the shape of a signature
// ("sha256=" and 64 lowercase hex digits), so a caller can refuse a
// delivery before looking up any secret to verify it with.
func WellFormedSignature(header string) bool {
	_, ok := decodeSignature(header)
	return ok
}

func decodeSignature(header string) ([]byte, bool) {
	digest, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok || len(digest) != sha256.Size*2 || !isLowerHex(digest) {
		return nil, false
	}
	got, err := hex.DecodeString(digest)
	return got, err == nil
}

// Sign returns the X-Hub-Signature-256 value Meta would send for body.
// Used by tests, FakeGraph and the simulator.
func Sign(body []byte, secret string) string {
	return signaturePrefix + hex.EncodeToString(mac(body, secret))
}

func mac(body []byte, secret string) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(body)
	return h.Sum(nil)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
