-- +goose Up
-- A number's Graph API access token and optional app secret, encrypted by
-- the application (AES-256-GCM with CENTRALITA_SECRET_KEY) before storage.
ALTER TABLE channels ADD COLUMN access_token_sealed text NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN app_secret_sealed text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE channels DROP COLUMN app_secret_sealed;
ALTER TABLE channels DROP COLUMN access_token_sealed;
