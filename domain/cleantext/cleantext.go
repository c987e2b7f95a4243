// Package cleantext keeps text storable on every database: Postgres refuses
// NUL (U+0000) in text and jsonb and invalid UTF-8 anywhere, while SQLite
// stores both and then matches them oddly. Text from Meta is cleaned (a
// delivery is never refused for its bytes); text from API callers is
// checked, and refused naming the field. It is pure: no I/O, no state.
package cleantext

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Clean returns s with every NUL removed and every invalid UTF-8 sequence
// replaced by U+FFFD. Clean text is returned as is, without copying.
func Clean(s string) string {
	if Valid(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// Valid reports whether s is valid UTF-8 without NUL.
func Valid(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// Problem says what is wrong with s ("" when nothing is), in words a
// caller can act on.
func Problem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL character (U+0000)"
	}
	return ""
}

// CleanAll cleans, in place, every string reachable from ptr through
// exported struct fields, pointers, slices, arrays and map values (map
// keys too). ptr must be a pointer; anything else is left alone.
func CleanAll(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	cleanValue(v.Elem())
}

func cleanValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); !Valid(s) && v.CanSet() {
			v.SetString(Clean(s))
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Interface {
			// A value in an interface cannot be set in place: clean a copy.
			inner := reflect.New(v.Elem().Type()).Elem()
			inner.Set(v.Elem())
			cleanValue(inner)
			if v.CanSet() {
				v.Set(inner)
			}
			return
		}
		cleanValue(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				cleanValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes are not text
		}
		for i := range v.Len() {
			cleanValue(v.Index(i))
		}
	case reflect.Map:
		cleanMap(v)
	}
}

func cleanMap(v reflect.Value) {
	if v.IsNil() {
		return
	}
	for _, key := range v.MapKeys() {
		val := reflect.New(v.Type().Elem()).Elem()
		val.Set(v.MapIndex(key))
		cleanValue(val)
		newKey := reflect.New(key.Type()).Elem()
		newKey.Set(key)
		cleanValue(newKey)
		if !newKey.Equal(key) {
			v.SetMapIndex(key, reflect.Value{})
		}
		v.SetMapIndex(newKey, val)
	}
}

// FirstProblem finds the first string reachable from v that is not Valid
// and names it by its JSON path ("name", "interactive.buttons[0].title",
// "custom_attributes.plan"), using json tags where fields have them. Map
// keys are checked too. ok is false when every string is valid.
func FirstProblem(v any) (path, problem string, ok bool) {
	return firstProblem(reflect.ValueOf(v), "")
}

func firstProblem(v reflect.Value, path string) (string, string, bool) {
	switch v.Kind() {
	case reflect.String:
		if p := Problem(v.String()); p != "" {
			return path, p, true
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return firstProblem(v.Elem(), path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, skip := jsonName(f)
			if skip {
				continue
			}
			fieldPath := join(path, name)
			if f.Anonymous && name == f.Name {
				fieldPath = path // embedded structs flatten, as in encoding/json
			}
			if decodesItself(v.Type()) {
				fieldPath = path // a type with its own UnmarshalJSON is one JSON value
			}
			if p, problem, ok := firstProblem(v.Field(i), fieldPath); ok {
				return p, problem, true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return "", "", false
		}
		for i := range v.Len() {
			if p, problem, ok := firstProblem(v.Index(i), path+"["+strconv.Itoa(i)+"]"); ok {
				return p, problem, true
			}
		}
	case reflect.Map:
		return mapProblem(v, path)
	}
	return "", "", false
}

func mapProblem(v reflect.Value, path string) (string, string, bool) {
	keys := v.MapKeys()
	// Sorted by their text so the same body always names the same field.
	sortValues(keys)
	for _, key := range keys {
		name := keyText(key)
		if p := Problem(name); p != "" {
			return join(path, strconv.Quote(name)), "key " + p, true
		}
		if p, problem, ok := firstProblem(v.MapIndex(key), join(path, name)); ok {
			return p, problem, true
		}
	}
	return "", "", false
}

func sortValues(keys []reflect.Value) {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keyText(keys[j]) < keyText(keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
}

func keyText(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return ""
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func decodesItself(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)
}

func jsonName(f reflect.StructField) (name string, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", true
	}
	name, _, _ = strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// MaxExcerpt is how much of a caller's input an error message may quote.
const MaxExcerpt = 300

// Excerpt shortens s to at most max runes, ending with "…" when it cut:
// an error names the problem, it never echoes a whole body back.
func Excerpt(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
