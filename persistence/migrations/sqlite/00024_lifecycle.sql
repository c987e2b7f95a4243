-- +goose Up
-- The conversation lifecycle (#8): the reasons a workspace closes
-- conversations with, its lifecycle settings, the link from a conversation
-- to the closed one it follows, and the instant it began waiting for the
-- customer (what the auto-close timer checks).
CREATE TABLE close_reasons (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    key          text NOT NULL,
    name         text NOT NULL,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    -- A deleted reason is kept (soft delete): closed conversations still
    -- name it, and it no longer closes new ones.
    deleted_at   DATETIME
);
CREATE UNIQUE INDEX close_reasons_workspace_key ON close_reasons (workspace_id, key) WHERE deleted_at IS NULL;

-- Existing workspaces get the defaults new ones get at bootstrap; the ids
-- reuse the workspace id's time-ordered body with a per-reason letter.
INSERT INTO close_reasons (id, workspace_id, key, name, created_at, updated_at)
SELECT 'clr_' || substr(w.id, 4, 24) || d.suffix, w.id, d.key, d.name, w.created_at, w.created_at
FROM workspaces w CROSS JOIN (
    SELECT 'a0' AS suffix, 'resolved' AS key, 'Resuelto' AS name
    UNION ALL SELECT 'a1', 'follow_up', 'Seguimiento'
    UNION ALL SELECT 'a2', 'transferred_to_other_channel', 'Derivado a otro canal'
    UNION ALL SELECT 'a3', 'spam', 'Spam'
    UNION ALL SELECT 'a4', 'no_response', 'Sin respuesta del cliente') d;

ALTER TABLE workspaces ADD COLUMN pending_after_reply boolean NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN reopen_window_seconds integer NOT NULL DEFAULT 259200;
ALTER TABLE workspaces ADD COLUMN auto_close_pending_seconds integer NOT NULL DEFAULT 0;

ALTER TABLE conversations ADD COLUMN previous_conversation_id text;
ALTER TABLE conversations ADD COLUMN pending_since DATETIME;

-- The timeline reads one conversation's events oldest first.
CREATE INDEX events_subject ON events (workspace_id, subject_id, created_at, id);
-- The board counts and pages each status column.
CREATE INDEX conversations_board ON conversations (workspace_id, status, last_activity_at);

-- +goose Down
DROP INDEX conversations_board;
DROP INDEX events_subject;
ALTER TABLE conversations DROP COLUMN pending_since;
ALTER TABLE conversations DROP COLUMN previous_conversation_id;
ALTER TABLE workspaces DROP COLUMN auto_close_pending_seconds;
ALTER TABLE workspaces DROP COLUMN reopen_window_seconds;
ALTER TABLE workspaces DROP COLUMN pending_after_reply;
DROP TABLE close_reasons;
