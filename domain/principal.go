package domain

import (
	"context"
	"slices"

	"github.com/centralita/centralita/domain/access"
)

// Role is what a user or API key may do inside its workspace.
type Role string

const (
	RoleOwner      Role = "owner"
	RoleAdmin      Role = "admin"
	RoleSupervisor Role = "supervisor"
	RoleAgent      Role = "agent"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleSupervisor, RoleAgent:
		return true
	}
	return false
}

func (r Role) rank() int {
	switch r {
	case RoleOwner:
		return 4
	case RoleAdmin:
		return 3
	case RoleSupervisor:
		return 2
	case RoleAgent:
		return 1
	}
	return 0
}

// AtLeast reports whether r grants at least what min grants.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() }

// Principal is the authenticated caller. Every read and write is scoped to
// its WorkspaceID inside persistence.
type Principal struct {
	WorkspaceID string
	// UserID is set for users (access tokens); APIKeyID for API keys.
	UserID   string
	APIKeyID string
	Role     Role
	// QueueIDs are the queues the user is a member of (agents and supervisors
	// see conversations of these queues).
	QueueIDs []string
	// System marks internal callers (bootstrap, demo seeding, webhook ingest).
	System bool
}

// IsAdmin reports whether the principal manages the workspace (the access
// table's configure action).
func (p Principal) IsAdmin() bool { return p.may(access.Configure) == nil }

// InQueue reports whether the principal is a member of the queue.
func (p Principal) InQueue(queueID string) bool {
	return queueID != "" && slices.Contains(p.QueueIDs, queueID)
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok && p.WorkspaceID != ""
}

// SystemContext returns a context acting as the system inside one workspace.
func SystemContext(ctx context.Context, workspaceID string) context.Context {
	return WithPrincipal(ctx, Principal{WorkspaceID: workspaceID, Role: RoleOwner, System: true})
}

func principal(ctx context.Context) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return Principal{}, Errorf(CodeUnauthenticated, "authentication required")
	}
	return p, nil
}

func requireAdmin(ctx context.Context) (Principal, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, err
	}
	return p, p.may(access.Configure)
}

type requestIDKey struct{}

// WithRequestID returns a context carrying the id of the request being
// served, so every adapter can log it without importing the others.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
