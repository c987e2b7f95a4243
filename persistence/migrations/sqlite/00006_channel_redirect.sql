-- +goose Up
-- Legacy numbers in redirect mode answer customers with a pointer to the
-- official number: the text, how often per contact, and until when.
ALTER TABLE channels ADD COLUMN redirect_text text NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN redirect_every_seconds integer NOT NULL DEFAULT 86400;
ALTER TABLE channels ADD COLUMN redirect_until DATETIME;

-- +goose Down
ALTER TABLE channels DROP COLUMN redirect_until;
ALTER TABLE channels DROP COLUMN redirect_every_seconds;
ALTER TABLE channels DROP COLUMN redirect_text;
