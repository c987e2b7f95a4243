-- +goose Up
-- Structured message content (media, location, contacts, interactive,
-- reaction, order, system notice) as one JSON document, replies in context,
-- and the files we keep (uploads to send, inbound media once downloaded).
ALTER TABLE messages ADD COLUMN content text;
ALTER TABLE messages ADD COLUMN reply_to_id text;
ALTER TABLE messages ADD COLUMN reply_to_provider_id text NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN forwarded boolean NOT NULL DEFAULT false;
ALTER TABLE messages DROP COLUMN media_ref;

CREATE TABLE media_files (
    id            text PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id),
    mime_type     text NOT NULL,
    filename      text NOT NULL DEFAULT '',
    size          integer NOT NULL,
    sha256        text NOT NULL,
    created_by_id text NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    UNIQUE (workspace_id, id)
);

-- +goose Down
DROP TABLE media_files;
ALTER TABLE messages ADD COLUMN media_ref text NOT NULL DEFAULT '';
ALTER TABLE messages DROP COLUMN forwarded;
ALTER TABLE messages DROP COLUMN reply_to_provider_id;
ALTER TABLE messages DROP COLUMN reply_to_id;
ALTER TABLE messages DROP COLUMN content;
