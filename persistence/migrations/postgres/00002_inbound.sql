-- +goose Up
-- Receipts that arrived before their message's wamid was recorded (a status
-- can beat the send response). Applied and deleted when the wamid appears.
CREATE TABLE parked_statuses (
    channel_id          text NOT NULL REFERENCES channels (id),
    provider_message_id text NOT NULL,
    status              text NOT NULL,
    error_code          text NOT NULL DEFAULT '',
    error_title         text NOT NULL DEFAULT '',
    occurred_at         timestamptz NOT NULL,
    PRIMARY KEY (channel_id, provider_message_id, status)
);

-- Signed webhook deliveries that could not be parsed: acknowledged to Meta
-- and kept here, so nothing acknowledged is lost. No workspace is known.
CREATE TABLE webhook_dead_letters (
    id          text PRIMARY KEY,
    reason      text NOT NULL,
    body        bytea NOT NULL,
    received_at timestamptz NOT NULL
);

-- Routing an inbound message to the contact's active conversation.
CREATE INDEX conversations_contact_channel ON conversations (workspace_id, contact_id, channel_id, created_at DESC);

-- +goose Down
DROP INDEX conversations_contact_channel;
DROP TABLE webhook_dead_letters;
DROP TABLE parked_statuses;
