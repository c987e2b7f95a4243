package persistence_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/persistence"
)

func TestSealerRoundTripAndTampering(t *testing.T) {
	s, err := persistence.NewSealer(strings.Repeat("k", 32))
	require.NoError(t, err)
	a, err := s.Seal("EAAG-token")
	require.NoError(t, err)
	b, err := s.Seal("EAAG-token")
	require.NoError(t, err)
	require.NotEqual(t, a, b, "a fresh nonce every time")
	require.NotContains(t, a, "EAAG")
	plain, err := s.Open(a)
	require.NoError(t, err)
	require.Equal(t, "EAAG-token", plain)

	other, err := persistence.NewSealer(strings.Repeat("x", 32))
	require.NoError(t, err)
	_, err = other.Open(a)
	require.Error(t, err, "another key cannot open it")
	tampered := a[:len(a)-2] + "AA"
	_, err = s.Open(tampered)
	require.Error(t, err)
	_, err = persistence.NewSealer("short")
	require.Error(t, err)
}
