package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestArgon2idRoundTrip(t *testing.T) {
	h := Argon2id{MemoryKiB: 64, Iterations: 1, Threads: 1}
	hash, err := h.Hash("correct-horse-battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$"), hash)
	require.True(t, h.Verify(hash, "correct-horse-battery"))
	require.False(t, h.Verify(hash, "correct-horse-batterx"))
	require.False(t, h.Verify(hash, ""))

	other, err := h.Hash("correct-horse-battery")
	require.NoError(t, err)
	require.NotEqual(t, hash, other, "salts must differ")
}

func TestArgon2idReadsParametersFromHash(t *testing.T) {
	old, err := Argon2id{MemoryKiB: 32, Iterations: 1, Threads: 1}.Hash("pw-0123456789")
	require.NoError(t, err)
	require.True(t, DefaultArgon2id.Verify(old, "pw-0123456789"), "hashes made with older parameters still verify")
}

func TestArgon2idRejectsMalformedHashes(t *testing.T) {
	h := Argon2id{MemoryKiB: 64, Iterations: 1, Threads: 1}
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		require.False(t, h.Verify(bad, "anything"), bad)
	}
}

func TestArgon2idZeroValueUsesDefaults(t *testing.T) {
	hash, err := Argon2id{}.withDefaults().Hash("x")
	require.NoError(t, err)
	require.Contains(t, hash, "m=19456,t=2,p=1")
}
