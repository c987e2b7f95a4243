-- +goose Up
-- Since 2026 Meta identifies some customers only by a business-scoped user
-- id (BSUID, e.g. "US.13491208655302741918"), without a phone number. A
-- contact keeps it beside wa_id; like wa_id it names one person per
-- workspace.
ALTER TABLE contacts ADD COLUMN user_id text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX contacts_workspace_user_id ON contacts (workspace_id, user_id) WHERE user_id <> '';

-- +goose Down
DROP INDEX contacts_workspace_user_id;
ALTER TABLE contacts DROP COLUMN user_id;
