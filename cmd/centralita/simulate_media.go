package main

import (
	"crypto/sha256"
	"encoding/base64"
)

// simulatedMediaMessage renders a media message naming the demo's sample
// of its type, as Meta does before the file is fetched: id, mime_type and
// sha256 (base64), with caption, filename, voice or animated by type. It
// is nil for a type without a sample.
func simulatedMediaMessage(m simulatedMessage) map[string]any {
	sample, ok := demoSampleFor(m.kind)
	if !ok {
		return nil
	}
	sum := sha256.Sum256(sample.Data())
	media := map[string]any{"id": sample.MediaID, "mime_type": sample.MimeType,
		"sha256": base64.StdEncoding.EncodeToString(sum[:])}
	if sample.Caption != "" {
		media["caption"] = sample.Caption
	}
	if sample.Filename != "" {
		media["filename"] = sample.Filename
	}
	if sample.Voice {
		media["voice"] = true
	}
	if sample.Kind == "sticker" {
		media["animated"] = false
	}
	return map[string]any{"from": m.from, "id": m.id, "timestamp": m.timestamp, "type": sample.Kind, sample.Kind: media}
}
