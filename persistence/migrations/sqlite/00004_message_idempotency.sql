-- +goose Up
-- The client's Idempotency-Key of an outbound message: a retried send with
-- the same key returns the first message instead of sending twice.
ALTER TABLE messages ADD COLUMN idempotency_key text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX messages_idempotency_key ON messages (workspace_id, idempotency_key) WHERE idempotency_key <> '';

-- +goose Down
DROP INDEX messages_idempotency_key;
ALTER TABLE messages DROP COLUMN idempotency_key;
