package cleantext

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"hola", "hola"},
		{"", ""},
		{"a\x00b", "ab"},
		{"\x00\x00", ""},
		{"caf\xe9", "caf\uFFFD"},
		{"\xff\xfe", "\uFFFD"}, // one run of invalid bytes, one replacement
		{"ñ\x00\xffü", "ñ\uFFFDü"},
		{"emoji 👍", "emoji 👍"},
	} {
		require.Equal(t, tc.want, Clean(tc.in), "%q", tc.in)
		require.True(t, Valid(Clean(tc.in)))
	}
}

func TestProblem(t *testing.T) {
	require.Empty(t, Problem("ok ñ"))
	require.Equal(t, "contains a NUL character (U+0000)", Problem("a\x00"))
	require.Equal(t, "is not valid UTF-8", Problem("\xff"))
}

type card struct {
	Name   string
	Phones []phone
	unexp  string
}

type phone struct{ Number string }

type message struct {
	Text   string
	Card   *card
	Cards  []card
	Attrs  map[string]string
	Any    map[string]any
	Raw    []byte
	Nested struct{ Title string }
}

func TestCleanAllWalksEveryString(t *testing.T) {
	m := message{
		Text:  "a\x00",
		Card:  &card{Name: "\xffx", Phones: []phone{{Number: "5\x005"}}, unexp: "\x00"},
		Cards: []card{{Name: "b\x00"}},
		Attrs: map[string]string{"k\x00": "v\x00"},
		Any:   map[string]any{"list": []any{"x\x00"}, "s": "y\x00"},
		Raw:   []byte("\x00"),
	}
	m.Nested.Title = "t\x00"
	CleanAll(&m)
	require.Equal(t, "a", m.Text)
	require.Equal(t, "\uFFFDx", m.Card.Name)
	require.Equal(t, "55", m.Card.Phones[0].Number)
	require.Equal(t, "\x00", m.Card.unexp, "unexported fields are not reachable")
	require.Equal(t, "b", m.Cards[0].Name)
	require.Equal(t, map[string]string{"k": "v"}, m.Attrs)
	require.Equal(t, map[string]any{"list": []any{"x"}, "s": "y"}, m.Any)
	require.Equal(t, []byte("\x00"), m.Raw, "bytes are not text")
	require.Equal(t, "t", m.Nested.Title)

	CleanAll(nil)          // no panic
	CleanAll(message{})    // not a pointer: left alone
	CleanAll((*card)(nil)) // nil pointer
}

type wrapped struct {
	Present bool
	Value   string
}

func (w *wrapped) UnmarshalJSON(b []byte) error { w.Present = true; return json.Unmarshal(b, &w.Value) }

type body struct {
	Name        string `json:"name"`
	Assignee    wrapped
	Interactive *struct {
		Buttons []struct {
			Title string `json:"title"`
		} `json:"buttons"`
	} `json:"interactive"`
	Attrs  map[string]any `json:"custom_attributes"`
	Secret string         `json:"-"`
}

func TestFirstProblemNamesTheJSONPath(t *testing.T) {
	decode := func(s string) body {
		var b body
		require.NoError(t, json.Unmarshal([]byte(s), &b))
		return b
	}
	for _, tc := range []struct{ json, path string }{
		{`{"name":"a\u0000"}`, "name"},
		{`{"Assignee":"x\u0000"}`, "Assignee"},
		{`{"interactive":{"buttons":[{"title":"ok"},{"title":"\u0000"}]}}`, "interactive.buttons[1].title"},
		{`{"custom_attributes":{"plan":{"tier":["x\u0000"]}}}`, "custom_attributes.plan.tier[0]"},
		{`{"custom_attributes":{"a\u0000":1}}`, `custom_attributes."a\x00"`},
	} {
		b := decode(tc.json)
		path, problem, ok := FirstProblem(&b)
		require.True(t, ok, tc.json)
		require.Equal(t, tc.path, path, tc.json)
		require.NotEmpty(t, problem)
	}
	b := decode(`{"name":"fine","interactive":{"buttons":[{"title":"ok"}]}}`)
	b.Secret = "\x00" // not part of the JSON
	_, _, ok := FirstProblem(&b)
	require.False(t, ok)
}

func TestExcerpt(t *testing.T) {
	require.Equal(t, "short", Excerpt("short", 10))
	require.Equal(t, "ñññ…", Excerpt("ñññññññ", 4))
	require.Equal(t, "abcd", Excerpt("abcd", 4))
	require.Equal(t, 300, utf8.RuneCountInString(Excerpt(strings.Repeat("é", 1000), MaxExcerpt)))
}
