-- +goose Up
-- The pull feed, webhooks and audit trail read a workspace's events in
-- commit order. SQLite commits one writer at a time, so insertion order is
-- commit order: seq is an AUTOINCREMENT key (never reused, even when
-- retention empties the table) and tx is always 0 (Postgres keeps the
-- writing transaction's id there). SQLite cannot add such a column, so
-- the table is rebuilt with its rows in their old order.
CREATE TABLE events_ordered (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    tx           INTEGER NOT NULL DEFAULT 0,
    id           text NOT NULL UNIQUE,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    type         text NOT NULL,
    subject_id   text NOT NULL DEFAULT '',
    payload      TEXT NOT NULL DEFAULT '{}',
    created_at   DATETIME NOT NULL,
    actor_kind   text NOT NULL DEFAULT 'system',
    actor_id     text NOT NULL DEFAULT ''
);
INSERT INTO events_ordered (id, workspace_id, type, subject_id, payload, created_at, actor_kind, actor_id)
SELECT id, workspace_id, type, subject_id, payload, created_at, actor_kind, actor_id FROM events ORDER BY rowid;
DROP TABLE events;
ALTER TABLE events_ordered RENAME TO events;
CREATE INDEX events_workspace ON events (workspace_id, id);
CREATE INDEX events_subject ON events (workspace_id, subject_id, created_at, id);
CREATE INDEX events_feed ON events (workspace_id, tx, seq);
CREATE INDEX events_actor ON events (workspace_id, actor_kind, actor_id, created_at);

-- +goose Down
CREATE TABLE events_unordered (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    type         text NOT NULL,
    subject_id   text NOT NULL DEFAULT '',
    payload      TEXT NOT NULL DEFAULT '{}',
    created_at   DATETIME NOT NULL,
    actor_kind   text NOT NULL DEFAULT 'system',
    actor_id     text NOT NULL DEFAULT ''
);
INSERT INTO events_unordered SELECT id, workspace_id, type, subject_id, payload, created_at, actor_kind, actor_id FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_unordered RENAME TO events;
CREATE INDEX events_workspace ON events (workspace_id, id);
CREATE INDEX events_subject ON events (workspace_id, subject_id, created_at, id);
