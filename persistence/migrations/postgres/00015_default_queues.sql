-- +goose Up
-- Every conversation lands in a queue and has a number.
-- A workspace's default queue catches what no channel or rule routes
-- elsewhere; a channel may name its own. Workspaces that predate this get a
-- "General" queue (or keep the one they already have by that name); its id
-- reuses the workspace id's time-ordered body, so it is unique and valid.
ALTER TABLE workspaces ADD COLUMN default_queue_id text;
ALTER TABLE workspaces ADD CONSTRAINT workspaces_default_queue
    FOREIGN KEY (id, default_queue_id) REFERENCES queues (workspace_id, id);
ALTER TABLE channels ADD COLUMN default_queue_id text;
ALTER TABLE channels ADD CONSTRAINT channels_default_queue
    FOREIGN KEY (workspace_id, default_queue_id) REFERENCES queues (workspace_id, id);

INSERT INTO queues (id, workspace_id, name, description, created_at, updated_at)
SELECT 'que_' || substr(w.id, 4), w.id, 'General', 'Conversations no channel or rule routes elsewhere',
       w.created_at, w.created_at
FROM workspaces w
WHERE NOT EXISTS (SELECT 1 FROM queues q WHERE q.workspace_id = w.id AND lower(q.name) = 'general');
UPDATE workspaces SET default_queue_id =
    (SELECT q.id FROM queues q WHERE q.workspace_id = workspaces.id AND lower(q.name) = 'general');

-- The default queue is seen by the workspace's supervisors, who triage it
-- (admins see everything anyway; agents are added by hand).
INSERT INTO queue_members (workspace_id, queue_id, user_id)
SELECT u.workspace_id, w.default_queue_id, u.id
FROM users u JOIN workspaces w ON w.id = u.workspace_id
WHERE u.role = 'supervisor' AND u.active AND NOT EXISTS (
    SELECT 1 FROM queue_members m WHERE m.queue_id = w.default_queue_id AND m.user_id = u.id);

-- Sends acknowledged in a conversation without a number had no way out
-- and sat queued with no job: they end failed, saying why (sending them
-- days late would be worse than not at all).
UPDATE messages SET status = 'failed', error_title = 'Not sent: the conversation had no WhatsApp number',
    updated_at = now()
WHERE direction = 'outbound' AND status = 'queued' AND channel_id IS NULL;

-- Conversations opened without a number take the workspace's official one;
-- those opened without a queue take the default queue.
UPDATE conversations SET channel_id =
    (SELECT c.id FROM channels c WHERE c.workspace_id = conversations.workspace_id AND c.mode = 'official')
WHERE channel_id IS NULL;
UPDATE conversations SET queue_id =
    (SELECT w.default_queue_id FROM workspaces w WHERE w.id = conversations.workspace_id)
WHERE queue_id IS NULL;

-- +goose Down
-- The General queues and their members stay: conversations may be in them.
ALTER TABLE channels DROP CONSTRAINT channels_default_queue;
ALTER TABLE channels DROP COLUMN default_queue_id;
ALTER TABLE workspaces DROP CONSTRAINT workspaces_default_queue;
ALTER TABLE workspaces DROP COLUMN default_queue_id;
