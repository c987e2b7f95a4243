package api

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/centralita/centralita/domain"
)

// queryParams maps a route ("GET /v1/conversations/:id", in gin's form)
// to the query parameters openapi.yaml declares for it. The router builds
// it from the spec it serves, so the contract and the check cannot drift.
type queryParams map[string]map[string]bool

// parsedSpecs caches the table per spec text: tests build many routers
// from the same bytes.
var parsedSpecs sync.Map // string -> queryParams

// declaredQueryParams reads the table from openapi.yaml: path-level and
// operation-level parameters, $ref'd ones resolved by the loader.
func declaredQueryParams(spec []byte) (queryParams, error) {
	if cached, ok := parsedSpecs.Load(string(spec)); ok {
		return cached.(queryParams), nil
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("api: openapi.yaml: %w", err)
	}
	out := queryParams{}
	if doc.Paths != nil {
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				names := map[string]bool{}
				for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
					for _, ref := range list {
						if ref.Value != nil && ref.Value.In == openapi3.ParameterInQuery {
							names[ref.Value.Name] = true
						}
					}
				}
				out[strings.ToUpper(method)+" "+ginPath(path)] = names
			}
		}
	}
	parsedSpecs.Store(string(spec), out)
	return out, nil
}

// ginPath turns "/v1/conversations/{id}" into "/v1/conversations/:id".
func ginPath(specPath string) string {
	parts := strings.Split(specPath, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			parts[i] = ":" + p[1:len(p)-1]
		}
	}
	return strings.Join(parts, "/")
}

// rejectUnknownQuery refuses a request carrying a query parameter its
// route does not declare: an integrator who misspells a filter must not
// get the unfiltered list and believe it filtered. It runs before
// authentication and any handler, so a refused request reads and writes
// nothing. GraphQL is its own contract and takes no query parameters here.
func rejectUnknownQuery(declared queryParams) gin.HandlerFunc {
	return func(c *gin.Context) {
		route := c.FullPath()
		if route == "" || route == "/graphql" || c.Request.URL.RawQuery == "" {
			c.Next()
			return
		}
		allowed := declared[c.Request.Method+" "+route]
		var unknown []string
		for name := range c.Request.URL.Query() {
			if !allowed[name] {
				unknown = append(unknown, name)
			}
		}
		if len(unknown) == 0 {
			c.Next()
			return
		}
		sort.Strings(unknown)
		fail(c, unknownQueryError(unknown[0], allowed))
	}
}

func unknownQueryError(name string, allowed map[string]bool) error {
	accepted := "none"
	if len(allowed) > 0 {
		names := make([]string, 0, len(allowed))
		for n := range allowed {
			names = append(names, n)
		}
		slices.Sort(names)
		accepted = strings.Join(names, ", ")
	}
	return domain.FieldError(name, "unknown query parameter %q; this route accepts: %s", name, accepted)
}

// mustDeclaredQueryParams is declaredQueryParams for router construction:
// the spec is embedded in the binary, so an unreadable one is a build bug.
func mustDeclaredQueryParams(spec []byte) queryParams {
	params, err := declaredQueryParams(spec)
	if err != nil {
		panic(err)
	}
	return params
}
