package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNamedPhoneNumberIDs(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
	}{
		{`{"metadata":{"phone_number_id":"123"}}`, []string{"123"}},
		{`{"phone_number_id" : "1", "x":{"phone_number_id":"2"},"y":{"phone_number_id":"1"}}`, []string{"1", "2"}},
		{`{"text":"say \"phone_number_id\":\"9\""}`, nil},
		{`{"phone_number_id":123}`, nil},
		{`{"phone_number_id":"` + strings.Repeat("9", 100) + `"}`, nil},
		{`{"phone_number_id":"12`, nil},
		{`not json "phone_number_id":"7"`, []string{"7"}},
	} {
		require.Equal(t, tc.want, namedPhoneNumberIDs([]byte(tc.body), 20), tc.body)
	}
	var many strings.Builder
	for i := range 100 {
		fmt.Fprintf(&many, `{"phone_number_id":"%d"}`, i)
	}
	require.Len(t, namedPhoneNumberIDs([]byte(many.String()), 20), 20)
}
