package main

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// simulatedTypes are the message types `simulate --types` can send. Media
// messages name the demo's sample media ids (demo_media.go), which the
// demo's fake Graph API serves; against another server their download
// fails, as it would for an unknown id at Meta.
var simulatedTypes = []string{"text", "image", "document", "audio"}

func parseSimulatedTypes(list string) ([]string, error) {
	var types []string
	for _, t := range strings.Split(list, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		if !slices.Contains(simulatedTypes, t) {
			return nil, fmt.Errorf("simulate: unknown --types entry %q (use %s)", t, strings.Join(simulatedTypes, ", "))
		}
		types = append(types, t)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("simulate: --types needs at least one of %s", strings.Join(simulatedTypes, ", "))
	}
	return types, nil
}

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
