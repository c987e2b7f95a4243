package domain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// uploadKinds are the file types WhatsApp accepts (whatsapp-cloud-api.md
// §7) and the message type each is sent as. Any of them may also go as a
// document.
var uploadKinds = map[string]MessageType{
	"image/jpeg":                    MessageImage,
	"image/png":                     MessageImage,
	"image/webp":                    MessageSticker,
	"video/mp4":                     MessageVideo,
	"video/3gpp":                    MessageVideo,
	"audio/aac":                     MessageAudio,
	"audio/amr":                     MessageAudio,
	"audio/mpeg":                    MessageAudio,
	"audio/mp4":                     MessageAudio,
	"audio/ogg":                     MessageAudio,
	"text/plain":                    MessageDocument,
	"application/pdf":               MessageDocument,
	"application/msword":            MessageDocument,
	"application/vnd.ms-excel":      MessageDocument,
	"application/vnd.ms-powerpoint": MessageDocument,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   MessageDocument,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         MessageDocument,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": MessageDocument,
}

// mimeAliases are common misspellings of accepted types.
var mimeAliases = map[string]string{"image/jpg": "image/jpeg", "audio/mp3": "audio/mpeg"}

// UploadKind is the message type a file of mimeType is sent as; "" when
// WhatsApp does not take it.
func UploadKind(mimeType string) MessageType {
	return uploadKinds[normalMIME(mimeType)]
}

func normalMIME(t string) string {
	t = baseMIME(t)
	if alias, ok := mimeAliases[t]; ok {
		return alias
	}
	return t
}

// UploadMedia keeps a file to send later by its id (media messages and
// template headers). mimeType is what the client declared; when it is
// empty or application/octet-stream the content decides. The type must be
// one WhatsApp accepts, the content must not contradict it, and the size
// must be within WhatsApp's limit for its kind (image 5 MB, video and audio
// 16 MB, sticker 500 KB, document 100 MB).
// Errors: invalid (field "file" or "filename"), precondition_failed (no
// media storage).
func (s *Service) UploadMedia(ctx context.Context, r io.Reader, mimeType, filename string) (*MediaFile, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	filename, err = uploadFilename(filename)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if n == 0 {
		return nil, FieldError("file", "the file is empty")
	}
	head = head[:n]
	sniffed := baseMIME(http.DetectContentType(head))
	declared := normalMIME(mimeType)
	if declared == "" || declared == "application/octet-stream" {
		declared = sniffed
	}
	kind := uploadKinds[declared]
	if kind == "" {
		return nil, FieldError("file", "%s files cannot be sent on WhatsApp; declare one of: %s", declared, acceptedTypes())
	}
	if !contentFits(declared, kind, sniffed) {
		return nil, FieldError("file", "the file's content is %s, not the declared %s", sniffed, declared)
	}
	limit := MaxMediaBytes(kind)
	f, err := s.storeFile(ctx, io.MultiReader(bytes.NewReader(head), r), limit, declared, filename, actor(p))
	if e, ok := AsError(err); ok && e.Code == CodeInvalid && e.Field == "file" {
		return nil, FieldError("file", "WhatsApp takes %s files (%s) of at most %s", kind, declared, humanBytes(limit))
	}
	return f, err
}

// contentFits cross-checks the declared type with the sniffed one where
// sniffing is reliable: images and PDFs have unmistakable signatures;
// audio and video often sniff as nothing in particular, so only a
// different recognised family is refused.
func contentFits(declared string, kind MessageType, sniffed string) bool {
	family := func(t string) string { f, _, _ := strings.Cut(t, "/"); return f }
	switch {
	case kind == MessageImage || kind == MessageSticker || declared == "application/pdf":
		return sniffed == declared
	case kind == MessageAudio || kind == MessageVideo:
		return sniffed == "application/octet-stream" || sniffed == "application/ogg" ||
			family(sniffed) == "audio" || family(sniffed) == "video"
	}
	// Office files and text: refuse only what is plainly media.
	f := family(sniffed)
	return f != "image" && f != "audio" && f != "video" && sniffed != "application/pdf"
}

// uploadFilename keeps the last path element of a client's file name.
func uploadFilename(name string) (string, error) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if runes(name) > MaxFilenameLength || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", FieldError("filename", "filename must have at most %d characters and no control characters", MaxFilenameLength)
	}
	return name, nil
}

func acceptedTypes() string {
	out := make([]string, 0, len(uploadKinds))
	for t := range uploadKinds {
		out = append(out, t)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func humanBytes(n int64) string {
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
