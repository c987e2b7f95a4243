-- +goose Up
-- Incremental sync (updated_since, sort=updated_at) reads each listing by
-- (updated_at, id) within its scope: one index range scan per page.
CREATE INDEX conversations_workspace_updated ON conversations (workspace_id, updated_at, id);
CREATE INDEX contacts_workspace_updated ON contacts (workspace_id, updated_at, id);
CREATE INDEX messages_conversation_updated ON messages (conversation_id, updated_at, id);
CREATE INDEX tasks_workspace_updated ON tasks (workspace_id, updated_at, id);

-- +goose Down
DROP INDEX tasks_workspace_updated;
DROP INDEX messages_conversation_updated;
DROP INDEX contacts_workspace_updated;
DROP INDEX conversations_workspace_updated;
