-- +goose Up
-- Named weekly plans (split shifts, holidays, an IANA zone) that queues
-- work by; a queue without one is always open. SQLite cannot add a
-- composite foreign key to queues: the domain checks the plan exists.
CREATE TABLE business_hours (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    name         text NOT NULL,
    timezone     text NOT NULL,
    weekly       TEXT NOT NULL DEFAULT '[]',
    holidays     TEXT NOT NULL DEFAULT '[]',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX business_hours_workspace_name ON business_hours (workspace_id, lower(name));
ALTER TABLE queues ADD COLUMN business_hours_id text;

-- +goose Down
ALTER TABLE queues DROP COLUMN business_hours_id;
DROP TABLE business_hours;
