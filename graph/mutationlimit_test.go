package graph

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAliasedMutationsAreCapped(t *testing.T) {
	aliased := func(n int) string {
		var b strings.Builder
		b.WriteString("mutation {")
		for i := range n {
			fmt.Fprintf(&b, ` m%d: addNote(input: {conversationId: "conv_x", body: "hi"}) { userErrors { code } }`, i)
		}
		b.WriteString(" }")
		return b.String()
	}
	// 100 stays under the document limits (500 would be refused earlier,
	// for its tokens), so it is the mutation limit that answers.
	_, res := serve(t, Config{}, http.MethodPost, query(aliased(100)), true)
	require.Equal(t, []string{"MUTATION_LIMIT_EXCEEDED"}, codes(res))
	require.Contains(t, res.Errors[0].Message, "runs 100")

	// Fragments cannot hide them either.
	viaFragment := `mutation { ...A } fragment A on Mutation { ` + strings.TrimSuffix(strings.TrimPrefix(aliased(11), "mutation {"), " }") + ` }`
	_, res = serve(t, Config{}, http.MethodPost, query(viaFragment), true)
	require.Equal(t, []string{"MUTATION_LIMIT_EXCEEDED"}, codes(res))

	// A handful is fine: the limit only stops batching.
	_, res = serve(t, Config{}, http.MethodPost, query(aliased(3)), true)
	require.NotContains(t, codes(res), "MUTATION_LIMIT_EXCEEDED")
}
