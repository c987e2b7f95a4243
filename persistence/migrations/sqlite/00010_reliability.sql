-- +goose Up
-- A send that may have reached Meta: written and committed right before the
-- worker calls the Graph API, cleared once Meta answers. A retry that finds
-- it (the process died mid-call, or the call timed out) waits for a receipt
-- carrying our id before sending again, since Meta has no idempotency key.
CREATE TABLE send_attempts (
    message_id   text PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    attempted_at DATETIME NOT NULL
);
CREATE INDEX send_attempts_attempted_at ON send_attempts (attempted_at);

-- +goose Down
DROP TABLE send_attempts;
