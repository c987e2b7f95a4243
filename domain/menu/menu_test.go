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
}
