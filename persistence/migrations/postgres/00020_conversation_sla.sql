-- +goose Up
-- A conversation's SLA: the policy it is measured by (its queue's), the
-- due times of its clocks and where it stands, plus the facts the clocks
-- read (first human reply, the customer message waiting for an answer)
-- and which warnings and breaches were already acted on.
ALTER TABLE conversations ADD COLUMN sla_policy_id text;
ALTER TABLE conversations ADD COLUMN sla_state text;
ALTER TABLE conversations ADD COLUMN sla_first_response_due_at timestamptz;
ALTER TABLE conversations ADD COLUMN sla_next_response_due_at timestamptz;
ALTER TABLE conversations ADD COLUMN sla_resolution_due_at timestamptz;
ALTER TABLE conversations ADD COLUMN sla_replied_at timestamptz;
ALTER TABLE conversations ADD COLUMN sla_awaiting_since timestamptz;
ALTER TABLE conversations ADD COLUMN sla_alerts jsonb NOT NULL DEFAULT '[]';
CREATE INDEX conversations_sla_state ON conversations (workspace_id, sla_state) WHERE sla_state IS NOT NULL;

-- +goose Down
DROP INDEX conversations_sla_state;
ALTER TABLE conversations DROP COLUMN sla_alerts;
ALTER TABLE conversations DROP COLUMN sla_awaiting_since;
ALTER TABLE conversations DROP COLUMN sla_replied_at;
ALTER TABLE conversations DROP COLUMN sla_resolution_due_at;
ALTER TABLE conversations DROP COLUMN sla_next_response_due_at;
ALTER TABLE conversations DROP COLUMN sla_first_response_due_at;
ALTER TABLE conversations DROP COLUMN sla_state;
ALTER TABLE conversations DROP COLUMN sla_policy_id;
