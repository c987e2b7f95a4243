-- +goose Up
-- The welcome bot: the workspace's (channel_id '') and each channel's
-- override, the menu kept as JSON; each conversation's progress through
-- it; and why a conversation is where it is.
CREATE TABLE welcome_bots (
    workspace_id text NOT NULL REFERENCES workspaces (id),
    channel_id   text NOT NULL DEFAULT '',
    config       TEXT NOT NULL,
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (workspace_id, channel_id)
);
CREATE TABLE bot_states (
    conversation_id text PRIMARY KEY,
    workspace_id    text NOT NULL REFERENCES workspaces (id),
    menu_sent_at    DATETIME,
    reprompts       integer NOT NULL DEFAULT 0,
    option_key      text NOT NULL DEFAULT '',
    done            boolean NOT NULL DEFAULT false,
    updated_at      DATETIME NOT NULL,
    FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE
);
ALTER TABLE conversations ADD COLUMN routing TEXT;

-- +goose Down
ALTER TABLE conversations DROP COLUMN routing;
DROP TABLE bot_states;
DROP TABLE welcome_bots;
