package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"time"

	"github.com/caarlos0/env/v11"
)

// settingParseErrors rewrites the env library's parse errors, which name
// the Go field ("WhatsAppSendRate"), to name what the operator set: the
// environment variable, its value and what it should have been.
func settingParseErrors(err error) error {
	var all env.AggregateError
	if !errors.As(err, &all) {
		return err
	}
	errs := make([]error, 0, len(all.Errors))
	for _, e := range all.Errors {
		var parseErr env.ParseError
		var field reflect.StructField
		found := false
		if errors.As(e, &parseErr) {
			field, found = reflect.TypeFor[Config]().FieldByName(parseErr.Name)
		}
		name := field.Tag.Get("env")
		if !found || name == "" {
			errs = append(errs, e) // the library's other errors name the variable already
			continue
		}
		errs = append(errs, fmt.Errorf("%s=%q is not %s", name, os.Getenv(name), expectedValue(field.Type)))
	}
	return errors.Join(errs...)
}

// expectedValue says in words what a setting of type t accepts.
func expectedValue(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Duration]() {
		return "a duration (such as 30s, 5m or 1h)"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number, 0 or more"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a valid " + t.String()
}
