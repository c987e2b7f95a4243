package persistence

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/centralita/centralita/domain"
)

// sealedPrefix versions the format so the key or algorithm can change later.
const sealedPrefix = "v1:"

// Sealer encrypts secrets at rest with AES-256-GCM. The key is SHA-256 of
// the configured secret, so any high-entropy string of 32+ characters works.
type Sealer struct {
	aead cipher.AEAD
}

var _ domain.Sealer = (*Sealer)(nil)

// NewSealer builds a Sealer from a secret of at least 32 characters.
func NewSealer(secret string) (*Sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New("the secret key must have at least 32 characters")
	}
	key := sha256.Sum256([]byte(secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain with a fresh random nonce.
func (s *Sealer) Seal(plain string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := s.aead.Seal(nonce, nonce, []byte(plain), nil)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts what Seal produced; a wrong key or tampered value fails.
func (s *Sealer) Open(sealed string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(sealed, sealedPrefix))
	if err != nil || !strings.HasPrefix(sealed, sealedPrefix) || len(raw) < s.aead.NonceSize() {
		return "", errors.New("sealed secret is malformed")
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], nil)
	if err != nil {
		return "", errors.New("sealed secret cannot be opened with this key")
	}
	return string(plain), nil
}
