-- +goose Up
-- A partly bad delivery is kept once, however often Meta redelivers it:
-- dead letters are unique by the SHA-256 of their body (older rows have none).
ALTER TABLE webhook_dead_letters ADD COLUMN body_sha256 text;
CREATE UNIQUE INDEX webhook_dead_letters_digest ON webhook_dead_letters (body_sha256);

-- +goose Down
DROP INDEX webhook_dead_letters_digest;
ALTER TABLE webhook_dead_letters DROP COLUMN body_sha256;
