// Package contactcsv reads and writes contact spreadsheets as people and
// CRMs exchange them: UTF-8 with or without a byte order mark, commas or
// (as Excel writes them in Spanish locales) semicolons, headers in English
// or Spanish. It knows nothing of contacts' rules: it only turns cells
// into named values and back, and keeps cells from being read as
// formulas by the spreadsheet that opens an export.
package contactcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Column is what a header names.
type Column struct {
	// Field is "name", "phone", "email", "wa_id", "external_refs",
	// "custom_attributes", "ref" (Key is the system), "attr" (Key is the
	// attribute), or "" for a column the import ignores.
	Field string
	Key   string
	// Header is the header as written.
	Header string
}

// Row is one data row: its line number in the file (the header is line
// 1, as a spreadsheet shows it) and its cells by column.
type Row struct {
	Line  int
	Cells []string
}

// Sheet is a parsed file.
type Sheet struct {
	Columns   []Column
	Rows      []Row
	Delimiter rune
}

// ErrEmpty is a file with no header row.
var ErrEmpty = errors.New("the file has no header row")

// Parse reads a whole CSV file (the caller bounds its size). A row that
// cannot be read as CSV ends the file there with an error naming its line.
func Parse(data []byte) (*Sheet, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		// Excel's plain "CSV" in Spanish locales is Windows-1252, not UTF-8.
		if decoded, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			data = decoded
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	s := &Sheet{Delimiter: detectDelimiter(data)}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = s.Delimiter, -1, true, false
	header, err := r.Read()
	if err != nil {
		return nil, ErrEmpty
	}
	for _, h := range header {
		s.Columns = append(s.Columns, ColumnFor(Unneutralize(h)))
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return s, nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return s, &LineError{Line: line, Err: err}
		}
		if blank(rec) {
			continue
		}
		for i := range rec {
			rec[i] = Unneutralize(rec[i])
		}
		s.Rows = append(s.Rows, Row{Line: line, Cells: rec})
	}
}

// LineError is a line that is not CSV.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return e.Err.Error() }

// detectDelimiter picks, of semicolon, comma and tab, the one the header
// line uses most outside quotes; comma when none.
func detectDelimiter(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(data) {
		if c == '"' {
			quoted = !quoted
		}
		if !quoted && (c == '\n' || c == '\r') {
			break
		}
		if !quoted && (c == ';' || c == ',' || c == '\t') {
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// aliases maps a folded header to its field.
var aliases = map[string]string{
	"name": "name", "nombre": "name", "nombre completo": "name", "full name": "name", "cliente": "name",
	"phone": "phone", "phone_e164": "phone", "telefono": "phone", "celular": "phone", "movil": "phone",
	"whatsapp": "phone", "numero": "phone", "mobile": "phone",
	"email": "email", "e-mail": "email", "correo": "email", "correo electronico": "email",
	"wa_id":        "wa_id",
	"external_ref": "external_refs", "external_refs": "external_refs",
	"custom_attributes": "custom_attributes",
}

// ColumnFor reads a header: known names in English or Spanish (accents
// and case ignored), "ref.<system>" for a system's ids and "attr.<key>"
// for a custom attribute.
func ColumnFor(header string) Column {
	h := strings.TrimSpace(header)
	col := Column{Header: h}
	if key, ok := cutPrefixFold(h, "attr."); ok && key != "" {
		col.Field, col.Key = "attr", key
		return col
	}
	if system, ok := cutPrefixFold(h, "ref."); ok && system != "" {
		col.Field, col.Key = "ref", strings.ToLower(system)
		return col
	}
	col.Field = aliases[fold(h)]
	return col
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return strings.TrimSpace(s[len(prefix):]), true
	}
	return "", false
}

// fold lower-cases and strips accents: "Teléfono" is "telefono".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP's CSV injection list).
const formulaStarts = "=+-@\t\r"

// Neutralize prefixes a cell a spreadsheet would run as a formula with
// an apostrophe, which shows it as text.
func Neutralize(cell string) string {
	if cell != "" && strings.ContainsRune(formulaStarts, rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// Unneutralize undoes Neutralize on an imported cell, so an export
// imports back as it was ("'+51987654321" is "+51987654321").
func Unneutralize(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && strings.ContainsRune(formulaStarts, rune(cell[1])) {
		return cell[1:]
	}
	return cell
}

// Writer writes a CSV export, neutralising every cell.
type Writer struct{ w *csv.Writer }

// NewWriter starts an export with a UTF-8 byte order mark, so Excel opens
// accents right.
func NewWriter(w io.Writer) (*Writer, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	return &Writer{w: csv.NewWriter(w)}, nil
}

// Write writes one record.
func (w *Writer) Write(cells []string) error {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Neutralize(c)
	}
	return w.w.Write(out)
}

// Flush sends what is buffered and reports a write error.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
