package api

import (
	"mime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServedMediaTypeIsAnAllowList(t *testing.T) {
	for stored, want := range map[string]string{
		"image/jpeg":             "image/jpeg",
		"IMAGE/PNG":              "image/png",
		"audio/ogg; codecs=opus": "audio/ogg",
		"audio/amr":              "audio/amr",
		"video/mp4":              "video/mp4",
		"application/pdf":        "application/pdf",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"text/plain":                 "text/plain",
		"text/html":                  octetStream,
		"image/svg+xml":              octetStream,
		"application/xhtml+xml":      octetStream,
		"application/javascript":     octetStream,
		"video/webm":                 octetStream,
		"audio/":                     octetStream,
		"audio/x\r\nSet-Cookie: a=b": octetStream,
		"":                           octetStream,
		"application/octet-stream":   octetStream,
		"text/plain\r\nX-Evil: 1":    octetStream,
	} {
		require.Equal(t, want, servedMediaType(stored), "%q", stored)
	}
}

func TestDefaultMediaFilename(t *testing.T) {
	require.Equal(t, "msg_1.jpg", defaultMediaFilename("msg_1", "image/jpeg"))
	require.Equal(t, "msg_1.ogg", defaultMediaFilename("msg_1", "audio/ogg"))
	require.Equal(t, "msg_1.bin", defaultMediaFilename("msg_1", "audio/x-unheard-of"))
	require.Equal(t, "msg_1.bin", defaultMediaFilename("msg_1", octetStream))
}

// Whatever a customer names a file, the header is one well-formed
// attachment with a bare file name, and browsers' parser (mime) reads the
// intended name back.
func TestAttachmentDispositionIsSafe(t *testing.T) {
	for name, tc := range map[string]struct{ in, ascii, utf8 string }{
		"plain":           {"receipt.pdf", "receipt.pdf", ""},
		"traversal":       {"../../etc/passwd", "passwd", ""},
		"windows path":    {`C:\Users\x\..\evil.exe`, "evil.exe", ""},
		"quotes":          {`a "quoted" name.pdf`, "a _quoted_ name.pdf", `a "quoted" name.pdf`},
		"CRLF injection":  {"x.pdf\r\nSet-Cookie: session=1", "x.pdfSet-Cookie: session=1", ""},
		"non-ASCII":       {"factura_año_2024.pdf", "factura_a_o_2024.pdf", "factura_año_2024.pdf"},
		"bidi override":   {"invoice\u202Efdp.exe", "invoicefdp.exe", ""},
		"hidden dot file": {".htaccess", "htaccess", ""},
		"trailing dots":   {"evil.exe. . .", "evil.exe", ""},
		"percent":         {"100%.txt", "100_.txt", "100%.txt"},
		"nothing left":    {"../../", "msg_1.jpg", ""},
		"empty":           {"", "msg_1.jpg", ""},
		"invalid UTF-8":   {"bad\xff\xfe.pdf", "bad.pdf", ""},
	} {
		t.Run(name, func(t *testing.T) {
			v := attachmentDisposition(tc.in, "msg_1.jpg")
			require.NotContains(t, v, "\r")
			require.NotContains(t, v, "\n")
			for _, r := range v {
				require.True(t, r >= 0x20 && r < 0x7f, "header is printable ASCII: %q", v)
			}
			disposition, params, err := mime.ParseMediaType(v)
			require.NoError(t, err, v)
			require.Equal(t, "attachment", disposition)
			want := tc.utf8
			if want == "" {
				want = tc.ascii
				require.NotContains(t, v, "filename*", "no UTF-8 form when ASCII says it all")
			}
			require.Equal(t, want, params["filename"], v) // mime prefers filename* when present
			require.Contains(t, v, `filename="`+tc.ascii+`"`)
		})
	}
	long := strings.Repeat("ñ", 400) + ".pdf"
	_, params, err := mime.ParseMediaType(attachmentDisposition(long, "x"))
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(params["filename"], ".pdf"), "a long name keeps its extension")
	require.LessOrEqual(t, len([]rune(params["filename"])), maxFilenameRunes)
}

func TestETagMatches(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	require.True(t, etagMatches(`"`+sum+`"`, sum))
	require.True(t, etagMatches(`"other", W/"`+sum+`"`, sum))
	require.True(t, etagMatches(`*`, sum))
	require.False(t, etagMatches(``, sum))
	require.False(t, etagMatches(sum, sum), "an ETag is quoted")
	require.False(t, etagMatches(`"`+sum[:10]+`"`, sum))
}

func TestMetaSHA256Hex(t *testing.T) {
	require.Equal(t, "49f227634806293b0995459bc310b593e1400f41591efcf07e9bced335f41942", metaSHA256Hex("SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI="))
	require.Equal(t, "", metaSHA256Hex("not base64!"))
	require.Equal(t, "", metaSHA256Hex("c2hvcnQ="), "not 32 bytes")
}
