package whatsapp

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestE164FromWaID(t *testing.T) {
	for waID, want := range map[string]string{
		"5215512345678":  "+525512345678",  // Mexico: WhatsApp's 521 form
		"525512345678":   "+525512345678",  // Mexico: already without the 1
		"5491123456789":  "+5491123456789", // Argentina mobile keeps its 9
		"551187654321":   "+5511987654321", // Brazil: pre-ninth-digit account
		"5511987654321":  "+5511987654321", // Brazil: current form
		"51987654321":    "+51987654321",   // Peru
		"573001234567":   "+573001234567",  // Colombia
		"16505551234":    "+16505551234",   // Meta's sample user (US)
		"123":            "",
		"+5215512345678": "",
		"99999999999999": "",
	} {
		require.Equal(t, want, E164FromWaID(waID), waID)
	}
}

func TestCountryFromWaID(t *testing.T) {
	for waID, want := range map[string]string{
		"5215512345678": "MX", // Mexico's old mobile prefix
		"525512345678":  "MX",
		"5491123456789": "AR",
		"51987654321":   "PE",
		"56987654321":   "CL",
		"551187654321":  "BR", // before the ninth digit
		"16505551234":   "US",
		"12345":         "",
		"abc":           "",
	} {
		if got := CountryFromWaID(waID); got != want {
			t.Errorf("CountryFromWaID(%q) = %q, want %q", waID, got, want)
		}
	}
}
