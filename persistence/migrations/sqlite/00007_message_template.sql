-- +goose Up
-- What an outbound template message asks Meta to send (name, language,
-- body parameters), read by the send worker.
ALTER TABLE messages ADD COLUMN template text;

-- +goose Down
ALTER TABLE messages DROP COLUMN template;
