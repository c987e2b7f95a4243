-- +goose Up
-- Outbound webhooks (#11): an integrator's endpoints, each with its place
-- in the workspace's event feed (feed_tx, feed_seq: the dispatcher moves
-- it in the transaction that enqueues the deliveries), and the log of
-- delivery attempts. Secrets are sealed by the application (AES-GCM under
-- CENTRALITA_SECRET_KEY) like channel credentials: they must be read back
-- to sign.
CREATE TABLE webhook_endpoints (
    id                          text PRIMARY KEY,
    workspace_id                text NOT NULL REFERENCES workspaces (id),
    url                         text NOT NULL,
    description                 text NOT NULL DEFAULT '',
    event_types                 jsonb NOT NULL DEFAULT '[]',
    enabled                     boolean NOT NULL DEFAULT true,
    disabled_reason             text NOT NULL DEFAULT '',
    secret_sealed               text NOT NULL,
    previous_secret_sealed      text NOT NULL DEFAULT '',
    previous_secret_expires_at  timestamptz,
    feed_tx                     bigint NOT NULL DEFAULT 0,
    feed_seq                    bigint NOT NULL DEFAULT 0,
    failing_since               timestamptz,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, created_at, id);
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (workspace_id) WHERE enabled;

CREATE TABLE webhook_deliveries (
    id                text PRIMARY KEY,
    workspace_id      text NOT NULL REFERENCES workspaces (id),
    endpoint_id       text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id          text NOT NULL,
    event_type        text NOT NULL,
    delivery_key      text NOT NULL DEFAULT '',
    attempt           integer NOT NULL,
    status_code       integer NOT NULL DEFAULT 0,
    latency_ms        bigint NOT NULL DEFAULT 0,
    response_excerpt  text NOT NULL DEFAULT '',
    error             text NOT NULL DEFAULT '',
    state             text NOT NULL,
    next_retry_at     timestamptz,
    created_at        timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (workspace_id, endpoint_id, created_at, id);
CREATE INDEX webhook_deliveries_attempts ON webhook_deliveries (workspace_id, endpoint_id, event_id, delivery_key);

-- Row-level security as on every tenant table (00026). The dispatcher
-- sweeps workspaces to find those with an enabled endpoint, and
-- housekeeping deletes old delivery attempts in every workspace: those
-- reads and that delete are open to the cross-tenant mark.
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints
    USING (workspace_id = current_setting('app.workspace_id', true))
    WITH CHECK (workspace_id = current_setting('app.workspace_id', true));
CREATE POLICY cross_tenant_read ON webhook_endpoints FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
    USING (workspace_id = current_setting('app.workspace_id', true))
    WITH CHECK (workspace_id = current_setting('app.workspace_id', true));
CREATE POLICY cross_tenant_read ON webhook_deliveries FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_prune ON webhook_deliveries FOR DELETE
    USING (current_setting('app.cross_tenant', true) = 'on');

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
