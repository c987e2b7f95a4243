-- +goose Up
-- A legacy number answers a customer's message with its redirect notice at
-- most once per interval, so each inbound message on such a number asks
-- when the customer last got one. That question used to read every message
-- of the number (slower as the number's history grows); this partial index
-- holds only the bots' messages, by conversation, newest first.
CREATE INDEX messages_bot_by_conversation ON messages (conversation_id, author_id, created_at DESC) WHERE author_kind = 'bot';

-- +goose Down
DROP INDEX messages_bot_by_conversation;
