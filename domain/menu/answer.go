package menu

import (
	"strconv"
	"strings"
)

// Choice is an option picked from a customer's words, and how it was
// recognised ("number", "number_word", "title" or "keyword"), for the
// routing record.
type Choice struct {
	Index  int // 0-based position in the menu
	Option Option
	By     string
}

// Read understands a customer's typed answer to a numbered menu whose
// options are listed in order (1, 2, 3…): "2", "2)", "opción 2", "la 2",
// "dos", "segunda", the option's title in any case and without accents,
// or a sentence with the option's keywords ("quiero pagar mi factura").
// A sentence whose keywords point to more than one option, or to none, is
// not understood: the bot asks again rather than guessing.
func Read(text string, options []Option) (Choice, bool) {
	words := strings.Fields(Normalize(text))
	if len(words) == 0 || len(options) == 0 {
		return Choice{}, false
	}
	if n, by, ok := number(words); ok {
		if n < 1 || n > len(options) {
			return Choice{}, false
		}
		return Choice{Index: n - 1, Option: options[n-1], By: by}, true
	}
	key := strings.Join(words, " ")
	for i, o := range options {
		if title := Normalize(o.Title); title != "" && (key == title || stripPrefix(key) == title) {
			return Choice{Index: i, Option: o, By: "title"}, true
		}
	}
	return byKeywords(" "+key+" ", options)
}

// fillers may stand around the number of an answer: "opción 2", "la 2",
// "el número 2", "option 2", "opção 2".
var fillers = map[string]bool{"opcion": true, "opciones": true, "option": true, "opcao": true, "la": true,
	"el": true, "a": true, "o": true, "numero": true, "nro": true, "no": true, "n": true, "num": true,
	"quiero": true, "escojo": true, "elijo": true, "por": true, "favor": true, "porfa": true, "gracias": true}

// numberWords are the numbers a customer may spell out (Spanish,
// Portuguese, English), cardinal and ordinal.
var numberWords = map[string]int{
	"uno": 1, "una": 1, "primera": 1, "primero": 1, "um": 1, "one": 1, "first": 1,
	"dos": 2, "segunda": 2, "segundo": 2, "dois": 2, "duas": 2, "two": 2, "second": 2,
	"tres": 3, "tercera": 3, "tercero": 3, "terceira": 3, "three": 3, "third": 3,
	"cuatro": 4, "cuarta": 4, "cuarto": 4, "quatro": 4, "four": 4,
	"cinco": 5, "quinta": 5, "quinto": 5, "five": 5,
	"seis": 6, "sexta": 6, "sexto": 6, "six": 6,
	"siete": 7, "septima": 7, "sete": 7, "seven": 7,
	"ocho": 8, "octava": 8, "oito": 8, "eight": 8,
	"nueve": 9, "novena": 9, "nove": 9, "nine": 9,
	"diez": 10, "decima": 10, "dez": 10, "ten": 10,
}

// number finds an answer that is only a number, spelled or in digits,
// among fillers. Normalize already dropped ")", "." and "#".
func number(words []string) (int, string, bool) {
	n, by := 0, ""
	for _, w := range words {
		if fillers[w] {
			continue
		}
		v, err := strconv.Atoi(w)
		kind := "number"
		if err != nil {
			var ok bool
			if v, ok = numberWords[w]; !ok {
				return 0, "", false // a real word: not a bare number
			}
			kind = "number_word"
		}
		if by != "" {
			return 0, "", false // two numbers: unclear
		}
		n, by = v, kind
	}
	return n, by, by != ""
}

// stripPrefix drops a leading article so "el soporte" can match "Soporte".
func stripPrefix(s string) string {
	for _, p := range []string{"el ", "la ", "los ", "las ", "o ", "a "} {
		if strings.HasPrefix(s, p) {
			return s[len(p):]
		}
	}
	return s
}

// byKeywords picks the one option with the most keywords in the padded
// sentence (whole words or phrases); a tie or no match is not understood.
func byKeywords(padded string, options []Option) (Choice, bool) {
	best, bestHits, tie := -1, 0, false
	for i, o := range options {
		hits := 0
		for _, k := range o.Keywords {
			if k = Normalize(k); k != "" && strings.Contains(padded, " "+k+" ") {
				hits++
			}
		}
		switch {
		case hits > bestHits:
			best, bestHits, tie = i, hits, false
		case hits == bestHits && hits > 0:
			tie = true
		}
	}
	if best < 0 || tie {
		return Choice{}, false
	}
	return Choice{Index: best, Option: options[best], By: "keyword"}, true
}
