-- +goose Up
-- Row-level security is Postgres's (see the postgres folder); SQLite keeps
-- relying on the store's own scoping. This version keeps the two folders'
-- numbers in step.
SELECT 1;

-- +goose Down
SELECT 1;
