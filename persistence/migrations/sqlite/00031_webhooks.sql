-- +goose Up
-- Outbound webhooks (#11): endpoints with their place in the event feed
-- and the log of delivery attempts (see the Postgres migration).
CREATE TABLE webhook_endpoints (
    id                          text PRIMARY KEY,
    workspace_id                text NOT NULL REFERENCES workspaces (id),
    url                         text NOT NULL,
    description                 text NOT NULL DEFAULT '',
    event_types                 TEXT NOT NULL DEFAULT '[]',
    enabled                     boolean NOT NULL DEFAULT 1,
    disabled_reason             text NOT NULL DEFAULT '',
    secret_sealed               text NOT NULL,
    previous_secret_sealed      text NOT NULL DEFAULT '',
    previous_secret_expires_at  DATETIME,
    feed_tx                     INTEGER NOT NULL DEFAULT 0,
    feed_seq                    INTEGER NOT NULL DEFAULT 0,
    failing_since               DATETIME,
    created_at                  DATETIME NOT NULL,
    updated_at                  DATETIME NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, created_at, id);

CREATE TABLE webhook_deliveries (
    id                text PRIMARY KEY,
    workspace_id      text NOT NULL REFERENCES workspaces (id),
    endpoint_id       text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id          text NOT NULL,
    event_type        text NOT NULL,
    delivery_key      text NOT NULL DEFAULT '',
    attempt           INTEGER NOT NULL,
    status_code       INTEGER NOT NULL DEFAULT 0,
    latency_ms        INTEGER NOT NULL DEFAULT 0,
    response_excerpt  text NOT NULL DEFAULT '',
    error             text NOT NULL DEFAULT '',
    state             text NOT NULL,
    next_retry_at     DATETIME,
    created_at        DATETIME NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (workspace_id, endpoint_id, created_at, id);
CREATE INDEX webhook_deliveries_attempts ON webhook_deliveries (workspace_id, endpoint_id, event_id, delivery_key);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
