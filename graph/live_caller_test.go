package graph

import (
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

func TestCredentialOfInitPayload(t *testing.T) {
	cases := []struct {
		name    string
		payload transport.InitPayload
		want    string
	}{
		{"Authorization bearer", transport.InitPayload{"Authorization": "Bearer tok"}, "tok"},
		{"lower-case key, any case scheme", transport.InitPayload{"authorization": "bearer  tok "}, "tok"},
		{"bare token", transport.InitPayload{"token": "ck_abc"}, "ck_abc"},
		{"token with the scheme", transport.InitPayload{"token": "Bearer ck_abc"}, "ck_abc"},
		{"Authorization first", transport.InitPayload{"Authorization": "Bearer a", "token": "b"}, "a"},
		{"empty Authorization falls through", transport.InitPayload{"Authorization": " ", "token": "b"}, "b"},
		{"another scheme is not a bearer", transport.InitPayload{"Authorization": "Basic xyz"}, "Basic xyz"},
		{"not a string", transport.InitPayload{"Authorization": 42}, ""},
		{"nothing", transport.InitPayload{}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := credentialOf(c.payload); got != c.want {
				t.Fatalf("credentialOf = %q, want %q", got, c.want)
			}
		})
	}
}
