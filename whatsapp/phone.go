package whatsapp

import "github.com/centralita/centralita/domain/phone"

// E164FromWaID derives the dialable E.164 number of a WhatsApp user id, or
// "" when it cannot (see phone.FromWaID for the Latin American forms).
func E164FromWaID(waID string) string { return phone.FromWaID(waID) }

// CountryFromWaID is the ISO 3166 alpha-2 country of a WhatsApp user id
// ("MX" for 5215512345678), or "" when the number is not valid. Routing
// rules send customers to the team of their country with it.
func CountryFromWaID(waID string) string {
	e164 := phone.FromWaID(waID)
	if e164 == "" {
		return ""
	}
	return phone.Country(e164)
}
