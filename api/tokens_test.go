package api

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/centralita/centralita/domain"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func testUser() *domain.User {
	return &domain.User{ID: domain.NewID(domain.PrefixUser), WorkspaceID: domain.NewID(domain.PrefixWorkspace),
		Role: domain.RoleAgent, TokenVersion: 3}
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestNewTokensRejectsShortSecret(t *testing.T) {
	_, err := NewTokens([]byte("short"), "centralita", time.Minute, nil)
	require.Error(t, err)
	_, err = NewTokens(testSecret, "centralita", time.Minute, nil)
	require.NoError(t, err)
}

func TestTokenRoundTrip(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tokens, err := NewTokens(testSecret, "centralita", 15*time.Minute, fixedClock(now))
	require.NoError(t, err)
	u := testUser()
	sid := domain.NewID(domain.PrefixSession)
	raw, exp, err := tokens.Issue(u, sid)
	require.NoError(t, err)
	require.Equal(t, now.Add(15*time.Minute), exp)
	claims, err := tokens.parse(raw)
	require.NoError(t, err)
	require.Equal(t, u.ID, claims.Subject)
	require.Equal(t, u.WorkspaceID, claims.WorkspaceID)
	require.Equal(t, 3, claims.TokenVersion)
	require.Equal(t, "agent", claims.Role)
	require.Equal(t, sid, claims.SessionID)
}

// sign builds a token by hand so each test can break one rule.
func sign(t *testing.T, method jwt.SigningMethod, key any, header map[string]any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func TestTokensRejectHostileTokens(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tokens, err := NewTokens(testSecret, "centralita", 15*time.Minute, fixedClock(now))
	require.NoError(t, err)
	u := testUser()
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": "centralita", "aud": []string{"centralita-api"}, "sub": u.ID,
			"wid": u.WorkspaceID, "role": "agent", "tv": 3, "sid": domain.NewID(domain.PrefixSession), "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	}
	typ := map[string]any{"typ": "at+jwt"}
	valid := sign(t, jwt.SigningMethodHS256, testSecret, typ, good())
	_, err = tokens.parse(valid)
	require.NoError(t, err, "control token must pass")

	with := func(k string, v any) jwt.MapClaims {
		c := good()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	parts := strings.Split(valid, ".")
	tamperedPayload := base64.RawURLEncoding.EncodeToString([]byte(
		`{"iss":"centralita","aud":["centralita-api"],"sub":"` + u.ID + `","wid":"` + u.WorkspaceID +
			`","role":"owner","tv":3,"iat":` + itoa(now.Unix()) + `,"exp":` + itoa(now.Add(time.Minute).Unix()) + `}`))
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"at+jwt"}`))

	cases := map[string]string{
		"alg none":           noneHeader + "." + parts[1] + ".",
		"alg None":           base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"None","typ":"at+jwt"}`)) + "." + parts[1] + ".",
		"tampered payload":   parts[0] + "." + tamperedPayload + "." + parts[2],
		"stripped signature": parts[0] + "." + parts[1] + ".",
		"expired":            sign(t, jwt.SigningMethodHS256, testSecret, typ, with("exp", now.Add(-time.Hour).Unix())),
		"no exp":             sign(t, jwt.SigningMethodHS256, testSecret, typ, with("exp", nil)),
		"iat in future":      sign(t, jwt.SigningMethodHS256, testSecret, typ, with("iat", now.Add(time.Hour).Unix())),
		"nbf in future":      sign(t, jwt.SigningMethodHS256, testSecret, typ, with("nbf", now.Add(time.Hour).Unix())),
		"wrong aud":          sign(t, jwt.SigningMethodHS256, testSecret, typ, with("aud", "centralita-widget")),
		"no aud":             sign(t, jwt.SigningMethodHS256, testSecret, typ, with("aud", nil)),
		"wrong iss":          sign(t, jwt.SigningMethodHS256, testSecret, typ, with("iss", "someone-else")),
		"wrong typ":          sign(t, jwt.SigningMethodHS256, testSecret, map[string]any{"typ": "JWT"}, good()),
		"no typ":             sign(t, jwt.SigningMethodHS256, testSecret, map[string]any{"typ": nil}, good()),
		"other secret":       sign(t, jwt.SigningMethodHS256, []byte("another-deployment-secret-0123456789"), typ, good()),
		"HS512":              sign(t, jwt.SigningMethodHS512, testSecret, typ, good()),
		"bad sub":            sign(t, jwt.SigningMethodHS256, testSecret, typ, with("sub", "1 OR 1=1")),
		"no wid":             sign(t, jwt.SigningMethodHS256, testSecret, typ, with("wid", nil)),
		"no sid":             sign(t, jwt.SigningMethodHS256, testSecret, typ, with("sid", nil)),
		"bad sid":            sign(t, jwt.SigningMethodHS256, testSecret, typ, with("sid", "ses_../x")),
		"kid traversal":      sign(t, jwt.SigningMethodHS256, []byte("x"), map[string]any{"typ": "at+jwt", "kid": "../../etc/passwd"}, good()),
		"huge":               "a." + strings.Repeat("b", 1<<20) + ".c",
		"garbage":            "not-a-token",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tokens.parse(raw)
			require.ErrorIs(t, err, errInvalidToken)
		})
	}
}

func TestTokensAcceptWithinLeeway(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	issuer, err := NewTokens(testSecret, "centralita", time.Minute, fixedClock(now))
	require.NoError(t, err)
	raw, _, err := issuer.Issue(testUser(), domain.NewID(domain.PrefixSession))
	require.NoError(t, err)
	later, err := NewTokens(testSecret, "centralita", time.Minute, fixedClock(now.Add(time.Minute+10*time.Second)))
	require.NoError(t, err)
	_, err = later.parse(raw)
	require.NoError(t, err, "10 s past exp is inside the leeway")
	muchLater, err := NewTokens(testSecret, "centralita", time.Minute, fixedClock(now.Add(time.Hour)))
	require.NoError(t, err)
	_, err = muchLater.parse(raw)
	require.Error(t, err)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
