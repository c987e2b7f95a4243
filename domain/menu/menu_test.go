package menu

import "testing"

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Cobranzas", "cobranzas"},
		{"Soporte Técnico", "soporte tecnico"},
		{"soporte-tecnico", "soporte tecnico"},
		{"  SOPORTE__TÉCNICO  ", "soporte tecnico"},
		{"Atenção ao cliente", "atencao ao cliente"},
		{"Ñandú", "nandu"},
		{"ＶＥＮＴＡＳ", "ventas"},
		{"ﬁnanzas", "finanzas"},
		{"Ventas 🚀", "ventas"},
		{"¡Pagos!", "pagos"},
		{"", ""},
		{"---", ""},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMatchReply(t *testing.T) {
	options := []Option{
		{ID: "que_ventas", Title: "Ventas"},
		{ID: "que_soporte", Title: "Soporte técnico"},
		{ID: "que_cobranzas", Title: "Cobranzas"},
	}
	for _, tc := range []struct {
		reply  string
		want   string
		wantOK bool
	}{
		{"cobranzas", "que_cobranzas", true},
		{"COBRANZAS", "que_cobranzas", true},
		{"soporte_tecnico", "que_soporte", true},
		{"Soporte técnico", "que_soporte", true},
		{"que_ventas", "que_ventas", true},
		{" ventas ", "que_ventas", true},
		{"soporte", "", false}, // a prefix is not the title
		{"marketing", "", false},
		{"", "", false},
		{"!!", "", false},
	} {
		got, ok := MatchReply(tc.reply, options)
		if ok != tc.wantOK || got.ID != tc.want {
			t.Errorf("MatchReply(%q) = %q, %v; want %q, %v", tc.reply, got.ID, ok, tc.want, tc.wantOK)
		}
	}
	// Titles that fold to the same key are ambiguous by name (ids still work).
	twins := []Option{{ID: "q1", Title: "Soporte técnico"}, {ID: "q2", Title: "Soporte-Tecnico"}}
	if got, ok := MatchReply("soporte tecnico", twins); ok {
		t.Errorf("an ambiguous title matched %q", got.ID)
	}
	if got, ok := MatchReply("q2", twins); !ok || got.ID != "q2" {
		t.Errorf("an id must still match, got %q, %v", got.ID, ok)
	}
}

func TestRead(t *testing.T) {
	options := []Option{
		{ID: "ventas", Title: "Ventas y nuevos servicios", Keywords: []string{"comprar", "precio", "cotización", "plan"}},
		{ID: "soporte", Title: "Soporte técnico", Keywords: []string{"no funciona", "falla", "internet", "router"}},
		{ID: "cobranzas", Title: "Pagos, facturación o cobranzas", Keywords: []string{"pagar", "factura", "deuda", "recibo"}},
	}
	for _, tc := range []struct {
		text   string
		want   string
		by     string
		wantOK bool
	}{
		{"2", "soporte", "number", true},
		{"2)", "soporte", "number", true},
		{" 3. ", "cobranzas", "number", true},
		{"#1", "ventas", "number", true},
		{"opción 2", "soporte", "number", true},
		{"Opcion 3 por favor", "cobranzas", "number", true},
		{"la 1", "ventas", "number", true},
		{"dos", "soporte", "number_word", true},
		{"DOS", "soporte", "number_word", true},
		{"la segunda", "soporte", "number_word", true},
		{"tres", "cobranzas", "number_word", true},
		{"Soporte Técnico", "soporte", "title", true},
		{"soporte tecnico", "soporte", "title", true},
		{"el soporte técnico", "soporte", "title", true},
		{"pagos facturacion o cobranzas", "cobranzas", "title", true},
		{"quiero pagar mi factura", "cobranzas", "keyword", true},
		{"Mi internet no funciona!!", "soporte", "keyword", true},
		{"¿Cuál es el precio del plan?", "ventas", "keyword", true},
		{"4", "", "", false},                    // no such option
		{"0", "", "", false},                    // no such option
		{"1 o 2", "", "", false},                // two numbers
		{"hola", "", "", false},                 // a greeting is not an answer
		{"quiero pagar el plan", "", "", false}, // one keyword each: a tie
		{"plantilla", "", "", false},            // "plan" only as a whole word
		{"", "", "", false},
		{"2 de mis productos fallan", "", "", false}, // a sentence with a number is not a bare number
	} {
		got, ok := Read(tc.text, options)
		if ok != tc.wantOK || got.Option.ID != tc.want || got.By != tc.by {
			t.Errorf("Read(%q) = %q by %q, %v; want %q by %q, %v", tc.text, got.Option.ID, got.By, ok, tc.want, tc.by, tc.wantOK)
		}
		if ok && options[got.Index].ID != got.Option.ID {
			t.Errorf("Read(%q): index %d is not %q", tc.text, got.Index, got.Option.ID)
		}
	}
}
