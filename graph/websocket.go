package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/centralita/centralita/domain"
)

// websocketTransport serves subscriptions with graphql-transport-ws (and
// the older graphql-ws) at the GraphQL endpoint. coder/websocket refuses a
// browser's upgrade from another origin unless cfg.AllowedOrigins names it.
func websocketTransport(cfg Config) transport.Websocket {
	keepAlive := cfg.KeepAlive
	if keepAlive <= 0 {
		keepAlive = defaultKeepAlive
	}
	recheck := cfg.LiveRecheck
	if recheck <= 0 {
		recheck = defaultRecheck
	}
	return transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: cfg.AllowedOrigins}},
		InitFunc:              liveInit(cfg.Authenticate, recheck),
		InitTimeout:           initTimeout,
		KeepAlivePingInterval: keepAlive, // graphql-ws
		PingPongInterval:      keepAlive, // graphql-transport-ws: ping, and expect pongs
		ErrorFunc: func(ctx context.Context, err error) {
			cfg.Logger.Debug("websocket", "error", err.Error(), "request_id", domain.RequestID(ctx))
		},
	}
}

// freshLoadersPerEvent gives each response of a subscription new loaders:
// the socket's request-scoped ones would serve every later event what an
// earlier one loaded.
func freshLoadersPerEvent(svc *domain.Service) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
			ctx = context.WithValue(ctx, loadersKey{}, NewLoaders(svc))
		}
		return next(ctx)
	}
}

// clearUpgradeDeadlines lifts the server's read and write timeouts, meant
// for requests, from a connection becoming a WebSocket: after the hijack
// they would cut every socket after the first minute. Dead clients are
// found by the keep-alive pings instead.
func clearUpgradeDeadlines(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.Header.Get("Upgrade") != "" {
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
		}
		next.ServeHTTP(w, r)
	})
}
