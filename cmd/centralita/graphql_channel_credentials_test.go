package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Over GraphQL too, credentials go in and never come back out.
func TestGraphQLChannelCredentialsAreWriteOnly(t *testing.T) {
	a := newTestApp(t)
	tn := a.bootstrap("GQL Creds")
	const token = "EAAG-graphql-canary-token"
	res := a.graphql(tn.OwnerToken, `mutation($in: CreateChannelInput!) { createChannel(input: $in) {
		channel { id hasAccessToken hasAppSecret } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"phoneNumberId": "106540352242922", "wabaId": "102290129340398",
			"displayPhoneNumber": "15550783881", "accessToken": token}})
	require.Empty(t, res.Errors)
	require.NotContains(t, string(res.Data), token)
	require.Contains(t, string(res.Data), `"hasAccessToken":true`)
	require.Contains(t, string(res.Data), `"hasAppSecret":false`)
}
