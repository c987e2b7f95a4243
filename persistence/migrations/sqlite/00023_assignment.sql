-- +goose Up
-- Automatic assignment: how each queue hands out conversations, whom its
-- round robin gave the last one, when each agent last got one (least-busy
-- ties) and since when an agent is offline (the grace before their
-- conversations return to their queues).
ALTER TABLE queues ADD COLUMN assignment_mode text NOT NULL DEFAULT 'manual';
ALTER TABLE queues ADD COLUMN last_assigned_user_id text;
ALTER TABLE users ADD COLUMN last_assigned_at DATETIME;
ALTER TABLE users ADD COLUMN offline_since DATETIME;
ALTER TABLE workspaces ADD COLUMN offline_grace_minutes integer NOT NULL DEFAULT 15;
-- The waiting line of a queue and the load of an agent.
CREATE INDEX conversations_waiting ON conversations (workspace_id, queue_id, created_at, id)
    WHERE assignee_id IS NULL AND status <> 'closed';
CREATE INDEX conversations_assignee_open ON conversations (workspace_id, assignee_id)
    WHERE status <> 'closed';

-- +goose Down
DROP INDEX conversations_assignee_open;
DROP INDEX conversations_waiting;
ALTER TABLE workspaces DROP COLUMN offline_grace_minutes;
ALTER TABLE users DROP COLUMN offline_since;
ALTER TABLE users DROP COLUMN last_assigned_at;
ALTER TABLE queues DROP COLUMN last_assigned_user_id;
ALTER TABLE queues DROP COLUMN assignment_mode;
