-- +goose Up
-- Each workspace keeps its events (the feed and audit log) this many days;
-- the housekeeping job deletes older ones in bounded batches.
ALTER TABLE workspaces ADD COLUMN event_retention_days integer NOT NULL DEFAULT 400;
-- The audit log pages a workspace's events newest first, and retention
-- deletes its oldest ones.
CREATE INDEX events_created ON events (workspace_id, created_at, id);
-- The housekeeping job reads every workspace's retention (a cross-tenant
-- read of workspaces, like the other unscoped lookups of 00026), then
-- deletes each workspace's old events inside that workspace's own
-- row-level security setting: events never admit cross-tenant access.
CREATE POLICY cross_tenant_read ON workspaces FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');

-- +goose Down
DROP POLICY cross_tenant_read ON workspaces;
DROP INDEX events_created;
ALTER TABLE workspaces DROP COLUMN event_retention_days;
