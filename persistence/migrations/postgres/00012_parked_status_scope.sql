-- +goose Up
-- Parked receipts carry their workspace like every other row, and when they
-- were parked: a receipt whose message never appears (sent by another tool
-- on the same number) is pruned after a week instead of kept forever.
ALTER TABLE parked_statuses ADD COLUMN workspace_id text;
ALTER TABLE parked_statuses ADD COLUMN parked_at timestamptz;
UPDATE parked_statuses p SET workspace_id = c.workspace_id, parked_at = p.occurred_at
  FROM channels c WHERE c.id = p.channel_id;
ALTER TABLE parked_statuses ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE parked_statuses ADD CONSTRAINT parked_statuses_workspace_channel
  FOREIGN KEY (workspace_id, channel_id) REFERENCES channels (workspace_id, id);
ALTER TABLE parked_statuses ALTER COLUMN parked_at SET NOT NULL;
CREATE INDEX parked_statuses_parked_at ON parked_statuses (parked_at);

-- +goose Down
DROP INDEX parked_statuses_parked_at;
ALTER TABLE parked_statuses DROP CONSTRAINT parked_statuses_workspace_channel;
ALTER TABLE parked_statuses DROP COLUMN parked_at;
ALTER TABLE parked_statuses DROP COLUMN workspace_id;
