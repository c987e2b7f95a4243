// Package menu reads a customer's answer to a menu of queues: a tapped
// button or list row (MatchReply) or typed words (Read). It is pure:
// no state, no storage; the domain service hands it the options and acts on
// what it finds.
package menu

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Option is one destination a menu may offer: a queue, named by its id and
// its title as agents and customers see it.
type Option struct {
	ID    string
	Title string
	// Keywords route a sentence to this option ("pagar", "factura").
	Keywords []string
}

// MatchReply finds the option a tapped reply button or list row names. The
// reply id is what the business put in the interactive message: the queue's
// id, or its title in any case, with or without accents, spaces written as
// spaces, hyphens or underscores ("cobranzas", "soporte-tecnico").
func MatchReply(replyID string, options []Option) (Option, bool) {
	replyID = strings.TrimSpace(replyID)
	if replyID == "" {
		return Option{}, false
	}
	for _, o := range options {
		if o.ID == replyID {
			return o, true
		}
	}
	key := Normalize(replyID)
	if key == "" {
		return Option{}, false
	}
	var found []Option
	for _, o := range options {
		if Normalize(o.Title) == key {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		return Option{}, false // none, or titles that differ only in accents or punctuation: ambiguous
	}
	return found[0], true
}

// Normalize folds a title or an answer to a comparable key: lower case,
// compatibility forms unfolded (full-width letters, ligatures), accents
// removed, and every run of spaces, hyphens, underscores and other
// punctuation turned into one space, trimmed. Titles made only of emoji or
// symbols fold to "" and match nothing.
func Normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent: "é" is "e" plus this
		case unicode.IsMark(r):
			b.WriteRune(r) // a spacing mark is part of its letter (Devanagari vowels)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}
