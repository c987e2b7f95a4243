package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"
)

// fragmentFanOut is the document that ran 8 minutes of server CPU: each
// fragment spreads the next one wide times, deep levels down, so expanding
// it means wide^deep copies of the last fragment's fields.
func fragmentFanOut(wide, deep int) string {
	var b strings.Builder
	b.WriteString("query { workspace { ...F0 } }\n")
	for d := range deep {
		fmt.Fprintf(&b, "fragment F%d on Workspace { %s}\n", d, strings.Repeat(fmt.Sprintf("...F%d ", d+1), wide))
	}
	fmt.Fprintf(&b, "fragment F%d on Workspace { id name }\n", deep)
	return b.String()
}

// repeatedFields is `{ workspace { id id id … } }` with a trailing comment,
// so that each variant misses the query cache.
func repeatedFields(n int) string {
	return "{ workspace { " + strings.Repeat("id ", n) + "} } # " + fmt.Sprint(time.Now().UnixNano())
}

// Abusive documents are refused before gqlgen validates them (validation
// is what took minutes), with a code naming the limit. The time bound is
// loose on purpose: before, these took seconds to minutes.
func TestAbusiveDocumentsAreRefusedQuickly(t *testing.T) {
	for _, tc := range []struct {
		name, doc, code string
	}{
		{"fragment fan-out 10 wide 8 deep", fragmentFanOut(10, 8), "FIELD_LIMIT_EXCEEDED"},
		{"fragment fan-out 3 wide 6 deep", fragmentFanOut(3, 6), "FIELD_LIMIT_EXCEEDED"},
		{"14,000 repeated fields", repeatedFields(14000), "TOKEN_LIMIT_EXCEEDED"},
		{"4,900 repeated fields", repeatedFields(4900), "FIELD_LIMIT_EXCEEDED"},
		{"101 aliases", "{ " + aliases(101) + " }", "ALIAS_LIMIT_EXCEEDED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, res := serve(t, Config{}, http.MethodPost, query(tc.doc), true)
			require.Less(t, time.Since(start), time.Second)
			require.Equal(t, []string{tc.code}, codes(res))
			require.JSONEq(t, "null", string(res.Data))
		})
	}
}

func aliases(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d: me { id } ", i)
	}
	return b.String()
}

// Documents within the limits reach the resolvers (here: the principal
// check, since these tests run without a service).
func TestOrdinaryDocumentsPassTheLimits(t *testing.T) {
	for _, doc := range []string{
		"{ me { id name } workspace { id name } }",
		fragmentFanOut(2, 3),
		"{ " + aliases(100) + " }",
		"# a comment does not count as a token\n" + repeatedFields(10),
	} {
		_, res := serve(t, Config{}, http.MethodPost, query(doc), false)
		require.NotEmpty(t, res.Errors)
		for _, c := range codes(res) {
			require.Equal(t, "UNAUTHENTICATED", c, doc)
		}
	}
}

// The count follows every fragment once: a fragment used twice costs
// twice, a fragment cycle (refused by validation) does not loop.
func TestSelectionCountIsMemoisedPerFragment(t *testing.T) {
	limitCode := func(maxFields int, doc string) string {
		err := DocumentLimits{MaxTokens: 100, MaxFields: maxFields, MaxAliases: 1}.
			MutateOperationParameters(context.Background(), &graphql.RawParams{Query: doc})
		if err == nil {
			return ""
		}
		return err.Extensions["code"].(string)
	}
	twice := `{ workspace { ...A ...A } } fragment A on Workspace { id name }`
	require.Empty(t, limitCode(5, twice), "workspace + 2×2")
	require.Equal(t, "FIELD_LIMIT_EXCEEDED", limitCode(4, twice))
	require.Empty(t, limitCode(10, `{ workspace { ...A } } fragment A on Workspace { ...B } fragment B on Workspace { ...A id }`))
}
