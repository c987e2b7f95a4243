package domain

import "unicode"

// ReactionInput reacts to one of the conversation's messages (our msg_ id)
// with an emoji; an empty Emoji removes our earlier reaction. The message
// must have reached WhatsApp, and reactions, being free-form, need the
// 24-hour window open.
type ReactionInput struct {
	MessageID string
	Emoji     string
}

// maxEmojiRunes fits the longest emoji sequences (ZWJ families with skin
// tones) while keeping text out.
const maxEmojiRunes = 16

func reactionDraft(in *ReactionInput) (*Message, error) {
	if in.MessageID == "" {
		return nil, FieldError("reaction.message_id", "reaction.message_id is required")
	}
	if !isEmoji(in.Emoji) {
		return nil, FieldError("reaction.emoji", "emoji must be a single emoji, or empty to remove the reaction")
	}
	return &Message{Type: MessageReaction, Text: in.Emoji, Reaction: &Reaction{Emoji: in.Emoji}}, nil
}

// isEmoji accepts "" and one emoji: symbols (So) joined by zero-width
// joiners, with skin tones, variation selectors and keycap marks, or a
// flag's two regional indicators. Words, punctuation and several emoji in
// a row are refused: WhatsApp reacts with one emoji.
func isEmoji(s string) bool {
	if s == "" {
		return true
	}
	if runes(s) > maxEmojiRunes {
		return false
	}
	symbols, flags, joiners, keycap := 0, 0, 0, false
	for _, r := range s {
		switch {
		case r >= 0x1F1E6 && r <= 0x1F1FF: // regional indicators pair into flags
			flags++
		case unicode.Is(unicode.So, r):
			symbols++
		case r == 0x200D:
			joiners++
		case r == 0x20E3:
			keycap = true
		case unicode.Is(unicode.Sk, r) && r > 0x7f, unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
		case r == '#' || r == '*' || (r >= '0' && r <= '9'): // keycap bases: #️⃣ 1️⃣
		default:
			return false
		}
	}
	switch {
	case flags > 0:
		return flags == 2 && symbols == 0
	case keycap:
		return symbols == 0
	}
	return symbols >= 1 && symbols <= joiners+1
}
