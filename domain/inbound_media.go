package domain

import (
	"context"
	"io"
	"strings"
)

// Meta's size limits per media type (whatsapp-cloud-api.md §7); a larger
// inbound file is refused rather than stored.
var mediaMaxBytes = map[MessageType]int64{
	MessageImage:    5 << 20,
	MessageAudio:    16 << 20,
	MessageVideo:    16 << 20,
	MessageDocument: 100 << 20,
	MessageSticker:  500 << 10,
}

// MaxMediaBytes is the largest file a message of type t may carry.
func MaxMediaBytes(t MessageType) int64 {
	if n, ok := mediaMaxBytes[t]; ok {
		return n
	}
	return 100 << 20
}

// MediaDownload is what the download job needs for one inbound message.
type MediaDownload struct {
	Message     *Message
	Channel     *Channel
	AccessToken string
	MaxBytes    int64
}

// PrepareMediaDownload loads an inbound message whose media is pending. It
// returns nil when there is nothing left to do, so a job that runs twice
// downloads once. System only.
// Errors: forbidden, not_found, precondition_failed (no access token).
func (s *Service) PrepareMediaDownload(ctx context.Context, messageID string) (*MediaDownload, error) {
	if err := systemOnly(ctx, "only the media job downloads media"); err != nil {
		return nil, err
	}
	m, err := s.store.FindMessage(ctx, messageID)
	if err != nil {
		return nil, err
	}
	if m.Media == nil || m.Media.State != MediaPending || m.Media.ProviderID == "" {
		return nil, nil
	}
	ch, err := s.Channel(ctx, m.ChannelID)
	if err != nil {
		return nil, err
	}
	token, _, err := s.ChannelCredentials(ctx, ch)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, Errorf(CodePreconditionFailed, "the number has no access token")
	}
	return &MediaDownload{Message: m, Channel: ch, AccessToken: token, MaxBytes: MaxMediaBytes(m.Type)}, nil
}

// StoreInboundMedia keeps a downloaded file and marks the message's media
// ready. mimeType is what the download said; the webhook's wins when set.
// A message whose media is no longer pending is left as is (the file is
// not kept twice). System only.
func (s *Service) StoreInboundMedia(ctx context.Context, messageID string, r io.Reader, mimeType string) error {
	if err := systemOnly(ctx, "only the media job stores media"); err != nil {
		return err
	}
	m, err := s.store.FindMessage(ctx, messageID)
	if err != nil {
		return err
	}
	if m.Media == nil || m.Media.State != MediaPending {
		return nil
	}
	if m.Media.MimeType != "" {
		mimeType = m.Media.MimeType
	}
	mimeType = baseMIME(mimeType)
	f, err := s.storeFile(ctx, r, MaxMediaBytes(m.Type), mimeType, m.Media.Filename, "")
	if ErrorCode(err) == CodeInvalid {
		return s.FailInboundMedia(ctx, messageID, ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	kept := false
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		if m.Media == nil || m.Media.State != MediaPending {
			return nil
		}
		md := m.Media
		md.State, md.UploadID, md.Size, md.SHA256, md.MimeType, md.Error = MediaReady, f.ID, f.Size, f.SHA256, f.MimeType, ""
		m.UpdatedAt = s.now()
		if err := s.store.UpdateMessageContent(ctx, m); err != nil {
			return err
		}
		kept = true
		return s.record(ctx, "message.media_ready", m.ID, map[string]any{"message_id": m.ID,
			"conversation_id": m.ConversationID})
	})
	if !kept {
		// Another run won, or the write failed: the bytes are not referenced.
		_ = s.opts.Blobs.Delete(context.WithoutCancel(ctx), f.BlobKey())
	}
	return err
}

// FailInboundMedia gives up on a message's media with a readable reason;
// the message itself stays. System only.
func (s *Service) FailInboundMedia(ctx context.Context, messageID, reason string) error {
	if err := systemOnly(ctx, "only the media job fails media"); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		if m.Media == nil || m.Media.State != MediaPending {
			return nil
		}
		m.Media.State, m.Media.Error, m.UpdatedAt = MediaFailed, reason, s.now()
		return s.store.UpdateMessageContent(ctx, m)
	})
}

// MessageMedia opens a ready media file of a message the caller may see.
// Errors: not_found (no such message, or no media), precondition_failed
// (still downloading, or the download failed).
func (s *Service) MessageMedia(ctx context.Context, messageID string) (*MediaFile, io.ReadCloser, error) {
	m, err := s.Message(ctx, messageID)
	if err != nil {
		return nil, nil, err
	}
	if m.Media == nil || (m.Media.UploadID == "" && m.Media.State == MediaReady) {
		return nil, nil, NotFound("media")
	}
	switch m.Media.State {
	case MediaPending:
		return nil, nil, Errorf(CodePreconditionFailed, "the media is still being downloaded; try again shortly")
	case MediaFailed:
		return nil, nil, Errorf(CodePreconditionFailed, "the media could not be downloaded: %s", m.Media.Error)
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

func systemOnly(ctx context.Context, why string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.System {
		return Errorf(CodeForbidden, "%s", why)
	}
	return nil
}

// baseMIME drops parameters ("audio/ogg; codecs=opus" → "audio/ogg").
func baseMIME(t string) string {
	t, _, _ = strings.Cut(t, ";")
	return strings.ToLower(strings.TrimSpace(t))
}
