package main

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Every setting read as a number, a duration or a bool, set to something
// that is none of those, is refused with a message naming the environment
// variable and the value (never the Go field behind it).
func TestUnparseableSettingsNameTheVariable(t *testing.T) {
	var typed []string
	for _, field := range reflect.VisibleFields(reflect.TypeFor[Config]()) { // embedded groups' too
		name := field.Tag.Get("env")
		kind := field.Type.Kind()
		if kind == reflect.Pointer {
			kind = field.Type.Elem().Kind()
		}
		switch kind {
		case reflect.Bool, reflect.Int, reflect.Int64, reflect.Uint32, reflect.Float64:
		default:
			continue
		}
		typed = append(typed, name)
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, "abc")
			_, err := loadConfig()
			require.Error(t, err)
			require.Contains(t, err.Error(), name+`="abc" is not `)
			require.NotContains(t, err.Error(), field.Name)
			require.NotContains(t, err.Error(), "parse error on field")
		})
	}
	// Durations are int64s: they were among the above.
	require.Subset(t, typed, []string{"CENTRALITA_DB_MAX_CONNS", "CENTRALITA_GRAPHIQL",
		"CENTRALITA_GRAPHQL_INTROSPECTION", "CENTRALITA_ACCESS_TOKEN_TTL", "CENTRALITA_ARGON2_ITERATIONS",
		"CENTRALITA_MAX_BODY_BYTES", "WHATSAPP_SEND_RATE", "WHATSAPP_PAIR_INTERVAL",
		"CENTRALITA_API_RATE_LIMIT", "CENTRALITA_API_WORKSPACE_RATE_LIMIT", "CENTRALITA_GRAPHQL_COST_BUDGET"})

	// Several bad settings are all reported at once.
	t.Setenv("WHATSAPP_SEND_RATE", "fast")
	t.Setenv("CENTRALITA_JOB_TIMEOUT", "5")
	_, err := loadConfig()
	require.ErrorContains(t, err, `WHATSAPP_SEND_RATE="fast" is not a number`)
	require.ErrorContains(t, err, `CENTRALITA_JOB_TIMEOUT="5" is not a duration`)
}

// A value of the right type outside its range is refused naming the
// variable and the value as it was typed.
func TestOutOfRangeSettingsNameTheVariableAndValue(t *testing.T) {
	for _, tc := range []struct{ name, value, rule string }{
		{"CENTRALITA_ENV", "staging", "must be development, production or test"},
		{"CENTRALITA_DB_MAX_CONNS", "0", "at least 1"},
		{"CENTRALITA_ACCESS_TOKEN_TTL", "10s", "between 1m and 1h"},
		{"CENTRALITA_REFRESH_TOKEN_TTL", "30m", "at least 1h"},
		{"CENTRALITA_GRAPHQL_COMPLEXITY_LIMIT", "0", "at least 1"},
		{"CENTRALITA_GRAPHQL_DEPTH_LIMIT", "-3", "at least 1"},
		{"CENTRALITA_GRAPHQL_TIMEOUT", "0s", "between 100ms and 1h"},
		{"CENTRALITA_GRAPHQL_TIMEOUT", "2h", "between 100ms and 1h"},
		{"CENTRALITA_MAX_BODY_BYTES", "10", "at least 1024"},
		{"CENTRALITA_MAX_UPLOAD_BYTES", "-1", "at least 1024"},
		{"CENTRALITA_LOG_LEVEL", "loud", "debug, info, warn or error"},
		{"CENTRALITA_ARGON2_MEMORY_KIB", "4", "between 8 and"},
		// Hashes made beyond what verification accepts could never log in.
		{"CENTRALITA_ARGON2_MEMORY_KIB", "4194304", "between 8 and"},
		{"CENTRALITA_ARGON2_ITERATIONS", "0", "between 1 and 16"},
		{"CENTRALITA_ARGON2_ITERATIONS", "17", "between 1 and 16"},
		{"CENTRALITA_SHUTDOWN_TIMEOUT", "0s", "at least 1s"},
		{"WHATSAPP_GRAPH_URL", "ftp://graph.example", "http(s) URL"},
		{"WHATSAPP_SEND_RATE", "5000", "at most 1000"},
		{"WHATSAPP_SEND_RATE", "0", "more than 0"},
		{"WHATSAPP_PAIR_INTERVAL", "2h", "between 1ms and 1h"},
		{"WHATSAPP_PAIR_BURST", "0", "between 1 and 1000"},
		{"WHATSAPP_SEND_RECEIPT_WAIT", "10ms", "between 1s and 1h"},
		{"CENTRALITA_JOB_TIMEOUT", "100ms", "between 1s and 1h"},
		{"CENTRALITA_JOB_RETRY_UNIT", "2h", "between 1ms and 1h"},
		{"CENTRALITA_API_RATE_LIMIT", "-1", "between 0 (off) and 10000000"},
		{"CENTRALITA_API_WORKSPACE_RATE_LIMIT", "-5", "between 0 (off) and 1000000000"},
		// A budget below the complexity limit would refuse the largest
		// legal query for ever.
		{"CENTRALITA_GRAPHQL_COST_BUDGET", "4999", "CENTRALITA_GRAPHQL_COMPLEXITY_LIMIT (5000"},
		{"CENTRALITA_GRAPHQL_COST_BUDGET", "-1", "must be 0 (off) or"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			t.Setenv(tc.name, tc.value)
			_, err := loadConfig()
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.name+`="`+tc.value+`" must `)
			require.Contains(t, err.Error(), tc.rule)
			require.Len(t, strings.Split(err.Error(), "\n"), 1, "only the bad setting is reported")
		})
	}
	// The defaults are all in range.
	cfg, err := loadConfig()
	require.NoError(t, err)
	require.Equal(t, 25*time.Second, cfg.ShutdownTimeout)
}
