package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

type decodeProbe struct {
	Name  *string        `json:"name" required:"true"`
	Count *int           `json:"count"`
	Who   nullableString `json:"who"`
	When  *jsonTime      `json:"when"`
}

func TestDecodeStrict(t *testing.T) {
	cases := map[string]struct {
		body  string
		field string
	}{
		"empty":          {"", ""},
		"malformed":      {`{"name":`, ""},
		"not an object":  {`["a"]`, ""},
		"unknown field":  {`{"name":"a","workspace_id":"ws_x"}`, "workspace_id"},
		"wrong type":     {`{"name":"a","count":"7"}`, "count"},
		"missing":        {`{"count":7}`, "name"},
		"trailing data":  {`{"name":"a"} {"name":"b"}`, ""},
		"trailing junk":  {`{"name":"a"}x`, ""},
		"bad timestamp":  {`{"name":"a","when":"tomorrow"}`, ""},
		"number as name": {`{"name":5}`, "name"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var dst decodeProbe
			err := decodeStrict(strings.NewReader(tc.body), &dst)
			require.Error(t, err)
			e, ok := domain.AsError(err)
			require.True(t, ok, "must be an application error: %v", err)
			require.Equal(t, domain.CodeInvalid, e.Code)
			require.Equal(t, tc.field, e.Field)
		})
	}
}

func TestDecodeStrictAccepts(t *testing.T) {
	var dst decodeProbe
	require.NoError(t, decodeStrict(strings.NewReader(` {"name":"a","who":null,"when":"2026-01-02T03:04:05Z"} `), &dst))
	require.Equal(t, "a", *dst.Name)
	require.True(t, dst.Who.Present)
	require.Equal(t, "", dst.Who.Value)
	require.Equal(t, 2026, dst.When.Year())

	var absent decodeProbe
	require.NoError(t, decodeStrict(strings.NewReader(`{"name":"a"}`), &absent))
	require.False(t, absent.Who.Present)
}
