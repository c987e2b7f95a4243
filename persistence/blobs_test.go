package persistence_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/persistence"
)

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	}))
	return out
}

func TestLocalBlobsRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "media")
	b, err := persistence.NewLocalBlobs(dir)
	require.NoError(t, err)
	ctx := context.Background()
	data := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 1000)

	size, sum, err := b.Put(ctx, "ws_1/med_1", bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err, "exactly the limit is allowed")
	want := sha256.Sum256(data)
	require.Equal(t, int64(len(data)), size)
	require.Equal(t, hex.EncodeToString(want[:]), sum)
	require.Equal(t, []string{"ws_1/med_1"}, files(t, dir), "no temporary file is left beside it")

	rc, err := b.Open(ctx, "ws_1/med_1")
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	require.Equal(t, data, got)

	require.NoError(t, b.Delete(ctx, "ws_1/med_1"))
	_, err = b.Open(ctx, "ws_1/med_1")
	require.Equal(t, domain.CodeNotFound, domain.ErrorCode(err))
	require.NoError(t, b.Delete(ctx, "ws_1/med_1"), "deleting twice is fine")
	require.Empty(t, files(t, dir))
}

func TestLocalBlobsRefusesTooLargeAndLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	b, err := persistence.NewLocalBlobs(dir)
	require.NoError(t, err)
	_, _, err = b.Put(context.Background(), "ws_1/med_big", bytes.NewReader(make([]byte, 1025)), 1024)
	require.ErrorIs(t, err, domain.ErrBlobTooLarge)
	require.Empty(t, files(t, dir))
}

// A reader that fails half-way (a dropped download) stores nothing.
func TestLocalBlobsFailedReadLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	b, err := persistence.NewLocalBlobs(dir)
	require.NoError(t, err)
	broken := io.MultiReader(strings.NewReader("half a file"), errReader{errors.New("connection reset")})
	_, _, err = b.Put(context.Background(), "ws_1/med_1", broken, 1<<20)
	require.ErrorContains(t, err, "connection reset")
	require.Empty(t, files(t, dir))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = b.Put(ctx, "ws_1/med_2", strings.NewReader("data"), 1<<20)
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, files(t, dir))
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Keys that could reach outside the directory are refused by every method,
// and nothing is written anywhere.
func TestLocalBlobsRefusesKeysOutsideTheDirectory(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "media")
	b, err := persistence.NewLocalBlobs(dir)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, os.WriteFile(filepath.Join(root, "secret"), []byte("top secret"), 0o600))
	for _, key := range []string{"", "../secret", "ws_1/../../secret", "/etc/passwd", `ws_1\..\..\secret`,
		"C:secret", "ws_1//med_1", "ws_1/", ".", "ws_1/./med_1", "ws_1/med 1", "ws_1/med_1\x00"} {
		_, _, err := b.Put(ctx, key, strings.NewReader("x"), 10)
		require.Error(t, err, "put %q", key)
		_, err = b.Open(ctx, key)
		require.Error(t, err, "open %q", key)
		require.NotEqual(t, domain.CodeNotFound, domain.ErrorCode(err), "open %q is refused, not looked up", key)
		require.Error(t, b.Delete(ctx, key), "delete %q", key)
	}
	require.Empty(t, files(t, dir))
	secret, err := os.ReadFile(filepath.Join(root, "secret"))
	require.NoError(t, err)
	require.Equal(t, "top secret", string(secret))
}
