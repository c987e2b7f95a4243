package domain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MediaRetryAfterSeconds is how long a caller is told to wait for media
// that is still downloading.
const MediaRetryAfterSeconds = 5

// maxMediaErrorLength bounds the failure reason kept on a message.
const maxMediaErrorLength = 500

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
// Errors: forbidden, not_found (no such message), precondition_failed
// (nothing could ever download it: no storage, no number, no token).
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
	if s.opts.Blobs == nil {
		return nil, Errorf(CodePreconditionFailed, "media storage is not configured")
	}
	ch, err := s.Channel(ctx, m.ChannelID)
	if ErrorCode(err) == CodeNotFound {
		return nil, Errorf(CodePreconditionFailed, "the number that received the file no longer exists")
	}
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
// The bytes go to the blob store first; the file record and the message
// change commit together, and the bytes are removed again when they do not
// (another run won, or the write failed), so no file is kept twice and no
// record points at nothing. A file over the type's limit fails the media.
// A message whose media is no longer pending is left as is. System only.
func (s *Service) StoreInboundMedia(ctx context.Context, messageID string, r io.Reader, mimeType string) error {
	if err := systemOnly(ctx, "only the media job stores media"); err != nil {
		return err
	}
	if s.opts.Blobs == nil {
		return Errorf(CodePreconditionFailed, "media storage is not configured")
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
	f := &MediaFile{ID: NewID(PrefixMediaFile), WorkspaceID: m.WorkspaceID, MimeType: baseMIME(mimeType),
		Filename: m.Media.Filename, CreatedAt: s.now()}
	limit := MaxMediaBytes(m.Type)
	f.Size, f.SHA256, err = s.opts.Blobs.Put(ctx, f.BlobKey(), r, limit)
	if errors.Is(err, ErrBlobTooLarge) {
		return s.FailInboundMedia(ctx, messageID, fmt.Sprintf("the file is larger than the %d bytes WhatsApp allows for %s", limit, withArticle(string(m.Type))))
	}
	if err != nil {
		return err
	}
	stored := false
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.LockMessage(ctx, messageID)
		if err != nil {
			return err
		}
		if m.Media == nil || m.Media.State != MediaPending {
			return nil
		}
		if err := s.store.CreateMediaFile(ctx, f); err != nil {
			return err
		}
		md := m.Media
		md.State, md.UploadID, md.Size, md.SHA256, md.MimeType, md.Error = MediaReady, f.ID, f.Size, f.SHA256, f.MimeType, ""
		m.UpdatedAt = s.now()
		if err := s.store.UpdateMessageContent(ctx, m); err != nil {
			return err
		}
		stored = true
		return s.record(ctx, EventMessageMediaReady, m.ID, map[string]any{"message_id": m.ID,
			"conversation_id": m.ConversationID})
	})
	if err != nil || !stored {
		_ = s.opts.Blobs.Delete(context.WithoutCancel(ctx), f.BlobKey())
	}
	return err
}

// FailInboundMedia gives up on a message's media with a readable reason;
// the message itself stays. Media that is no longer pending is left as is.
// System only.
func (s *Service) FailInboundMedia(ctx context.Context, messageID, reason string) error {
	if err := systemOnly(ctx, "only the media job fails media"); err != nil {
		return err
	}
	reason = strings.ToValidUTF8(strings.TrimSpace(reason), "")
	if r := []rune(reason); len(r) > maxMediaErrorLength {
		reason = string(r[:maxMediaErrorLength])
	}
	if reason == "" {
		reason = "the file could not be downloaded"
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.LockMessage(ctx, messageID)
		if ErrorCode(err) == CodeNotFound {
			return nil // the message is gone: nothing to mark
		}
		if err != nil {
			return err
		}
		if m.Media == nil || m.Media.State != MediaPending {
			return nil
		}
		m.Media.State, m.Media.Error, m.UpdatedAt = MediaFailed, reason, s.now()
		if err := s.store.UpdateMessageContent(ctx, m); err != nil {
			return err
		}
		return s.record(ctx, EventMessageMediaFailed, m.ID, map[string]any{"message_id": m.ID,
			"conversation_id": m.ConversationID, "error": reason})
	})
}

// MessageMedia opens the stored file of a message the caller may see; the
// caller closes the reader. A message of another workspace, or in a
// conversation the caller may not see, is not found like an unknown id.
// Errors: not_found (no such message, or it has no stored file),
// precondition_failed (still downloading: RetryAfterSeconds is set; or the
// download failed, with the reason).
func (s *Service) MessageMedia(ctx context.Context, messageID string) (*MediaFile, io.ReadCloser, error) {
	m, err := s.Message(ctx, messageID)
	if err != nil {
		return nil, nil, err
	}
	if m.Media == nil {
		return nil, nil, NotFound("media")
	}
	switch m.Media.State {
	case MediaPending:
		return nil, nil, &Error{Code: CodePreconditionFailed, RetryAfterSeconds: MediaRetryAfterSeconds,
			Message: "the media is still being downloaded; try again shortly"}
	case MediaFailed:
		return nil, nil, Errorf(CodePreconditionFailed, "the media could not be downloaded: %s", m.Media.Error)
	}
	if m.Media.UploadID == "" {
		return nil, nil, NotFound("media") // sent by link: Meta fetched it, we keep no copy
	}
	if s.opts.Blobs == nil {
		return nil, nil, Errorf(CodePreconditionFailed, "media storage is not configured")
	}
	f, err := s.store.FindMediaFile(ctx, m.Media.UploadID)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.opts.Blobs.Open(ctx, f.BlobKey())
	if ErrorCode(err) == CodeNotFound {
		// A record without its bytes is lost data, not a caller mistake.
		return nil, nil, fmt.Errorf("domain: media file %s of message %s is missing from the blob store", f.ID, m.ID)
	}
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
