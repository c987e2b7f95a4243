package persistence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/centralita/centralita/domain"
)

// LocalBlobs is the default domain.BlobStore: files in a local directory,
// one per key. Writes go to a temporary file that is synced and renamed
// into place, so a crash never leaves a half-written file under a key.
type LocalBlobs struct{ dir string }

// NewLocalBlobs uses (and creates) dir.
func NewLocalBlobs(dir string) (*LocalBlobs, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("persistence: blob directory: %w", err)
	}
	return &LocalBlobs{dir: dir}, nil
}

var _ domain.BlobStore = (*LocalBlobs)(nil)

// path maps a key ("ws_…/med_…") into the directory. Keys are made by the
// domain from ids, so only plain names are accepted: every "/"-separated
// segment is letters, digits, "_" or "-". Nothing can climb out of the
// directory ("..", absolute paths, backslashes, drive letters).
func (b *LocalBlobs) path(key string) (string, error) {
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || strings.IndexFunc(seg, notKeyRune) >= 0 {
			return "", fmt.Errorf("persistence: bad blob key %q", key)
		}
	}
	return filepath.Join(b.dir, filepath.FromSlash(key)), nil
}

func notKeyRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
}

// Put implements domain.BlobStore.
func (b *LocalBlobs) Put(ctx context.Context, key string, r io.Reader, maxBytes int64) (int64, string, error) {
	dst, err := b.path(key)
	if err != nil {
		return 0, "", err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return 0, "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		return 0, "", err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, maxBytes+1))
	if err == nil && n > maxBytes {
		err = domain.ErrBlobTooLarge
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err == nil {
		err = syncDir(filepath.Dir(dst)) // the rename itself survives a power loss
	}
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open implements domain.BlobStore.
func (b *LocalBlobs) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := b.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, domain.NotFound("file")
	}
	return f, err
}

// Delete implements domain.BlobStore; deleting a missing key is not an error.
func (b *LocalBlobs) Delete(_ context.Context, key string) error {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// ctxReader stops a long copy when the request or job is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
