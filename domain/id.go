package domain

import (
	"encoding/base32"
	"strings"

	"github.com/google/uuid"
)

// ID prefixes. Ids are opaque strings "<prefix>_<26 chars>" over UUIDv7, so
// they sort by creation time and are identical in REST, GraphQL and webhooks.
const (
	PrefixPartner       = "ptn"
	PrefixWorkspace     = "ws"
	PrefixUser          = "usr"
	PrefixQueue         = "que"
	PrefixTag           = "tag"
	PrefixChannel       = "chn"
	PrefixContact       = "ctc"
	PrefixConversation  = "conv"
	PrefixMessage       = "msg"
	PrefixNote          = "note"
	PrefixTask          = "task"
	PrefixAPIKey        = "key"
	PrefixSession       = "ses"
	PrefixEvent         = "evt"
	PrefixMediaFile     = "med"
	PrefixBusinessHours = "bhr"
)

// Crockford-style lower-case alphabet in ASCII order, so that string order
// equals byte order of the underlying UUIDv7 (time order).
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

const idBodyLen = 26

// NewID returns a new time-ordered id with the given type prefix.
func NewID(prefix string) string {
	u := uuid.Must(uuid.NewV7())
	return prefix + "_" + idEncoding.EncodeToString(u[:])
}

// IDPrefix returns the type prefix of id, or "" when id is not well formed.
func IDPrefix(id string) string {
	prefix, body, ok := strings.Cut(id, "_")
	if !ok || len(body) != idBodyLen {
		return ""
	}
	if _, err := idEncoding.DecodeString(body); err != nil {
		return ""
	}
	return prefix
}

// ValidID reports whether id is a well-formed id of the given type.
func ValidID(prefix, id string) bool {
	return IDPrefix(id) == prefix
}
