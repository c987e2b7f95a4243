package api

import "testing"

func TestNeutralizeCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"message.created":      "message.created",
		"=HYPERLINK(\"x\")":    "'=HYPERLINK(\"x\")",
		"+51 999":              "'+51 999",
		"-1":                   "'-1",
		"@SUM(A1)":             "'@SUM(A1)",
		"\tcmd":                "'\tcmd",
		"\rcmd":                "'\rcmd",
		"a=b":                  "a=b",
		`{"name":"=cmd|' /C"}`: `{"name":"=cmd|' /C"}`,
	} {
		if got := neutralizeCSVCell(in); got != want {
			t.Errorf("neutralizeCSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}
