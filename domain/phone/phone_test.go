package phone

import "testing"

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		country, typed, want string
	}{
		// Peru: 9-digit mobiles starting with 9, Lima landlines 01 + 7 digits.
		{"PE", "987 654 321", "+51987654321"},
		{"PE", "+51 987-654-321", "+51987654321"},
		{"PE", "51987654321", "+51987654321"},
		{"PE", "0051 987654321", "+51987654321"},
		{"PE", "(01) 456-7890", "+5114567890"},
		// Another workspace country does not change an international number.
		{"MX", "+51 987 654 321", "+51987654321"},
		{"MX", "51987654321", "+51987654321"},
		// Mexico: 10 digits; the old mobile "1" after 52 is dropped.
		{"MX", "55 1234 5678", "+525512345678"},
		{"MX", "+52 1 55 1234 5678", "+525512345678"},
		{"MX", "5215512345678", "+525512345678"},
		{"PE", "+52 55 1234 5678", "+525512345678"},
		// Argentina: mobiles are +54 9 area number, typed 0 area 15 number.
		{"AR", "011 15 2345-6789", "+5491123456789"},
		{"AR", "+54 9 11 2345-6789", "+5491123456789"},
		{"AR", "5491123456789", "+5491123456789"},
		{"AR", "11 2345-6789", "+541123456789"},
		// Brazil: 9-digit mobiles; an old 8-digit mobile gets its 9.
		{"BR", "(11) 98765-4321", "+5511987654321"},
		{"BR", "11 8765-4321", "+5511987654321"},
		{"BR", "+55 11 8765-4321", "+5511987654321"},
		{"BR", "551187654321", "+5511987654321"},
		{"BR", "(11) 3456-7890", "+551134567890"},
		// Colombia: 10-digit mobiles starting with 3.
		{"CO", "300 123 4567", "+573001234567"},
		{"CO", "+57 300 1234567", "+573001234567"},
		// Chile: 9-digit mobiles starting with 9.
		{"CL", "9 8765 4321", "+56987654321"},
		{"CL", "+56 9 8765 4321", "+56987654321"},
		// United States.
		{"US", "(415) 555-2671", "+14155552671"},
		{"US", "+1 415-555-2671", "+14155552671"},
		{"PE", "+1 (415) 555-2671", "+14155552671"},
	} {
		got, err := Normalize(tc.typed, tc.country)
		if err != nil || got != tc.want {
			t.Errorf("Normalize(%q, %s) = %q, %v; want %q", tc.typed, tc.country, got, err, tc.want)
		}
	}
}

func TestNormalizeRefusesImpossibleNumbers(t *testing.T) {
	for _, tc := range []struct{ country, typed string }{
		{"PE", ""},
		{"PE", "123"},
		{"PE", "987 654 32"},      // a digit short
		{"PE", "+51 887 654 321"}, // no Peruvian number starts 8 with 9 digits
		{"PE", "call me"},
		{"PE", "987654321 ext 2"},
		{"MX", "+52 55 1234"},
		{"US", "(415) 555-267"},
		{"PE", "+999 123 456 789"},
		{"PE", "12345678901234567890"},
		{"XX", "987 654 321"}, // unknown country: only international numbers
	} {
		if got, err := Normalize(tc.typed, tc.country); err == nil {
			t.Errorf("Normalize(%q, %s) = %q; want ErrImpossible", tc.typed, tc.country, got)
		}
	}
}

func TestFromWaID(t *testing.T) {
	for _, tc := range []struct{ waID, want string }{
		{"51987654321", "+51987654321"},
		{"5215512345678", "+525512345678"},
		{"525512345678", "+525512345678"},
		{"5491123456789", "+5491123456789"},
		{"551187654321", "+5511987654321"},
		{"5511987654321", "+5511987654321"},
		{"573001234567", "+573001234567"},
		{"56987654321", "+56987654321"},
		{"14155552671", "+14155552671"},
		{"123", ""},
		{"US.1234", ""},
		{"99912345678", ""},
	} {
		if got := FromWaID(tc.waID); got != tc.want {
			t.Errorf("FromWaID(%q) = %q; want %q", tc.waID, got, tc.want)
		}
	}
}

// A number typed by a person and the wa_id WhatsApp sends for it agree,
// which is how a contact created by a CRM receives its first message.
func TestTypedNumberMatchesWaID(t *testing.T) {
	for _, tc := range []struct{ country, typed, waID string }{
		{"PE", "987 654 321", "51987654321"},
		{"MX", "55 1234 5678", "5215512345678"},
		{"AR", "011 15 2345-6789", "5491123456789"},
		{"BR", "(11) 98765-4321", "551187654321"},
		{"CO", "300 123 4567", "573001234567"},
		{"CL", "9 8765 4321", "56987654321"},
		{"US", "(415) 555-2671", "14155552671"},
	} {
		typed, err := Normalize(tc.typed, tc.country)
		if err != nil || typed != FromWaID(tc.waID) {
			t.Errorf("%s %q = %q (%v), wa_id %s = %q", tc.country, tc.typed, typed, err, tc.waID, FromWaID(tc.waID))
		}
	}
}

func TestValidCountry(t *testing.T) {
	for code, want := range map[string]bool{"PE": true, "MX": true, "AR": true, "BR": true, "US": true,
		"pe": false, "XX": false, "": false, "PER": false, "001": false} {
		if ValidCountry(code) != want {
			t.Errorf("ValidCountry(%q) = %v", code, !want)
		}
	}
}
