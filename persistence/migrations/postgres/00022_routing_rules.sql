-- +goose Up
-- The workspace's ordered routing rules; conditions and actions are read
-- and written whole, so they are kept as JSON.
CREATE TABLE routing_rules (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    name         text NOT NULL,
    position     integer NOT NULL,
    conditions   jsonb NOT NULL DEFAULT '[]',
    actions      jsonb NOT NULL DEFAULT '[]',
    continue     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE INDEX routing_rules_order ON routing_rules (workspace_id, position, created_at);

-- +goose Down
DROP TABLE routing_rules;
