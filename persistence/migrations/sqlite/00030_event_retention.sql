-- +goose Up
-- Each workspace keeps its events (the feed and audit log) this many days;
-- the housekeeping job deletes older ones in bounded batches.
ALTER TABLE workspaces ADD COLUMN event_retention_days integer NOT NULL DEFAULT 400;
-- The audit log pages a workspace's events newest first, and retention
-- deletes its oldest ones.
CREATE INDEX events_created ON events (workspace_id, created_at, id);

-- +goose Down
DROP INDEX events_created;
ALTER TABLE workspaces DROP COLUMN event_retention_days;
