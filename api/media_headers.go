package api

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// servedMediaTypes are the WhatsApp media types a file is served as; any
// other stored type (text/html, image/svg+xml, what a customer's phone
// claimed) goes out as application/octet-stream, so nothing a customer
// sends can become a page or a script on our origin.
var servedMediaTypes = map[string]string{
	"image/jpeg":                    "jpg",
	"image/png":                     "png",
	"image/webp":                    "webp",
	"video/mp4":                     "mp4",
	"video/3gpp":                    "3gp",
	"application/pdf":               "pdf",
	"text/plain":                    "txt",
	"application/msword":            "doc",
	"application/vnd.ms-excel":      "xls",
	"application/vnd.ms-powerpoint": "ppt",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   "docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}

// audioExtensions names the usual audio types; any other well-formed
// audio/* type is served as itself with a .bin name.
var audioExtensions = map[string]string{
	"audio/aac": "aac", "audio/amr": "amr", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/ogg": "ogg",
	"audio/opus": "opus", "audio/wav": "wav", "audio/webm": "weba",
}

const octetStream = "application/octet-stream"

// servedMediaType is the Content-Type a stored file is served with.
func servedMediaType(stored string) string {
	t, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(stored)), ";")
	t = strings.TrimSpace(t)
	if _, ok := servedMediaTypes[t]; ok {
		return t
	}
	if sub, ok := strings.CutPrefix(t, "audio/"); ok && sub != "" && strings.IndexFunc(sub, notMediaTokenRune) < 0 {
		return t
	}
	return octetStream
}

func notMediaTokenRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$&^_.+-", r))
}

// defaultMediaFilename names a file that came without a name (photos,
// voice notes): the message id and the served type's extension.
func defaultMediaFilename(messageID, servedType string) string {
	ext, ok := servedMediaTypes[servedType]
	if !ok {
		ext, ok = audioExtensions[servedType]
	}
	if !ok {
		ext = "bin"
	}
	return messageID + "." + ext
}

// maxFilenameRunes keeps Content-Disposition (and saved files) short.
const maxFilenameRunes = 150

// attachmentDisposition is an RFC 6266 attachment header for a filename a
// customer chose. The name is reduced to its last path element without
// control, formatting (bidi overrides) or invalid characters; an ASCII
// fallback goes in filename= and, when that lost anything, the UTF-8 name in
// filename* (RFC 8187). fallback is used when nothing usable is left.
func attachmentDisposition(name, fallback string) string {
	clean := sanitizeFilename(name)
	if clean == "" {
		clean = sanitizeFilename(fallback)
	}
	ascii := asciiFilename(clean)
	v := `attachment; filename="` + ascii + `"`
	if ascii != clean {
		v += "; filename*=UTF-8''" + rfc8187Encode(clean)
	}
	return v
}

func sanitizeFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:] // "../../etc/passwd" → "passwd"; a name, never a path
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, name)
	// Leading dots hide files, trailing dots and spaces are dropped by
	// Windows and can disguise an extension.
	name = strings.Trim(name, " .")
	if r := []rune(name); len(r) > maxFilenameRunes {
		ext := ""
		if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 10 {
			ext = name[i:]
		}
		keep := maxFilenameRunes - utf8.RuneCountInString(ext)
		name = strings.TrimRight(string(r[:keep]), " .") + ext
	}
	return name
}

// asciiFilename replaces what a quoted filename= cannot carry safely.
func asciiFilename(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
}

// rfc8187Encode percent-encodes everything but RFC 8187's attr-char.
func rfc8187Encode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// etagMatches reports whether an If-None-Match header names the file's
// strong ETag (weak comparison, as RFC 9110 wants for If-None-Match).
func etagMatches(header, sha256hex string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == `"`+sha256hex+`"` {
			return true
		}
	}
	return false
}
