-- +goose Up
-- Who caused each event: a user, an API key, the bot, a routing rule, the
-- system or a partner, with its id. Older events were the system's or
-- their payload's "by".
ALTER TABLE events ADD COLUMN actor_kind text NOT NULL DEFAULT 'system';
ALTER TABLE events ADD COLUMN actor_id text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE events DROP COLUMN actor_id;
ALTER TABLE events DROP COLUMN actor_kind;
