// Package phone turns telephone numbers as people type them ("987 654
// 321", "+51 987-654-321", "51987654321", "011 15 2345-6789") and as
// WhatsApp sends them (wa_ids) into one E.164 form, so one person is one
// number whatever the spelling. It wraps nyaruka/phonenumbers (Google's
// libphonenumber) with the few Latin American rules WhatsApp adds.
package phone

import (
	"errors"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultCountry is the region assumed for numbers typed without a
// country code when a workspace has not chosen one.
const DefaultCountry = "PE"

// ErrImpossible is returned for input that is no dialable number.
var ErrImpossible = errors.New("not a possible phone number")

// ValidCountry reports whether code is an ISO 3166 alpha-2 region the
// numbering plan knows (upper case, as stored).
func ValidCountry(code string) bool {
	return len(code) == 2 && code == strings.ToUpper(code) && slices.Contains(regions, code)
}

var regions = func() []string {
	var out []string
	for r := range phonenumbers.GetSupportedRegions() {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}()

// Normalize returns the E.164 form of a number typed by a person. A number
// with a leading + or 00 is international; otherwise it is first read as a
// national number of country, then as an international one whose + was
// left out ("51987654321"). ErrImpossible when neither reading is a valid
// number.
func Normalize(typed, country string) (string, error) {
	digits, international := clean(typed)
	if len(digits) < 4 || len(digits) > 17 {
		return "", ErrImpossible
	}
	if international {
		return fromInternational(digits)
	}
	if e164, err := fromNational(digits, country); err == nil {
		return e164, nil
	}
	return fromInternational(digits)
}

// FromWaID derives the E.164 number of a WhatsApp user id, or "" when it
// cannot. The wa_id stays the identity (Meta keys users by it); this
// number is for search, display, CRMs and for matching one person across
// the forms WhatsApp uses in Latin America (see fromInternational).
func FromWaID(waID string) string {
	if len(waID) < 8 || len(waID) > 15 || strings.Trim(waID, "0123456789") != "" {
		return ""
	}
	e164, err := fromInternational(waID)
	if err != nil {
		return ""
	}
	return e164
}

// Country is the ISO 3166 alpha-2 region of an E.164 number, or "".
func Country(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(num)
}

// clean keeps the digits of typed and says whether it was written in
// international form (+ or the 00 prefix). Letters make it impossible.
func clean(typed string) (digits string, international bool) {
	s := strings.TrimSpace(typed)
	switch {
	case strings.HasPrefix(s, "+"):
		international, s = true, s[1:]
	case strings.HasPrefix(s, "00"):
		international, s = true, s[2:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/' || r == '\u00a0':
		default:
			return "", false
		}
	}
	return b.String(), international
}

// fromInternational reads country code + number (no +), applying the
// forms WhatsApp and people use beside the numbering plan:
//   - Mexico: 521 + 10 digits is the old mobile form of +52 + 10 digits;
//   - Argentina: 549 + 10 digits is already the mobile's E.164 (kept);
//   - Brazil: accounts older than the ninth digit keep 55 + DDD + 8
//     digits starting 6-9; the number dialled today has 9 before them.
func fromInternational(digits string) (string, error) {
	switch {
	case strings.HasPrefix(digits, "521") && len(digits) == 13:
		digits = "52" + digits[3:]
	case strings.HasPrefix(digits, "55") && len(digits) == 12 && digits[4] >= '6':
		digits = digits[:4] + "9" + digits[4:]
	}
	return parse("+"+digits, "")
}

// fromNational reads a number without country code in country's plan.
// Argentina's "0 + area + 15 + number" mobiles become +54 9 area number
// (libphonenumber's own rule); Brazil's 8-digit mobiles get their 9.
func fromNational(digits, country string) (string, error) {
	if !ValidCountry(country) {
		return "", ErrImpossible
	}
	if country == "BR" {
		national := strings.TrimPrefix(digits, "0")
		if len(national) == 10 && national[2] >= '6' {
			digits = national[:2] + "9" + national[2:]
		}
	}
	return parse(digits, country)
}

func parse(number, region string) (string, error) {
	num, err := phonenumbers.Parse(number, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", ErrImpossible
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
