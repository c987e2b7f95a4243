-- +goose Up
-- Outbound text link previews, and when an inbound message was marked read
-- (set on the message and on every earlier inbound one of its thread).
ALTER TABLE messages ADD COLUMN preview_url boolean NOT NULL DEFAULT false;
ALTER TABLE messages ADD COLUMN marked_read_at DATETIME;

-- +goose Down
ALTER TABLE messages DROP COLUMN marked_read_at;
ALTER TABLE messages DROP COLUMN preview_url;
