package main

import (
	"crypto/sha256"
	"encoding/base64"
)

// simulatedMediaMessage renders the n-th message as Meta would when its
// type (types in turn) is a media type; nil when it is a text.
func simulatedMediaMessage(types []string, n int, from, id, timestamp string) map[string]any {
	if len(types) == 0 {
		return nil
	}
	sample, ok := demoSampleFor(types[n%len(types)])
	if !ok {
		return nil
	}
	data := sample.Data()
	sum := sha256.Sum256(data)
	media := map[string]any{"id": sample.MediaID, "mime_type": sample.MimeType,
		"sha256": base64.StdEncoding.EncodeToString(sum[:])}
	if sample.Caption != "" && sample.Kind != "audio" {
		media["caption"] = sample.Caption
	}
	if sample.Filename != "" {
		media["filename"] = sample.Filename
	}
	if sample.Voice {
		media["voice"] = true
	}
	return map[string]any{"from": from, "id": id, "timestamp": timestamp, "type": sample.Kind, sample.Kind: media}
}
