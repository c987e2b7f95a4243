-- +goose Up
-- SLA policies: the response and resolution targets a queue's conversations
-- are measured by (in the queue's business hours), and what happens on a
-- breach. Targets are seconds; NULL is not measured.
CREATE TABLE sla_policies (
    id                     text PRIMARY KEY,
    workspace_id           text NOT NULL REFERENCES workspaces (id),
    name                   text NOT NULL,
    first_response_seconds bigint,
    next_response_seconds  bigint,
    resolution_seconds     bigint,
    warning_ratio          double precision NOT NULL,
    escalation             jsonb NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX sla_policies_workspace_name ON sla_policies (workspace_id, lower(name));
ALTER TABLE queues ADD COLUMN sla_policy_id text;
ALTER TABLE queues ADD CONSTRAINT queues_sla_policy
    FOREIGN KEY (workspace_id, sla_policy_id) REFERENCES sla_policies (workspace_id, id);

-- +goose Down
ALTER TABLE queues DROP CONSTRAINT queues_sla_policy;
ALTER TABLE queues DROP COLUMN sla_policy_id;
DROP TABLE sla_policies;
