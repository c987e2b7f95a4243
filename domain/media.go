package domain

import (
	"context"
	"errors"
	"io"
	"time"
)

// BlobStore keeps file bytes outside the database (a local directory by
// default). Keys are chosen by the domain and never come from callers.
type BlobStore interface {
	// Put stores r under key, refusing more than maxBytes with
	// ErrBlobTooLarge, and reports the size and hex SHA-256 of what it kept.
	// A failed Put leaves nothing behind.
	Put(ctx context.Context, key string, r io.Reader, maxBytes int64) (size int64, sha256hex string, err error)
	// Open returns the bytes under key; not_found when there are none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// ErrBlobTooLarge is returned by BlobStore.Put past its size limit.
var ErrBlobTooLarge = errors.New("file larger than allowed")

// MediaFile is a file we keep: an agent's upload to send, or an inbound
// message's media once downloaded.
type MediaFile struct {
	ID          string
	WorkspaceID string
	MimeType    string
	Filename    string
	Size        int64
	SHA256      string // hex
	CreatedByID string // user or API key; empty for downloads
	CreatedAt   time.Time
}

// BlobKey is where the file's bytes live in the BlobStore.
func (f *MediaFile) BlobKey() string { return f.WorkspaceID + "/" + f.ID }

// MediaStore persists media file records and media state changes.
type MediaStore interface {
	CreateMediaFile(ctx context.Context, f *MediaFile) error
	FindMediaFile(ctx context.Context, id string) (*MediaFile, error)
	// UpdateMessageContent saves a message's structured content (media
	// state, upload id) after LockMessage.
	UpdateMessageContent(ctx context.Context, m *Message) error
}

// storeFile writes r to the blob store and records it. The record is made
// only after the bytes are safely stored, and the bytes are removed again
// when the record cannot be written, so neither outlives the other.
func (s *Service) storeFile(ctx context.Context, r io.Reader, maxBytes int64, mimeType, filename, createdBy string) (*MediaFile, error) {
	if s.opts.Blobs == nil {
		return nil, Errorf(CodePreconditionFailed, "media storage is not configured")
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	f := &MediaFile{ID: NewID(PrefixMediaFile), WorkspaceID: p.WorkspaceID, MimeType: mimeType,
		Filename: filename, CreatedByID: createdBy, CreatedAt: s.now()}
	f.Size, f.SHA256, err = s.opts.Blobs.Put(ctx, f.BlobKey(), r, maxBytes)
	if errors.Is(err, ErrBlobTooLarge) {
		return nil, FieldError("file", "the file is larger than %d bytes", maxBytes)
	}
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateMediaFile(ctx, f); err != nil {
		_ = s.opts.Blobs.Delete(context.WithoutCancel(ctx), f.BlobKey())
		return nil, err
	}
	return f, nil
}
