-- +goose Up
-- Named weekly plans (split shifts, holidays, an IANA zone) that queues
-- work by; a queue without one is always open.
CREATE TABLE business_hours (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    name         text NOT NULL,
    timezone     text NOT NULL,
    weekly       jsonb NOT NULL DEFAULT '[]',
    holidays     jsonb NOT NULL DEFAULT '[]',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX business_hours_workspace_name ON business_hours (workspace_id, lower(name));
ALTER TABLE queues ADD COLUMN business_hours_id text;
ALTER TABLE queues ADD CONSTRAINT queues_business_hours
    FOREIGN KEY (workspace_id, business_hours_id) REFERENCES business_hours (workspace_id, id);

-- +goose Down
ALTER TABLE queues DROP CONSTRAINT queues_business_hours;
ALTER TABLE queues DROP COLUMN business_hours_id;
DROP TABLE business_hours;
