package domain

import "context"

// ActorKind says who caused a change: a person, an integration's key, an
// automation of ours (the welcome bot, a routing rule), the system itself
// (WhatsApp deliveries, timers) or a partner agency.
type ActorKind string

const (
	ActorUser    ActorKind = "user"
	ActorAPIKey  ActorKind = "api_key"
	ActorBot     ActorKind = "bot"
	ActorRule    ActorKind = "rule"
	ActorSystem  ActorKind = "system"
	ActorPartner ActorKind = "partner"
)

// Actor is who caused an event; ID is the user, key, rule or bot id ("" for
// the system).
type Actor struct {
	Kind ActorKind
	ID   string
}

type actorKey struct{}

// WithActor names the automation acting in ctx (a bot or a rule running as
// the system), so its changes are recorded as its own and not as the
// system's.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// actorOf is who acts in ctx: a named automation, else the principal.
func actorOf(ctx context.Context, p Principal) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.Kind != "" {
		return a
	}
	switch {
	case p.UserID != "":
		return Actor{ActorUser, p.UserID}
	case p.APIKeyID != "":
		return Actor{ActorAPIKey, p.APIKeyID}
	}
	return Actor{Kind: ActorSystem}
}
