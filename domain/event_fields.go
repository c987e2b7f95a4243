package domain

import (
	"reflect"
	"strings"
	"unicode"
)

// givenFields names, in snake case, the fields an update input sets (its
// non-nil pointers, nested inputs included): the "changed fields" of a
// configuration event. Names only, never values: an input may carry a
// secret (a channel's access token).
func givenFields(in any) []string {
	out := []string{}
	collectGiven(reflect.ValueOf(in), &out)
	return out
}

func collectGiven(v reflect.Value, out *[]string) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		switch {
		case !f.IsExported():
		case fv.Kind() == reflect.Pointer:
			if !fv.IsNil() {
				*out = append(*out, snakeCase(f.Name))
			}
		case fv.Kind() == reflect.Struct:
			collectGiven(fv, out)
		}
	}
}

// snakeCase turns a Go field name into the API's: DefaultQueueID is
// default_queue_id, WABAID waba_id.
func snakeCase(name string) string {
	suffix := ""
	if base, ok := strings.CutSuffix(name, "ID"); ok && base != "" {
		name, suffix = base, "_id"
	}
	var b strings.Builder
	runes := []rune(name)
	for i, r := range runes {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(runes[i-1]) ||
			(i+1 < len(runes) && unicode.IsLower(runes[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String() + suffix
}
