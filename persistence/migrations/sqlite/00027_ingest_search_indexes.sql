-- +goose Up
-- Text search (#10) uses trigram indexes on Postgres. SQLite has no
-- equivalent for LIKE '%text%': its search reads the workspace's contacts
-- and messages. This version exists so both dialects share their
-- migration numbers.
SELECT 1;

-- +goose Down
SELECT 1;
