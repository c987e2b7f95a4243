package whatsapp

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// E164FromWaID derives the dialable E.164 number of a WhatsApp user id, or
// "" when it cannot. The wa_id stays the identity (Meta keys users by it);
// this number is for search, display, CRMs and for matching the same person
// across the forms WhatsApp uses in Latin America:
//   - Mexico: wa_id 521 + 10 digits is the mobile +52 + 10 digits;
//   - Argentina: wa_id 549 + 10 digits is already the mobile's E.164;
//   - Brazil: accounts older than the ninth digit keep 55 + DDD + 8 digits;
//     the number dialled today is 55 + DDD + 9 + those 8 digits.
func E164FromWaID(waID string) string {
	if len(waID) < 8 || len(waID) > 15 || strings.Trim(waID, "0123456789") != "" {
		return ""
	}
	switch {
	case strings.HasPrefix(waID, "521") && len(waID) == 13:
		waID = "52" + waID[3:]
	case strings.HasPrefix(waID, "55") && len(waID) == 12 && waID[4] >= '6':
		waID = waID[:4] + "9" + waID[4:]
	}
	num, err := phonenumbers.Parse("+"+waID, "")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

// CountryFromWaID is the ISO 3166 alpha-2 country of a WhatsApp user id
// ("MX" for 5215512345678), or "" when the number is not valid. Routing
// rules send customers to the team of their country with it.
func CountryFromWaID(waID string) string {
	e164 := E164FromWaID(waID)
	if e164 == "" {
		return ""
	}
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(num)
}
