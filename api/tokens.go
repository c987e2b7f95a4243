package api

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/centralita/centralita/domain"
)

// Access tokens are short-lived HS256 JWTs. Their validation rules are
// deliberately exclusive (typ, aud) so a token minted for another purpose
// (a widget or partner token later) can never pass as an agent's.
const (
	accessTokenType     = "at+jwt"
	accessTokenAudience = "centralita-api"
	// clockLeeway absorbs clock skew between replicas.
	clockLeeway = 30 * time.Second
	// maxTokenLength bounds the work spent on a hostile Authorization header.
	maxTokenLength = 4096
	minSecretBytes = 32
)

// DefaultAccessTokenTTL applies when NewTokens is given no TTL: short enough
// that a deactivated user's stolen token dies quickly even if never checked.
const DefaultAccessTokenTTL = 15 * time.Minute

// Tokens mints and verifies access tokens.
type Tokens struct {
	secret []byte
	issuer string
	ttl    time.Duration
	now    func() time.Time
	parser *jwt.Parser
}

// accessClaims are the claims of an access token.
type accessClaims struct {
	jwt.RegisteredClaims
	WorkspaceID  string `json:"wid"`
	Role         string `json:"role"`
	TokenVersion int    `json:"tv"`
	// SessionID names the refresh-token session the token was minted for;
	// every request checks it so logout and revocation take effect at once.
	SessionID string `json:"sid"`
}

// NewTokens builds a token issuer. The secret must have at least 32 bytes
// (RFC 8725 §3.5: HMAC keys must resist brute force).
func NewTokens(secret []byte, issuer string, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(secret) < minSecretBytes {
		return nil, fmt.Errorf("api: JWT secret must have at least %d bytes, got %d", minSecretBytes, len(secret))
	}
	if issuer == "" {
		return nil, errors.New("api: JWT issuer must not be empty")
	}
	if ttl <= 0 {
		ttl = DefaultAccessTokenTTL
	}
	if now == nil {
		now = time.Now
	}
	t := &Tokens{secret: append([]byte(nil), secret...), issuer: issuer, ttl: ttl, now: now}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(accessTokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(clockLeeway),
		jwt.WithTimeFunc(func() time.Time { return t.now() }),
	)
	return t, nil
}

// TTL is how long an access token lives.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue mints an access token for a user's session.
func (t *Tokens) Issue(u *domain.User, sessionID string) (string, time.Time, error) {
	now := t.now().UTC().Truncate(time.Second)
	exp := now.Add(t.ttl)
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   u.ID,
			Audience:  jwt.ClaimStrings{accessTokenAudience},
			ExpiresAt: jwt.NewNumericDate(exp),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
		},
		WorkspaceID:  u.WorkspaceID,
		Role:         string(u.Role),
		TokenVersion: u.TokenVersion,
		SessionID:    sessionID,
	}
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	token.Header["typ"] = accessTokenType
	signed, err := token.SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, err
	}
	return signed, exp, nil
}

// errInvalidToken hides why a token was refused: every failure looks alike.
var errInvalidToken = errors.New("access token is not valid")

// parse verifies a token and returns its claims. Header fields such as kid,
// jku or x5u are never consulted: there is one key and it is local.
func (t *Tokens) parse(raw string) (*accessClaims, error) {
	if len(raw) > maxTokenLength {
		return nil, errInvalidToken
	}
	claims := &accessClaims{}
	token, err := t.parser.ParseWithClaims(raw, claims, func(tok *jwt.Token) (any, error) {
		if typ, _ := tok.Header["typ"].(string); typ != accessTokenType {
			return nil, errInvalidToken
		}
		return t.secret, nil
	})
	if err != nil || !token.Valid {
		return nil, errInvalidToken
	}
	if !domain.ValidID(domain.PrefixUser, claims.Subject) || !domain.ValidID(domain.PrefixWorkspace, claims.WorkspaceID) ||
		!domain.ValidID(domain.PrefixSession, claims.SessionID) {
		return nil, errInvalidToken
	}
	return claims, nil
}
