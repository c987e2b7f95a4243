-- +goose Up
-- Text search (#10): the inbox's and the contact list's case-insensitive
-- "contains" search (ILIKE '%text%') is answered from trigram indexes
-- instead of reading every contact and message of the workspace.
-- pg_trgm ships with Postgres (contrib); creating it needs a superuser or
-- a trusted-extension grant (pg_trgm is trusted since Postgres 13).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX contacts_name_trgm ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX contacts_email_trgm ON contacts USING gin (email gin_trgm_ops);
CREATE INDEX contacts_wa_id_trgm ON contacts USING gin (wa_id gin_trgm_ops);
CREATE INDEX contacts_phone_trgm ON contacts USING gin (phone_e164 gin_trgm_ops);
CREATE INDEX messages_text_trgm ON messages USING gin (text gin_trgm_ops);

-- +goose Down
DROP INDEX messages_text_trgm;
DROP INDEX contacts_phone_trgm;
DROP INDEX contacts_wa_id_trgm;
DROP INDEX contacts_email_trgm;
DROP INDEX contacts_name_trgm;
