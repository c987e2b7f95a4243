-- +goose Up
-- SLA policies: the response and resolution targets a queue's conversations
-- are measured by (in the queue's business hours), and what happens on a
-- breach. Targets are seconds; NULL is not measured. SQLite cannot add a
-- composite foreign key to queues: the domain checks the policy exists.
CREATE TABLE sla_policies (
    id                     text PRIMARY KEY,
    workspace_id           text NOT NULL REFERENCES workspaces (id),
    name                   text NOT NULL,
    first_response_seconds INTEGER,
    next_response_seconds  INTEGER,
    resolution_seconds     INTEGER,
    warning_ratio          REAL NOT NULL,
    escalation             TEXT NOT NULL,
    created_at             DATETIME NOT NULL,
    updated_at             DATETIME NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX sla_policies_workspace_name ON sla_policies (workspace_id, lower(name));
ALTER TABLE queues ADD COLUMN sla_policy_id text;

-- +goose Down
ALTER TABLE queues DROP COLUMN sla_policy_id;
DROP TABLE sla_policies;
