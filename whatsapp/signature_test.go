package whatsapp

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const testSecret = "app-secret-A"

func TestVerifySignatureT1(t *testing.T) {
	body := fixture(t, "inbound_location_escaped_slashes.json")
	valid := Sign(body, testSecret)
	digest := strings.TrimPrefix(valid, "sha256=")
	flipped := append([]byte(nil), body...)
	flipped[len(flipped)/2] ^= 0x01

	cases := []struct {
		name    string
		body    []byte
		header  string
		secrets []string
		want    bool
	}{
		{"valid", body, valid, []string{testSecret}, true},
		{"valid with rotated secret second", body, valid, []string{"old-secret", testSecret}, true},
		{"no header", body, "", []string{testSecret}, false},
		{"wrong secret", body, Sign(body, "another-tenant-secret"), []string{testSecret}, false},
		{"sha1 prefix", body, "sha1=" + digest[:40], []string{testSecret}, false},
		{"sha1 prefix with sha256 digest", body, "sha1=" + digest, []string{testSecret}, false},
		{"no prefix", body, digest, []string{testSecret}, false},
		{"truncated", body, valid[:len(valid)-2], []string{testSecret}, false},
		{"too long", body, valid + "00", []string{testSecret}, false},
		{"non-hex", body, "sha256=" + strings.Repeat("zz", 32), []string{testSecret}, false},
		{"uppercase digest", body, "sha256=" + strings.ToUpper(digest), []string{testSecret}, false},
		{"uppercase prefix", body, "SHA256=" + digest, []string{testSecret}, false},
		{"flipped byte", flipped, valid, []string{testSecret}, false},
		{"empty body", []byte{}, valid, []string{testSecret}, false},
		{"no secrets: fail closed", body, valid, nil, false},
		{"only empty secret: fail closed", body, Sign(body, ""), []string{""}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, VerifySignature(tc.body, tc.header, tc.secrets...))
		})
	}
}

// Meta signs its own escaped rendering; re-serialising the parsed JSON
// changes the bytes (\/ → /, \u00e9 → é) and must not verify (T2).
func TestVerifySignatureRawBytesOnly(t *testing.T) {
	for _, name := range []string{"inbound_location_escaped_slashes.json", "status_failed_131053_media_upload.json"} {
		t.Run(name, func(t *testing.T) {
			raw := fixture(t, name)
			require.True(t, bytes.Contains(raw, []byte(`\/`)), "fixture must keep Meta's escaping")
			header := Sign(raw, testSecret)
			require.True(t, VerifySignature(raw, header, testSecret))

			var v any
			require.NoError(t, json.Unmarshal(raw, &v))
			reencoded, err := json.Marshal(v)
			require.NoError(t, err)
			require.False(t, VerifySignature(reencoded, header, testSecret))
		})
	}

	escaped := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"id":"wamid.1","from":"1","timestamp":"1","type":"text","text":{"body":"caf\u00e9 \ud83d\ude00 a\/b"}}]}}]}]}`)
	header := Sign(escaped, testSecret)
	require.True(t, VerifySignature(escaped, header, testSecret))
	d, err := ParseWebhook(escaped)
	require.NoError(t, err)
	require.Equal(t, "café 😀 a/b", d.Changes[0].Messages[0].Text)
	reencoded, _ := json.Marshal(map[string]string{"body": d.Changes[0].Messages[0].Text})
	require.False(t, VerifySignature(reencoded, header, testSecret))
}

func TestMetaEscapeRoundTrip(t *testing.T) {
	in := []byte(`{"a":"café 😀 a/b <x>"}`)
	out := MetaEscape(in)
	require.Equal(t, `{"a":"caf\u00e9 \ud83d\ude00 a\/b <x>"}`, string(out))
	var a, b any
	require.NoError(t, json.Unmarshal(in, &a))
	require.NoError(t, json.Unmarshal(out, &b))
	require.Equal(t, a, b)
}
