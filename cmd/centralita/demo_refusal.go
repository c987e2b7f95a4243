package main

import (
	"context"

	"github.com/centralita/centralita/domain"
)

// refusedSecrets are the demo's published credentials (its API key and
// its users' password), which production refuses whatever the database
// holds. They are refused at authentication rather than revoked at start:
// every replica refuses them from its first request, even one started on
// a database seeded later; no data changes, so the same data directory
// still works as a demo in development; and a key or user someone created
// with them by hand is caught too, in any workspace.
func (c *Config) refusedSecrets() []string {
	if !c.production() {
		return nil
	}
	return []string{demoAPIKey, demoPassword}
}

// warnDemoCredentials says once, at start in production, that the database
// holds the demo's credentials and that they are refused, so the operator
// learns why the demo key answers 401.
func warnDemoCredentials(ctx context.Context, a *app) error {
	store := a.db.Store()
	key, err := store.FindAPIKeyByHash(ctx, domain.HashToken(demoAPIKey))
	if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return err
	}
	owners, err := store.FindActiveUsersByEmail(ctx, demoOwnerEmail)
	if err != nil {
		return err
	}
	var workspaceID string
	switch {
	case key != nil:
		workspaceID = key.WorkspaceID
	case len(owners) > 0:
		workspaceID = owners[0].WorkspaceID
	default:
		return nil
	}
	a.logger.WarnContext(ctx, "demo credentials found and refused: the well-known demo API key and demo "+
		"passwords do not authenticate in production", "workspace_id", workspaceID)
	return nil
}
