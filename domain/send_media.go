package domain

import (
	"context"
	"io"
	"net/url"
	"strings"
)

// MediaInput is an image, audio, video, document or sticker to send: a
// file uploaded beforehand (UploadID, see UploadMedia) or a public https
// link Meta fetches itself. Type may be left empty for an upload, which is
// then sent as what it is (an image as an image...).
type MediaInput struct {
	Type     MessageType
	UploadID string
	Link     string
	Caption  string // images, videos and documents
	Filename string // documents; defaults to the upload's name
}

// Limits on media message fields (Meta: captions ≤1024 characters).
const (
	MaxCaptionLength  = 1024
	MaxFilenameLength = 240
	maxLinkLength     = 2048
)

func isMediaType(t MessageType) bool {
	_, ok := mediaMaxBytes[t]
	return ok
}

// mediaDraft validates a media message's own fields; the upload it names
// is attached later (attachUpload).
func mediaDraft(in *MediaInput) (*Message, error) {
	if in.Type != "" && !isMediaType(in.Type) {
		return nil, FieldError("media.type", "type must be image, audio, video, document or sticker")
	}
	md, err := mediaRef("media", in.Type, in.UploadID, in.Link, in.Filename)
	if err != nil {
		return nil, err
	}
	if in.Caption != "" {
		if in.Type == MessageAudio || in.Type == MessageSticker {
			return nil, FieldError("media.caption", "%s messages take no caption", in.Type)
		}
		if runes(in.Caption) > MaxCaptionLength {
			return nil, FieldError("media.caption", "caption must have at most %d characters", MaxCaptionLength)
		}
	}
	md.Caption = in.Caption
	return &Message{Type: in.Type, Media: md, Text: mediaText(md)}, nil
}

// mediaRef checks the file part shared by media messages and template
// headers: exactly one of an upload id or an https link, and a filename
// for documents only.
func mediaRef(field string, t MessageType, uploadID, link, filename string) (*Media, error) {
	if (uploadID == "") == (link == "") {
		return nil, FieldError(field, "set exactly one of upload_id (a file uploaded with POST /v1/media) or link")
	}
	if link != "" {
		if t == "" {
			return nil, FieldError(field+".type", "type is required when sending by link")
		}
		u, err := url.Parse(link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(link) > maxLinkLength {
			return nil, FieldError(field+".link", "link must be an absolute http(s) URL of at most %d characters", maxLinkLength)
		}
	}
	if uploadID != "" && !ValidID(PrefixMediaFile, uploadID) {
		return nil, FieldError(field+".upload_id", "no upload %s", uploadID)
	}
	if filename != "" {
		if t != "" && t != MessageDocument {
			return nil, FieldError(field+".filename", "only documents take a filename")
		}
		if runes(filename) > MaxFilenameLength || strings.ContainsAny(filename, "\x00\r\n/\\") {
			return nil, FieldError(field+".filename", "filename must have at most %d characters and no path", MaxFilenameLength)
		}
	}
	return &Media{UploadID: uploadID, Link: link, Filename: filename, State: MediaReady}, nil
}

// attachUpload points the draft's media at a stored file of the workspace:
// the type defaults to the file's kind, which must fit (any file may go as
// a document).
func (s *Service) attachUpload(ctx context.Context, draft *Message, field string) error {
	md := draft.Media
	f, err := s.store.FindMediaFile(ctx, md.UploadID)
	if ErrorCode(err) == CodeNotFound {
		return FieldError(field+".upload_id", "no upload %s", md.UploadID)
	}
	if err != nil {
		return err
	}
	kind := UploadKind(f.MimeType)
	want := draft.Type
	if want == MessageTemplate {
		want = MessageType(draft.Template.Header.Type)
	}
	if want == "" {
		if kind == "" {
			return FieldError(field+".upload_id", "upload %s (%s) cannot be sent as media", f.ID, f.MimeType)
		}
		want, draft.Type = kind, kind
	}
	if want != kind && want != MessageDocument {
		return FieldError(field+".upload_id", "upload %s is %s, which cannot be sent as %s; send it as %s or a document", f.ID, f.MimeType, withArticle(string(want)), withArticle(string(kind)))
	}
	if f.Size > MaxMediaBytes(want) {
		return FieldError(field+".upload_id", "upload %s has %d bytes; WhatsApp takes at most %d for %s", f.ID, f.Size, MaxMediaBytes(want), want)
	}
	if want == MessageDocument && md.Filename == "" {
		md.Filename = f.Filename
	}
	if (want == MessageAudio || want == MessageSticker) && md.Caption != "" {
		return FieldError(field+".caption", "%s messages take no caption", want)
	}
	if want != MessageDocument && md.Filename != "" {
		return FieldError(field+".filename", "only documents take a filename")
	}
	md.MimeType, md.Size, md.SHA256 = f.MimeType, f.Size, f.SHA256
	if draft.Type != MessageTemplate {
		draft.Text = mediaText(md)
	}
	// Every kind keeps the upload's name, for the inbox to show: only a
	// document sends it to WhatsApp (and its inbox line is the name), an
	// image's line stays its caption, as for inbound ones.
	if md.Filename == "" {
		md.Filename = f.Filename
	}
	return nil
}

// mediaText is the inbox line of a media message, as for inbound ones.
func mediaText(md *Media) string {
	if md.Caption != "" {
		return md.Caption
	}
	return md.Filename
}

// OpenOutboundMedia opens the uploaded file an outbound message (or its
// template header) sends, for the send worker to upload to Meta. The
// caller closes the reader. System only.
// Errors: forbidden, not_found, precondition_failed (no blob store).
func (s *Service) OpenOutboundMedia(ctx context.Context, messageID string) (*MediaFile, io.ReadCloser, error) {
	if err := systemOnly(ctx, "only the send worker reads outbound media"); err != nil {
		return nil, nil, err
	}
	m, err := s.store.FindMessage(ctx, messageID)
	if err != nil {
		return nil, nil, err
	}
	if m.Direction != DirectionOutbound || m.Media == nil || m.Media.UploadID == "" {
		return nil, nil, NotFound("media")
	}
	f, err := s.store.FindMediaFile(ctx, m.Media.UploadID)
	if err != nil {
		return nil, nil, err
	}
	if s.opts.Blobs == nil {
		return nil, nil, Errorf(CodePreconditionFailed, "media storage is not configured")
	}
	rc, err := s.opts.Blobs.Open(ctx, f.BlobKey())
	if err != nil {
		return nil, nil, err
	}
	return f, rc, nil
}

// RecordMediaUploaded keeps the media id Meta gave an outbound message's
// file, so a retried send uses it instead of uploading again. A message
// that already has one keeps it. System only.
func (s *Service) RecordMediaUploaded(ctx context.Context, messageID, providerMediaID string) error {
	if err := systemOnly(ctx, "only the send worker records uploads"); err != nil {
		return err
	}
	if providerMediaID == "" {
		return FieldError("provider_media_id", "provider_media_id is required")
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		if m.Media == nil || m.Media.ProviderID != "" {
			return nil
		}
		m.Media.ProviderID, m.UpdatedAt = providerMediaID, s.now()
		return s.store.UpdateMessageContent(ctx, m)
	})
}
