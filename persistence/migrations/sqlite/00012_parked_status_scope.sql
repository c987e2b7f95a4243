-- +goose Up
-- Parked receipts carry their workspace like every other row, and when they
-- were parked: a receipt whose message never appears (sent by another tool
-- on the same number) is pruned after a week instead of kept forever.
-- SQLite cannot add NOT NULL references to a table, so it is rebuilt.
CREATE TABLE parked_statuses_scoped (
    channel_id          text NOT NULL,
    workspace_id        text NOT NULL,
    provider_message_id text NOT NULL,
    status              text NOT NULL,
    error_code          text NOT NULL DEFAULT '',
    error_title         text NOT NULL DEFAULT '',
    occurred_at         DATETIME NOT NULL,
    parked_at           DATETIME NOT NULL,
    PRIMARY KEY (channel_id, provider_message_id, status),
    FOREIGN KEY (workspace_id, channel_id) REFERENCES channels (workspace_id, id)
);
INSERT INTO parked_statuses_scoped
SELECT p.channel_id, c.workspace_id, p.provider_message_id, p.status, p.error_code, p.error_title,
       p.occurred_at, p.occurred_at
  FROM parked_statuses p JOIN channels c ON c.id = p.channel_id;
DROP TABLE parked_statuses;
ALTER TABLE parked_statuses_scoped RENAME TO parked_statuses;
CREATE INDEX parked_statuses_parked_at ON parked_statuses (parked_at);

-- +goose Down
DROP INDEX parked_statuses_parked_at;
CREATE TABLE parked_statuses_unscoped (
    channel_id          text NOT NULL REFERENCES channels (id),
    provider_message_id text NOT NULL,
    status              text NOT NULL,
    error_code          text NOT NULL DEFAULT '',
    error_title         text NOT NULL DEFAULT '',
    occurred_at         DATETIME NOT NULL,
    PRIMARY KEY (channel_id, provider_message_id, status)
);
INSERT INTO parked_statuses_unscoped
SELECT channel_id, provider_message_id, status, error_code, error_title, occurred_at FROM parked_statuses;
DROP TABLE parked_statuses;
ALTER TABLE parked_statuses_unscoped RENAME TO parked_statuses;
