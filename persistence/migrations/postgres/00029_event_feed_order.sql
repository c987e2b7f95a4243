-- +goose Up
-- The pull feed, webhooks and audit trail read a workspace's events in
-- commit order, and a reader that resumes from a cursor must never skip an
-- event whose transaction committed late. Each event records the id of
-- the transaction that wrote it (tx) and its place within it (seq); the
-- feed orders by (tx, seq) and only shows transactions older than every
-- transaction still running (pg_snapshot_xmin), so a later commit can
-- never land behind a cursor already handed out.
ALTER TABLE events ADD COLUMN tx bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
ALTER TABLE events ADD COLUMN seq bigserial;
CREATE INDEX events_feed ON events (workspace_id, tx, seq);
-- The audit trail filters by actor and pages newest first.
CREATE INDEX events_actor ON events (workspace_id, actor_kind, actor_id, created_at);

-- +goose Down
DROP INDEX events_actor;
DROP INDEX events_feed;
ALTER TABLE events DROP COLUMN seq;
ALTER TABLE events DROP COLUMN tx;
