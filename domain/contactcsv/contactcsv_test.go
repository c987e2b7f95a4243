package contactcsv

import (
	"bytes"
	"testing"
)

func TestParseDetectsTheDelimiterAndStripsTheBOM(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		delim      rune
	}{
		{"comma", "name,phone\nAna,987 654 321\n", ','},
		{"semicolon as Excel es-PE writes it", "\uFEFFNombre;Teléfono\r\nAna;987 654 321\r\n", ';'},
		{"semicolon with commas inside quotes", "\"Nombre, completo\";Teléfono\n\"Ana, la de ventas\";987 654 321\n", ';'},
		{"tab", "name\tphone\nAna\t987 654 321\n", '\t'},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse([]byte(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if s.Delimiter != tc.delim || len(s.Columns) != 2 || len(s.Rows) != 1 || len(s.Rows[0].Cells) != 2 {
				t.Fatalf("got %+v", s)
			}
			if s.Columns[1].Field != "phone" || s.Rows[0].Cells[1] != "987 654 321" || s.Rows[0].Line != 2 {
				t.Fatalf("got %+v", s)
			}
		})
	}
}

func TestParseReadsWindows1252AsExcelSavesPlainCSV(t *testing.T) {
	s, err := Parse([]byte("Nombre;Tel\xe9fono\nMar\xeda;987654321\n"))
	if err != nil || s.Columns[1].Field != "phone" || s.Rows[0].Cells[0] != "María" {
		t.Fatalf("%+v %v", s, err)
	}
}

func TestParseSkipsBlankRowsAndNumbersLinesAsASpreadsheet(t *testing.T) {
	s, err := Parse([]byte("name;phone\n;\nAna;1\n\n\"Bea\nMaría\";2\nCarla;3\n"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range s.Rows {
		lines = append(lines, r.Line)
	}
	if len(lines) != 3 || lines[0] != 3 || lines[1] != 5 || lines[2] != 7 {
		t.Fatalf("lines %v", lines)
	}
}

func TestParseRefusesAnEmptyFile(t *testing.T) {
	for _, f := range []string{"", "\uFEFF", " \n\n"} {
		if _, err := Parse([]byte(f)); err != ErrEmpty {
			t.Errorf("%q: %v", f, err)
		}
	}
}

func TestColumnFor(t *testing.T) {
	for header, want := range map[string]Column{
		"Nombre":             {Field: "name", Header: "Nombre"},
		" TELÉFONO ":         {Field: "phone", Header: "TELÉFONO"},
		"Celular":            {Field: "phone", Header: "Celular"},
		"Correo electrónico": {Field: "email", Header: "Correo electrónico"},
		"phone_e164":         {Field: "phone", Header: "phone_e164"},
		"external_refs":      {Field: "external_refs", Header: "external_refs"},
		"ref.HubSpot":        {Field: "ref", Key: "hubspot", Header: "ref.HubSpot"},
		"attr.Deuda":         {Field: "attr", Key: "Deuda", Header: "attr.Deuda"},
		"attr.":              {Field: "", Header: "attr."},
		"Notas":              {Field: "", Header: "Notas"},
	} {
		if got := ColumnFor(header); got != want {
			t.Errorf("ColumnFor(%q) = %+v, want %+v", header, got, want)
		}
	}
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+51987654321":             "'+51987654321",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tcmd":                    "'\tcmd",
		"\rcmd":                    "'\rcmd",
		"Ana":                      "Ana",
		"":                         "",
		"'already":                 "'already",
	} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
		if got := Unneutralize(Neutralize(in)); got != in {
			t.Errorf("Unneutralize(Neutralize(%q)) = %q", in, got)
		}
	}
}

func TestWriterStartsWithABOMAndNeutralizes(t *testing.T) {
	var b bytes.Buffer
	w, err := NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"name", "=1+1"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "\uFEFFname,'=1+1\n" {
		t.Fatalf("%q", got)
	}
	s, err := Parse(b.Bytes())
	if err != nil || s.Columns[0].Field != "name" || s.Columns[1].Header != "=1+1" {
		t.Fatalf("%+v %v", s, err)
	}
}
