-- +goose Up
-- The API's rate limits (#9): one counter per subject ("key:<id>",
-- "user:<id>", "ws:<id>", "cost:key:<id>") and fixed one-minute window,
-- shared by every replica. window_start is Unix seconds. Rows are keyed by
-- subject, not tenant-scoped data; housekeeping deletes old windows.
CREATE TABLE rate_counters (
    window_start bigint NOT NULL,
    subject      text   NOT NULL,
    count        bigint NOT NULL,
    PRIMARY KEY (window_start, subject)
);

-- +goose Down
DROP TABLE rate_counters;
