package graph

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/generated"
)

// Config tunes the GraphQL handler. Zero values take the defaults.
type Config struct {
	Introspection   bool // off in production
	ComplexityLimit int  // default 5000; connections multiply by first
	DepthLimit      int  // default 12
	// Timeout is the server's time budget per request (default 30s): at
	// its end, as when the client goes away, no further field is resolved.
	Timeout time.Duration
	Logger  *slog.Logger
	// Authenticate checks connection_init's credential; nil serves no
	// subscriptions (no WebSocket transport).
	Authenticate Authenticator
	// AllowedOrigins are the host patterns (e.g. "app.example.com",
	// "*.example.com") of browser pages on other origins that may open a
	// subscription socket; same-origin pages and clients sending no
	// Origin (servers, scripts) are always allowed.
	AllowedOrigins []string
	// KeepAlive is the interval of the server's pings (default 25s); a
	// client that answers none for two intervals is disconnected.
	KeepAlive time.Duration
	// LiveRecheck is how often a socket's credential is checked again
	// (default one minute).
	LiveRecheck time.Duration
}

const (
	defaultComplexityLimit = 5000
	defaultDepthLimit      = 12
	// maxMutationsPerDocument allows a screen to batch a few related
	// changes while defeating alias batching.
	maxMutationsPerDocument = 10
	// Document limits (DocumentLimits): real screens use a few hundred
	// tokens and at most a couple of hundred fields.
	maxDocumentTokens  = 5000
	maxDocumentFields  = 500
	maxDocumentAliases = 100
	parserTokenLimit   = maxDocumentTokens + 1 // DocumentLimits answers first, clearly
	queryCacheSize     = 1000
	defaultTimeout     = 30 * time.Second
)

// NewHandler serves GraphQL over POST (no GET, no array batching) and,
// when cfg.Authenticate is set, subscriptions over WebSocket.
// The principal and request id come from the context (api's middleware);
// loaders are created per request.
func NewHandler(svc *domain.Service, cfg Config) http.Handler {
	if cfg.ComplexityLimit <= 0 {
		cfg.ComplexityLimit = defaultComplexityLimit
	}
	if cfg.DepthLimit <= 0 {
		cfg.DepthLimit = defaultDepthLimit
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	gc := generated.Config{Resolvers: &Resolver{svc: svc}}
	setComplexity(&gc.Complexity)
	srv := handler.New(generated.NewExecutableSchema(gc))
	srv.AddTransport(transport.POST{})
	if cfg.Authenticate != nil {
		srv.AddTransport(websocketTransport(cfg))
		srv.AroundResponses(freshLoadersPerEvent(svc))
	}
	srv.SetParserTokenLimit(parserTokenLimit)
	srv.SetDisableSuggestion(true)
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(DocumentLimits{MaxTokens: maxDocumentTokens, MaxFields: maxDocumentFields, MaxAliases: maxDocumentAliases})
	srv.Use(DepthLimit{Max: cfg.DepthLimit})
	srv.Use(MutationFieldLimit{Max: maxMutationsPerDocument})
	srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	if svc != nil { // (handler tests run without one)
		srv.Use(CostBudget{Service: svc}) // after the complexity limit: it spends what that measured
	}
	srv.SetErrorPresenter(errorPresenter(cfg.Logger))
	srv.SetRecoverFunc(recoverFunc(cfg.Logger))
	srv.AroundRootFields(requirePrincipal)
	srv.AroundFields(stopWhenDone)
	return clearUpgradeDeadlines(guardRequest(WithLoaders(svc, srv), cfg.Timeout))
}

// requirePrincipal answers UNAUTHENTICATED for every field when the request
// carries no principal, and starts each mutation with empty loader caches so
// a later mutation in the same document never reads what an earlier one changed.
func requirePrincipal(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	if _, ok := domain.PrincipalFrom(ctx); !ok {
		graphql.AddError(ctx, domain.Errorf(domain.CodeUnauthenticated, "authentication required"))
		return graphql.Null
	}
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		For(ctx).clear()
	}
	return next(ctx)
}

// GraphiQLHandler serves the GraphiQL page for endpoint.
func GraphiQLHandler(endpoint string) http.Handler {
	return playground.Handler("Centralita GraphQL", endpoint)
}
