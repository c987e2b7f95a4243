package domain

import "strings"

// Words whose first letter misleads: a vowel sounding like "you" or "w",
// or a silent h.
var (
	consonantSoundPrefixes = []string{"one", "once", "uni", "use", "usu", "uti", "ura", "ure", "euro", "eu", "ewe"}
	vowelSoundPrefixes     = []string{"hour", "honest", "honor", "honour", "heir"}
)

// withArticle puts "a" or "an" before a word, by how it sounds: "an open
// conversation", "a new one", "an image", "a user", "an hour". Messages
// built from a status or type name use it so any name reads right.
func withArticle(word string) string {
	lower := strings.ToLower(word)
	for _, p := range vowelSoundPrefixes {
		if strings.HasPrefix(lower, p) {
			return "an " + word
		}
	}
	for _, p := range consonantSoundPrefixes {
		if strings.HasPrefix(lower, p) {
			return "a " + word
		}
	}
	if lower != "" && strings.ContainsRune("aeiou", rune(lower[0])) {
		return "an " + word
	}
	return "a " + word
}
